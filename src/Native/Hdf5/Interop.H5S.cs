using System.Runtime.InteropServices;

namespace Seiscat.Native.Hdf5;

internal static unsafe partial class Interop
{
    public const int H5S_SCALAR = 0;
    public const int H5S_SIMPLE = 1;
    public const int H5S_SELECT_SET = 0;
    public const ulong H5S_UNLIMITED = ulong.MaxValue;

    [LibraryImport(Lib)] public static partial long H5Screate(int type);
    [LibraryImport(Lib)] public static partial long H5Screate_simple(int rank, ulong* dims, ulong* maxdims);
    [LibraryImport(Lib)] public static partial int H5Sclose(long spaceId);
    [LibraryImport(Lib)] public static partial int H5Sget_simple_extent_ndims(long spaceId);
    [LibraryImport(Lib)] public static partial int H5Sget_simple_extent_dims(long spaceId, ulong* dims, ulong* maxdims);
    [LibraryImport(Lib)] public static partial long H5Sget_simple_extent_npoints(long spaceId);
    [LibraryImport(Lib)] public static partial int H5Sselect_hyperslab(long spaceId, int op, ulong* start, ulong* stride, ulong* count, ulong* block);
}
