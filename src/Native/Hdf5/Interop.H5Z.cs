using System.Runtime.InteropServices;

namespace Seiscat.Native.Hdf5;

// Filters and the plugin search path (H5Z, H5PL).
internal static unsafe partial class Interop
{
    [LibraryImport(Lib)] public static partial int H5Zfilter_avail(int id);
    [LibraryImport(Lib)] public static partial int H5PLsize(uint* count);
    [LibraryImport(Lib)] public static partial nint H5PLget(uint index, byte* path, nuint size);
}
