using Seiscat.Engine.Kernels;
using Seiscat.Native.Deflate;
using Seiscat.Native.Hdf5;
using Seiscat.Native.Zstd;

namespace Seiscat.Engine.Io.Storage;

/// <summary>
/// Undoes the filter pipelines seiscat decodes itself — any order of shuffle, deflate (zlib streams, inflated by libdeflate),
/// Zstandard (frames, by libzstd) and Fletcher-32 — for one chunk, into caller buffers. Other filters (szip, n-bit, scale-offset, other plugins) are not
/// handled here: <see cref="CanDecode"/> says so and the reader falls back to H5Dread.
/// Not thread-safe: one decoder per reading thread (it owns a scratch buffer and a libdeflate decompressor).
/// </summary>
internal sealed class ChunkDecoder
{
    private byte[] _scratch = [];
    // 11 KiB of native state; its SafeHandle frees it when the decoder is collected (decoders live as long as their reader).
    private DeflateDecompressor? _inflater;
    private ZstdDecompressor? _zstd;

    public static bool CanDecode(IReadOnlyList<H5Filter> filters) => filters.All(f => Hdf5Filters.DecodedBySeiscat(f.Id));

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
                        _inflater ??= new DeflateDecompressor();
                        var result = _inflater.Inflate(current, target);
                        if (result != InflateResult.Exact)
                            throw new InvalidDataException(result switch
                            {
                                InflateResult.Short => $"deflate produced fewer bytes than the chunk's {output.Length}",
                                InflateResult.Long => $"deflate produced more bytes than the chunk's {output.Length}",
                                _ => "the deflate stream is corrupt (bad codes or checksum)",
                            });
                        current = target;
                        inScratch = !inScratch;
                        break;
                    }
                case Hdf5Filters.Zstd:
                    {
                        var target = inScratch ? output : _scratch.AsSpan(0, output.Length);
                        _zstd ??= new ZstdDecompressor();
                        // A frame that holds more than the chunk fails here ("destination buffer is too small").
                        var written = _zstd.Decompress(current, target, out var error)
                            ?? throw new InvalidDataException($"the zstd frame is corrupt ({error})");
                        if (written != output.Length)
                            throw new InvalidDataException($"zstd produced {written} bytes, not the chunk's {output.Length}");
                        current = target;
                        inScratch = !inScratch;
                        break;
                    }
                case H5Filter.Shuffle:
                    {
                        var target = inScratch ? output : _scratch.AsSpan(0, current.Length);
                        ByteShuffle.Unshuffle(current, target, elementSize);
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
}
