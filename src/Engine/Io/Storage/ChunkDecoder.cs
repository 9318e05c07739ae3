using System.IO.Compression;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Io.Storage;

/// <summary>
/// Undoes the filter pipelines seiscat decodes in managed code — any order of shuffle, deflate (zlib) and
/// Fletcher-32 — for one chunk, into caller buffers. Other filters (szip, n-bit, scale-offset, plugins) are not
/// handled here: <see cref="CanDecode"/> says so and the reader falls back to H5Dread.
/// Not thread-safe: one decoder per reading thread (it owns a scratch buffer).
/// </summary>
internal sealed class ChunkDecoder
{
    private byte[] _scratch = [];

    public static bool CanDecode(IReadOnlyList<H5Filter> filters)
        => filters.All(f => f.Id is H5Filter.Deflate or H5Filter.Shuffle or H5Filter.Fletcher32);

    /// <summary>
    /// Decodes <paramref name="stored"/> into <paramref name="output"/> (exactly the chunk's raw byte size).
    /// Filters are undone in reverse pipeline order; bit i of <paramref name="filterMask"/> marks filter i as skipped.
    /// Throws <see cref="InvalidDataException"/> for corrupt chunks.
    /// </summary>
    public void Decode(ReadOnlySpan<byte> stored, IReadOnlyList<H5Filter> filters, uint filterMask, int elementSize, Span<byte> output)
    {
        // Two buffers alternate: 'current' is always the latest stage's bytes.
        EnsureScratch(Math.Max(stored.Length, output.Length));
        ReadOnlySpan<byte> current = stored;
        var inScratch = false;
        for (var i = filters.Count - 1; i >= 0; i--)
        {
            if ((filterMask & (1u << i)) != 0) continue;
            switch (filters[i].Id)
            {
                case H5Filter.Fletcher32:
                    if (!Fletcher32.Verify(current))
                        throw new InvalidDataException("Fletcher-32 checksum mismatch (the chunk is corrupt)");
                    current = current[..^4];
                    break;
                case H5Filter.Deflate:
                    {
                        // Inflate into whichever of (output, scratch) does not hold the input.
                        var target = inScratch ? output : _scratch.AsSpan(0, output.Length);
                        var n = Inflate(current, target);
                        if (n != output.Length)
                            throw new InvalidDataException($"deflate produced {n} bytes, the chunk holds {output.Length}");
                        current = target[..n];
                        inScratch = !inScratch;
                        break;
                    }
                case H5Filter.Shuffle:
                    {
                        var target = inScratch ? output : _scratch.AsSpan(0, current.Length);
                        Unshuffle(current, target, elementSize);
                        current = target[..current.Length];
                        inScratch = !inScratch;
                        break;
                    }
                default:
                    throw new NotSupportedException($"filter {filters[i].Id} ({filters[i].Name})");
            }
        }
        if (current.Length != output.Length)
            throw new InvalidDataException($"chunk decodes to {current.Length} bytes, expected {output.Length}");
        if (inScratch || !current.Overlaps(output)) current.CopyTo(output);
    }

    private void EnsureScratch(int n)
    {
        if (_scratch.Length < n) _scratch = new byte[Math.Max(n, _scratch.Length * 2)];
    }

    private static unsafe int Inflate(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        fixed (byte* p = source)
        {
            using var ms = new UnmanagedMemoryStream(p, source.Length);
            using var z = new ZLibStream(ms, CompressionMode.Decompress);
            var total = 0;
            while (total < destination.Length)
            {
                var n = z.Read(destination[total..]);
                if (n == 0) break;
                total += n;
            }
            // More data than the chunk can hold means the stream does not belong to this chunk.
            Span<byte> probe = stackalloc byte[1];
            if (total == destination.Length && z.Read(probe) != 0) return total + 1;
            return total;
        }
    }

    /// <summary>HDF5 shuffle stores byte b of element i at b·n + i; trailing bytes (size not a multiple) are copied.</summary>
    internal static void Unshuffle(ReadOnlySpan<byte> shuffled, Span<byte> output, int elementSize)
    {
        if (elementSize <= 1) { shuffled.CopyTo(output); return; }
        var n = shuffled.Length / elementSize;
        for (var b = 0; b < elementSize; b++)
        {
            var src = shuffled.Slice(b * n, n);
            for (var i = 0; i < n; i++) output[i * elementSize + b] = src[i];
        }
        var tail = n * elementSize;
        shuffled[tail..].CopyTo(output[tail..]);
    }
}
