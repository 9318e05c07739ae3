using System.Runtime.InteropServices;

namespace Seiscat.Native.Hdf5;

internal static unsafe partial class Interop
{
    public const uint H5F_ACC_RDONLY = 0x0000;
    public const uint H5F_ACC_RDWR = 0x0001;
    public const uint H5F_ACC_TRUNC = 0x0002;
    public const int H5F_SCOPE_LOCAL = 0;

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial long H5Fopen(string filename, uint flags, long faplId);
    [LibraryImport(Lib)] public static partial int H5Fget_vfd_handle(long fileId, long faplId, void** fileHandle);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial long H5Fcreate(string filename, uint flags, long fcplId,
        long faplId);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial int H5Fis_hdf5(string filename);
    [LibraryImport(Lib)] public static partial int H5Fclose(long fileId);
    [LibraryImport(Lib)] public static partial int H5Fflush(long objectId, int scope);
}
