using System.Runtime.InteropServices;

namespace Seiscat.Native.Hdf5;

internal static unsafe partial class Interop
{
    public const int H5_INDEX_NAME = 0;
    public const int H5_ITER_INC = 0;
    public const int H5I_GROUP = 2;
    public const int H5I_DATASET = 5;

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial long H5Gopen2(long locId, string name, long gaplId);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial long H5Gcreate2(long locId, string name, long lcplId,
        long gcplId, long gaplId);
    [LibraryImport(Lib)] public static partial int H5Gclose(long groupId);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial int H5Lexists(long locId, string name, long laplId);
    // H5L_iterate_t: herr_t (*)(hid_t group, const char *name, const H5L_info_t *info, void *op_data)
    [LibraryImport(Lib)]
    public static partial int H5Literate(long grpId, int idxType, int order, ulong* idx, delegate* unmanaged<long, byte*, void*,
        void*, int> op, void* opData);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial long H5Oopen(long locId, string name, long laplId);
    [LibraryImport(Lib)] public static partial int H5Oclose(long objectId);
    [LibraryImport(Lib)] public static partial int H5Iget_type(long id);
}
