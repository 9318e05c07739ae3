using BenchmarkDotNet.Attributes;
using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Storage;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Benchmarks.Io;

/// <summary>
/// Reading a 1 GiB float32 channel (contiguous, and chunked + shuffle + gzip) in 1 MiB blocks, through the memory
/// map (SampleReader) versus plain H5Dread hyperslabs, on 1 and 2 threads (each thread reads its half).
/// The file is generated once under $SEISCAT_BENCH_DIR or /tmp; GB/s = 1.07 / mean seconds.
/// </summary>
public class ReadBench
{
    private const long Samples = 1L << 28; // 1 GiB of float32
    private const int Block = 1 << 18;     // 1 MiB
    private ChannelPiece _piece = null!;
    private ArchiveStorage _storage = null!;

    [Params("contiguous", "chunked-gzip")]
    public string Storage { get; set; } = "contiguous";

    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        var dir = Environment.GetEnvironmentVariable("SEISCAT_BENCH_DIR") ?? Path.GetTempPath();
        var path = Path.Combine(dir, $"seiscat-bench-{Storage}.h5");
        if (!File.Exists(path)) Write(path, Storage == "chunked-gzip");
        var archive = ArchiveScanner.Open([path], new Seiscat.Engine.Io.Layouts.LayoutOptions { Layout = "generic" });
        _piece = archive.AllPieces.Single();
        _storage = new ArchiveStorage();
    }

    private static void Write(string path, bool gzip)
    {
        var tmp = path + ".tmp";
        using (var f = H5File.Create(tmp))
        {
            var options = gzip ? new H5DatasetOptions { ChunkDims = [1 << 18], Shuffle = true, DeflateLevel = 1 } : null;
            using var ds = f.CreateDataset<float>("XX.BENCH..HHZ", [Samples], options);
            ds.WriteAttribute("sampling_rate", 100.0);
            ds.WriteAttribute("starttime_ns", 0L);
            var r = new Random(3);
            var block = new float[Block];
            double x = 0;
            for (long off = 0; off < Samples; off += Block)
            {
                for (var i = 0; i < Block; i++) { x = 0.99 * x + r.NextDouble() - 0.5; block[i] = (float)(x * 1000); }
                ds.WriteHyperslab<float>(block, [off], [Block]);
            }
        }
        File.Move(tmp, path, overwrite: true);
    }

    private void Parallel(Action<long, long, float[]> read)
    {
        var per = Samples / Threads;
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            var buffer = new float[Block];
            for (var off = t * per; off < (t + 1) * per; off += Block) read(off, Math.Min(Block, (t + 1) * per - off), buffer);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
    }

    [Benchmark(Baseline = true)]
    public void H5Dread()
    {
        Parallel((off, n, buffer) =>
        {
            using var f = H5File.OpenRead(_piece.File);
            using var ds = f.OpenDataset(_piece.Dataset);
            ds.ReadHyperslab<float>(buffer.AsSpan(0, (int)n), [off], [n]);
        });
    }

    [Benchmark]
    public void MemoryMapped()
    {
        var readers = new ThreadLocal<SampleReader>(() => new SampleReader(_storage));
        Parallel((off, n, buffer) => readers.Value!.Read(_piece, off, buffer.AsSpan(0, (int)n)));
    }

    [GlobalCleanup] public void Cleanup() => _storage.Dispose();
}
