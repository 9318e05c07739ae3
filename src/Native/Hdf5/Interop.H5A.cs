using System.Runtime.InteropServices;

namespace Seiscat.Native.Hdf5;

internal static unsafe partial class Interop
{
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial int H5Aexists(long objId, string attrName);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial long H5Aopen(long objId, string attrName, long aaplId);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial long H5Acreate2(long locId, string attrName, long typeId,
        long spaceId, long acplId, long aaplId);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial int H5Adelete(long locId, string name);
    [LibraryImport(Lib)] public static partial int H5Aclose(long attrId);
    [LibraryImport(Lib)] public static partial int H5Aread(long attrId, long memTypeId, void* buf);
    [LibraryImport(Lib)] public static partial int H5Awrite(long attrId, long memTypeId, void* buf);
    [LibraryImport(Lib)] public static partial long H5Aget_type(long attrId);
    [LibraryImport(Lib)] public static partial long H5Aget_space(long attrId);
    // H5A_operator2_t: herr_t (*)(hid_t location_id, const char *attr_name, const H5A_info_t *ainfo, void *op_data)
    [LibraryImport(Lib)]
    public static partial int H5Aiterate2(long locId, int idxType, int order, ulong* idx, delegate* unmanaged<long, byte*, void*,
        void*, int> op, void* opData);
}
