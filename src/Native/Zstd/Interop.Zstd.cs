using System.Runtime.InteropServices;

namespace Seiscat.Native.Zstd;

// libzstd (Debian libzstd1, which dpkg itself depends on, so every Debian/Ubuntu machine has it): the HDF5 Zstandard
// filter (id 32015) stores each chunk as one zstd frame, and Debian ships no HDF5 plugin for it.
internal static unsafe partial class Interop
{
    private const string Lib = NativeLibraryNames.Zstd;

    [LibraryImport(Lib)] public static partial nint ZSTD_createDCtx();
    [LibraryImport(Lib)] public static partial nuint ZSTD_freeDCtx(nint dctx);
    [LibraryImport(Lib)] public static partial nuint ZSTD_decompressDCtx(nint dctx, byte* dst, nuint dstCapacity, byte* src, nuint srcSize);
    [LibraryImport(Lib)] public static partial uint ZSTD_isError(nuint code);
    [LibraryImport(Lib)] public static partial byte* ZSTD_getErrorName(nuint code);
    [LibraryImport(Lib)] public static partial uint ZSTD_versionNumber();
}
