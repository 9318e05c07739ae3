using System.Runtime.InteropServices;

namespace Seiscat.Native.Deflate;

// libdeflate (Debian libdeflate0): whole-buffer zlib streams, 2.7× faster than the system zlib's compress2 at level 1
// on features.h5 rows, with smaller output, and ~20 % faster to inflate than zlib-ng behind ZLibStream
// (bench/results/amd-epyc-2vcpu/issue14/deflate.txt). A compressor or decompressor object is single-threaded state.
internal static unsafe partial class Interop
{
    private const string Lib = NativeLibraryNames.Deflate;

    public const int LIBDEFLATE_SUCCESS = 0;
    public const int LIBDEFLATE_BAD_DATA = 1;
    public const int LIBDEFLATE_SHORT_OUTPUT = 2;
    public const int LIBDEFLATE_INSUFFICIENT_SPACE = 3;

    [LibraryImport(Lib)] public static partial nint libdeflate_alloc_compressor(int compressionLevel);
    [LibraryImport(Lib)] public static partial void libdeflate_free_compressor(nint compressor);
    [LibraryImport(Lib)] public static partial nuint libdeflate_zlib_compress(nint compressor, byte* input, nuint inputBytes, byte* output, nuint outputBytes);
    [LibraryImport(Lib)] public static partial nuint libdeflate_zlib_compress_bound(nint compressor, nuint inputBytes);
    [LibraryImport(Lib)] public static partial nint libdeflate_alloc_decompressor();
    [LibraryImport(Lib)] public static partial void libdeflate_free_decompressor(nint decompressor);

    [LibraryImport(Lib)]
    public static partial int libdeflate_zlib_decompress(nint decompressor, byte* input, nuint inputBytes, byte* output, nuint outputBytes,
        nuint* actualOutputBytes);
}
