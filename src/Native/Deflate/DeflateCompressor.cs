using System.Runtime.InteropServices;

namespace Seiscat.Native.Deflate;

/// <summary>
/// One libdeflate compressor at a fixed level, writing zlib streams (the format HDF5's deflate filter stores and any
/// HDF5 reader inflates). Deterministic: the same input and level give the same bytes. Not thread-safe: one per thread.
/// </summary>
public sealed unsafe class DeflateCompressor : SafeHandle
{
    /// <summary>Native memory a level-1 compressor touches (measured as RSS growth: ≈ 191 KiB), rounded up for budgets.</summary>
    public const long NativeBytes = 256 << 10;

    public DeflateCompressor(int level) : base(0, ownsHandle: true)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)level, 12u, nameof(level));
        SetHandle(Interop.libdeflate_alloc_compressor(level));
        if (IsInvalid) throw new OutOfMemoryException("libdeflate could not allocate a compressor");
        Level = level;
    }

    public int Level { get; }

    public override bool IsInvalid => handle == 0;

    /// <summary>The most bytes <see cref="Compress"/> can produce from <paramref name="inputBytes"/> bytes (any level).</summary>
    public static int Bound(int inputBytes) => checked((int)Interop.libdeflate_zlib_compress_bound(0, (nuint)inputBytes));

    /// <summary>Compresses <paramref name="input"/> into <paramref name="output"/> (at least <see cref="Bound"/> bytes);
    /// returns the stream's length.</summary>
    public int Compress(ReadOnlySpan<byte> input, Span<byte> output)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(output.Length, Bound(input.Length), nameof(output));
        nuint n;
        fixed (byte* i = input)
        fixed (byte* o = output)
            n = Interop.libdeflate_zlib_compress(handle, i, (nuint)input.Length, o, (nuint)output.Length);
        // Cannot happen with a bound-sized output; a zero here would silently store an empty chunk.
        if (n == 0) throw new InvalidOperationException("libdeflate: the compressed stream did not fit its bound");
        return (int)n;
    }

    protected override bool ReleaseHandle()
    {
        Interop.libdeflate_free_compressor(handle);
        return true;
    }
}
