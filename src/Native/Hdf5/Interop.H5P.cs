using System.Runtime.InteropServices;

namespace Seiscat.Native.Hdf5;

internal static unsafe partial class Interop
{
    public const int H5D_COMPACT = 0;
    public const int H5D_CONTIGUOUS = 1;
    public const int H5D_CHUNKED = 2;
    public const int H5D_VIRTUAL = 3;

    [LibraryImport(Lib)] public static partial long H5Pcreate(long clsId);
    [LibraryImport(Lib)] public static partial int H5Pclose(long plistId);
    [LibraryImport(Lib)] public static partial int H5Pset_chunk(long plistId, int ndims, ulong* dim);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int H5Pset_virtual(long dcplId, long vspaceId, string srcFileName, string srcDsetName, long srcSpaceId);
    [LibraryImport(Lib)] public static partial int H5Pget_chunk(long plistId, int maxNdims, ulong* dim);
    [LibraryImport(Lib)] public static partial int H5Pset_deflate(long plistId, uint level);
    [LibraryImport(Lib)] public static partial int H5Pset_shuffle(long plistId);
    [LibraryImport(Lib)] public static partial int H5Pset_fletcher32(long plistId);
    [LibraryImport(Lib)] public static partial int H5Pget_layout(long plistId);
    [LibraryImport(Lib)] public static partial int H5Pget_fill_value(long plistId, long typeId, void* value);
    [LibraryImport(Lib)] public static partial int H5Pget_nfilters(long plistId);
    [LibraryImport(Lib)]
    public static partial int H5Pget_filter2(long plistId, uint idx, uint* flags, nuint* cdNelmts, uint* cdValues, nuint namelen,
        byte* name, uint* filterConfig);
    [LibraryImport(Lib)] public static partial int H5Pset_create_intermediate_group(long plistId, uint crtIntmd);
    // hbool_t is C99 bool (one byte) in HDF5 1.10.
    [LibraryImport(Lib)] public static partial int H5Pset_obj_track_times(long plistId, byte trackTimes);
}
