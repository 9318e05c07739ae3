using System.IO.Compression;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Seiscat.Engine.Io.Storage;
using Seiscat.Engine.Kernels;
using Seiscat.Native.Deflate;

namespace Seiscat.Engine.Benchmarks.Io;

/// <summary>
/// The codecs around the network (issue 14): one features.h5 chunk (64 rows × 576 float32, a third of the columns
/// never computed, as the default network's) deflated at level 1 by libdeflate against .NET's ZLibStream (zlib-ng);
/// one archive chunk (16 384 float32 random-walk samples, shuffled, deflated) inflated by both; shuffle, unshuffle and
/// Fletcher-32 against their scalar twins. Ratios within a category are the figures README quotes.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ChunkCodecBench
{
    private const int Rows = 64, Columns = 576, Samples = 16384;
    private byte[] _rows = [], _shuffledRows = [], _out = [], _archiveStored = [], _archiveRaw = [], _scratch = [];
    private DeflateCompressor _compressor = null!;
    private DeflateDecompressor _decompressor = null!;
    private MemoryStream _sink = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(7);
        var rows = new float[Rows * Columns];
        for (var i = 0; i < Rows; i++)
            for (var j = 0; j < Columns; j++)
                rows[i * Columns + j] = j % 3 == 2 ? 0 : (float)(Math.Exp(-0.01 * j) * (1 + 0.3 * rng.NextDouble()));
        _rows = new byte[rows.Length * 4];
        Buffer.BlockCopy(rows, 0, _rows, 0, _rows.Length);
        _shuffledRows = new byte[_rows.Length];
        ByteShuffle.Shuffle(_rows, _shuffledRows, 4);
        _compressor = new DeflateCompressor(1);
        _decompressor = new DeflateDecompressor();
        _out = new byte[DeflateCompressor.Bound(_rows.Length)];
        _sink = new MemoryStream(_out);

        var samples = new float[Samples];
        double x = 0;
        for (var i = 0; i < Samples; i++) { x = 0.99 * x + rng.NextDouble() - 0.5; samples[i] = (float)(x * 1000); }
        _archiveRaw = new byte[Samples * 4];
        Buffer.BlockCopy(samples, 0, _archiveRaw, 0, _archiveRaw.Length);
        _scratch = new byte[_archiveRaw.Length];
        using var encoder = new ChunkEncoder(_archiveRaw.Length, 4, 3); // the synthetic archives' gzip level
        _archiveStored = encoder.Encode(_archiveRaw).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _compressor.Dispose();
        _decompressor.Dispose();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("deflate features chunk")]
    public long DeflateZlibNg()
    {
        _sink.Position = 0;
        using (var z = new ZLibStream(_sink, CompressionLevel.Fastest, leaveOpen: true)) z.Write(_shuffledRows);
        return _sink.Position;
    }

    [Benchmark, BenchmarkCategory("deflate features chunk")]
    public int DeflateLibdeflate() => _compressor.Compress(_shuffledRows, _out);

    [Benchmark(Baseline = true), BenchmarkCategory("inflate archive chunk")]
    public int InflateZlibNg()
    {
        using var z = new ZLibStream(new MemoryStream(_archiveStored), CompressionMode.Decompress);
        var total = 0;
        while (total < _scratch.Length && z.Read(_scratch, total, _scratch.Length - total) is var n and > 0) total += n;
        return total;
    }

    [Benchmark, BenchmarkCategory("inflate archive chunk")]
    public InflateResult InflateLibdeflate() => _decompressor.Inflate(_archiveStored, _scratch);

    [Benchmark(Baseline = true), BenchmarkCategory("shuffle")]
    public void ShuffleScalar() => ByteShuffle.ShuffleScalar(_rows, _out, 4);

    [Benchmark, BenchmarkCategory("shuffle")]
    public void ShuffleVector() => ByteShuffle.Shuffle(_rows, _out, 4);

    [Benchmark(Baseline = true), BenchmarkCategory("unshuffle")]
    public void UnshuffleScalar() => ByteShuffle.UnshuffleScalar(_shuffledRows, _out, 4);

    [Benchmark, BenchmarkCategory("unshuffle")]
    public void UnshuffleVector() => ByteShuffle.Unshuffle(_shuffledRows, _out, 4);

    [Benchmark(Baseline = true), BenchmarkCategory("fletcher-32")]
    public uint Fletcher32Scalar() => Fletcher32.ComputeScalar(_archiveStored);

    [Benchmark, BenchmarkCategory("fletcher-32")]
    public uint Fletcher32Vector() => Fletcher32.Compute(_archiveStored);
}
