using System.Runtime.InteropServices;
using Seiscat.Native.Zlib;

namespace Seiscat.Engine.Io.Storage;

/// <summary>
/// Applies the pipeline seiscat's row outputs declare — shuffle, then deflate — to one chunk in managed code, so a
/// chunk can be compressed on the thread that computed it and stored with H5Dwrite_chunk. The deflate step calls the
/// system zlib's compress2, as HDF5's filter does: the stored bytes equal what HDF5 would have written.
/// Not thread-safe: one encoder per thread (it owns its buffers).
/// </summary>
public sealed class ChunkEncoder
{
    private readonly int _elementSize, _level;
    private readonly byte[] _shuffled, _stored;

    public ChunkEncoder(int chunkBytes, int elementSize, int deflateLevel)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(elementSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)deflateLevel, 9u, nameof(deflateLevel));
        ChunkBytes = chunkBytes;
        _elementSize = elementSize;
        _level = deflateLevel;
        _shuffled = new byte[chunkBytes];
        _stored = new byte[Zlib.Bound(chunkBytes)];
    }

    /// <summary>Raw bytes of one chunk.</summary>
    public int ChunkBytes { get; }

    /// <summary>Bytes this encoder holds (for memory budgets).</summary>
    public long BufferBytes => _shuffled.Length + (long)_stored.Length;

    /// <summary>Encodes one whole chunk; the result is valid until the next call.</summary>
    public ReadOnlySpan<byte> Encode(ReadOnlySpan<byte> chunk)
    {
        if (chunk.Length != ChunkBytes) throw new ArgumentException($"a chunk holds {ChunkBytes} bytes, not {chunk.Length}", nameof(chunk));
        Shuffle(chunk, _shuffled, _elementSize);
        return _stored.AsSpan(0, Zlib.Compress(_shuffled, _stored, _level));
    }

    /// <summary>Encodes a chunk of <typeparamref name="T"/> values.</summary>
    public ReadOnlySpan<byte> Encode<T>(ReadOnlySpan<T> chunk) where T : unmanaged => Encode(MemoryMarshal.AsBytes(chunk));

    /// <summary>HDF5 shuffle: byte b of element i goes to b·n + i; trailing bytes (size not a multiple) are copied
    /// (the inverse of <see cref="ChunkDecoder.Unshuffle"/>).</summary>
    internal static void Shuffle(ReadOnlySpan<byte> input, Span<byte> shuffled, int elementSize)
    {
        if (elementSize <= 1) { input.CopyTo(shuffled); return; }
        var n = input.Length / elementSize;
        for (var b = 0; b < elementSize; b++)
        {
            var dst = shuffled.Slice(b * n, n);
            for (var i = 0; i < n; i++) dst[i] = input[i * elementSize + b];
        }
        var tail = n * elementSize;
        input[tail..].CopyTo(shuffled[tail..]);
    }
}
