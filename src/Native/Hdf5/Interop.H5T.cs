using System.Runtime.InteropServices;

namespace Seiscat.Native.Hdf5;

internal static unsafe partial class Interop
{
    public const int H5T_INTEGER = 0;
    public const int H5T_FLOAT = 1;
    public const int H5T_STRING = 3;
    public const int H5T_ORDER_LE = 0;
    public const int H5T_ORDER_BE = 1;
    public const int H5T_ORDER_NONE = 4;
    public const int H5T_SGN_NONE = 0;
    public const int H5T_CSET_UTF8 = 1;
    public const int H5T_STR_NULLTERM = 0;
    public const int H5T_STR_NULLPAD = 1;

    [LibraryImport(Lib)] public static partial long H5Tcopy(long typeId);
    [LibraryImport(Lib)] public static partial int H5Tclose(long typeId);
    [LibraryImport(Lib)] public static partial int H5Tget_class(long typeId);
    [LibraryImport(Lib)] public static partial nuint H5Tget_size(long typeId);
    [LibraryImport(Lib)] public static partial int H5Tset_size(long typeId, nuint size);
    [LibraryImport(Lib)] public static partial int H5Tget_order(long typeId);
    [LibraryImport(Lib)] public static partial int H5Tset_order(long typeId, int order);
    [LibraryImport(Lib)] public static partial int H5Tget_sign(long typeId);
    [LibraryImport(Lib)] public static partial int H5Tis_variable_str(long typeId);
    [LibraryImport(Lib)] public static partial int H5Tset_cset(long typeId, int cset);
    [LibraryImport(Lib)] public static partial int H5Tget_cset(long typeId);
    [LibraryImport(Lib)] public static partial int H5Tset_strpad(long typeId, int strpad);
}
