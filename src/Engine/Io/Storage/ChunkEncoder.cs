using System.Runtime.InteropServices;
using Seiscat.Engine.Kernels;
using Seiscat.Native.Deflate;

namespace Seiscat.Engine.Io.Storage;

/// <summary>
/// Applies the pipeline seiscat's row outputs declare — shuffle, then deflate — to one chunk in managed code, so a
/// chunk can be compressed on the thread that computed it and stored with H5Dwrite_chunk. The deflate step is
/// libdeflate's zlib stream: any HDF5 reader inflates it as its own filter's output (the bytes differ from what the
/// system zlib would store; the values do not). libdeflate at level 1 compresses features 2.7× faster than zlib's
/// level 1, and smaller (bench/results/amd-epyc-2vcpu/issue14/deflate.txt).
/// Not thread-safe: one encoder per thread (it owns its buffers and compressor).
/// </summary>
public sealed class ChunkEncoder : IDisposable
{
    private readonly int _elementSize;
    private readonly byte[] _shuffled, _stored;
    private readonly DeflateCompressor _compressor;

    public ChunkEncoder(int chunkBytes, int elementSize, int deflateLevel)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(elementSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)deflateLevel, 9u, nameof(deflateLevel));
        ChunkBytes = chunkBytes;
        _elementSize = elementSize;
        _compressor = new DeflateCompressor(deflateLevel);
        _shuffled = new byte[chunkBytes];
        _stored = new byte[DeflateCompressor.Bound(chunkBytes)];
    }

    /// <summary>Raw bytes of one chunk.</summary>
    public int ChunkBytes { get; }

    /// <summary>Bytes an encoder of <paramref name="chunkBytes"/>-byte chunks holds.</summary>
    public static long BytesFor(int chunkBytes) => chunkBytes + (long)DeflateCompressor.Bound(chunkBytes) + DeflateCompressor.NativeBytes;

    /// <summary>Encodes one whole chunk; the result is valid until the next call.</summary>
    public ReadOnlySpan<byte> Encode(ReadOnlySpan<byte> chunk)
    {
        if (chunk.Length != ChunkBytes) throw new ArgumentException($"a chunk holds {ChunkBytes} bytes, not {chunk.Length}", nameof(chunk));
        ByteShuffle.Shuffle(chunk, _shuffled, _elementSize);
        return _stored.AsSpan(0, _compressor.Compress(_shuffled, _stored));
    }

    /// <summary>Encodes a chunk of <typeparamref name="T"/> values.</summary>
    public ReadOnlySpan<byte> Encode<T>(ReadOnlySpan<T> chunk) where T : unmanaged => Encode(MemoryMarshal.AsBytes(chunk));

    public void Dispose() => _compressor.Dispose();
}
