using System.Runtime.InteropServices;

namespace Seiscat.Native.Zlib;

// The system zlib: the library HDF5's deflate filter itself calls, so chunks compressed here are byte-identical to the
// ones HDF5 would have stored (compress2 is what H5Z_filter_deflate runs). Pure functions on caller buffers: thread-safe.
internal static unsafe partial class Interop
{
    private const string Lib = NativeLibraryNames.Zlib;
    public const int Z_OK = 0;

    [LibraryImport(Lib)] public static partial int compress2(byte* dest, nuint* destLen, byte* source, nuint sourceLen, int level);
    [LibraryImport(Lib)] public static partial nuint compressBound(nuint sourceLen);
    [LibraryImport(Lib)] public static partial byte* zlibVersion();
}
