using System.Runtime.InteropServices;

namespace Seiscat.Native.Hdf5;

// Links and object identity (HDF5 1.10 ABI: H5L_info_t and H5O_info_t carry the object's address, not a token).
internal static unsafe partial class Interop
{
    public const int H5L_TYPE_HARD = 0, H5L_TYPE_SOFT = 1, H5L_TYPE_EXTERNAL = 64;
    public const uint H5O_INFO_BASIC = 1;
    public const int H5O_TYPE_GROUP = 0, H5O_TYPE_DATASET = 1;

    // H5L_info_t (1.10): { H5L_type_t type; hbool_t corder_valid; int64_t corder; H5T_cset_t cset; union { haddr_t address;
    // size_t val_size; } u; } — 32 bytes on x86-64; read by offset so a padding difference cannot shift a field silently.
    public const int H5LInfoSize = 64, H5LInfoValSizeOffset = 24;

    // H5O_info_t (1.10) starts { unsigned long fileno; haddr_t addr; H5O_type_t type; … }; the rest (times, header and
    // index sizes) stays in the over-sized buffer.
    public const int H5OInfoSize = 512;

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int H5Lget_info(long locId, string name, byte* info, long laplId);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int H5Lget_val(long locId, string name, byte* buf, nuint size, long laplId);

    [LibraryImport(Lib)]
    public static partial int H5Lunpack_elink_val(byte* linkVal, nuint linkSize, uint* flags, byte** fileName, byte** objectPath);

    // Recursive: every link under the group once, groups descended once each (libhdf5 tracks visited groups, so a cycle
    // ends); names are relative to the group. Same callback shape as H5Literate.
    [LibraryImport(Lib)]
    public static partial int H5Lvisit(long grpId, int idxType, int order, delegate* unmanaged<long, byte*, void*, void*, int> op, void* opData);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int H5Oget_info_by_name2(long locId, string name, byte* info, uint fields, long laplId);
}
