using System.Diagnostics;
using Seiscat.Engine.Io.Layouts;
using Seiscat.Engine.Io.Storage;
using Seiscat.Engine.Io;
using Seiscat.Engine.Windows;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Benchmarks;

public sealed record DasReadMethod(string Name, long Windows, long Bytes, double Seconds)
{
    public double GigabytesPerSecond => Bytes / Seconds / 1e9;
    public double WindowsPerSecond => Windows / Seconds;
}

public sealed record DasReadBenchResult(int Channels, double Rate, string SampleType, string Storage, long ArchiveBytes, int WindowSamples, int Threads,
    IReadOnlyList<DasReadMethod> Methods);

/// <summary>
/// `seiscat bench das ARCHIVE`: GB/s from a DAS archive's files to per-channel float32 windows (non-overlapping windows
/// of every channel, time by time), three ways: the transposing block reader `features` uses (rows of all channels
/// read once, transposed in registers), one channel at a time through the same maps (a strided column), and one channel
/// at a time through libhdf5 (H5Dread of a one-column hyperslab, the naive reader). Bytes are stored sample bytes
/// delivered; each method runs until it has read the archive or spent <c>budgetSeconds</c> (the column readers touch
/// every stored row once per channel, so on a large archive they read a share and their rate is that share's).
/// </summary>
public static class DasReadBenchmark
{
    public static DasReadBenchResult Run(IReadOnlyList<string> paths, LayoutOptions layout, double windowSeconds, int threads, double budgetSeconds)
    {
        var archive = ArchiveScanner.Open(paths, layout);
        if (archive.Units.Count < 2 || !archive.AllPieces.All(p => p.Row >= 0 && p.SamplesAlongFirstAxis))
            throw new SeiscatException($"bench das: {string.Join(", ", paths.Take(2))} is not a DAS archive (a time × channel matrix per file); " +
                "write one with `seiscat synth --das`");
        var first = archive.Units[0].Pieces[0][0];
        var samples = (int)Math.Round(windowSeconds * first.Rate);
        var step = (long)Math.Round(samples * 1e9 / first.Rate);
        var plan = new WindowPlan(archive.Units, samples, step, GapPolicy.Skip, WindowOrder.TimeMajor);
        var channels = archive.Units.Count;
        var size = first.Type.Size;
        var starts = Enumerable.Range(0, (int)(plan.Count / channels)).Select(i => plan.Locate((long)i * channels).StartNs).ToArray();
        var stored = archive.Files.Sum(f => new FileInfo(f).Length);
        var methods = new List<DasReadMethod>
        {
            Measure("block (transposed, mapped)", plan, starts, threads, budgetSeconds, size, (cutter, _, start, stations, block, missing) =>
                cutter.CutMany(stations, start, block, samples, missing)),
            Measure("column (strided, mapped)", plan, starts, threads, budgetSeconds, size, (cutter, _, start, stations, block, _) =>
            {
                for (var k = 0; k < stations.Length; k++) cutter.Cut(stations[k], 0, start, block.AsSpan(k * samples, samples));
            }),
            Measure("column (H5Dread hyperslab)", plan, starts, threads, budgetSeconds, size, (_, files, start, stations, block, _) =>
            {
                for (var k = 0; k < stations.Length; k++)
                {
                    plan.Resolve(stations[k], 0, start, Spans.Value!, out var n);
                    foreach (var span in Spans.Value!.AsSpan(0, n))
                    {
                        var ds = files.Open(span.Piece);
                        ds.ReadHyperslab<float>(block.AsSpan(k * samples + span.WindowOffset, span.Count), [span.PieceOffset, span.Piece.Row], [span.Count, 1]);
                    }
                }
            }),
        };
        return new DasReadBenchResult(channels, first.Rate, first.Type.ToString(), first.Storage.Describe(), stored, samples, threads, methods);
    }

    private static readonly ThreadLocal<PieceSpan[]> Spans = new(() => new PieceSpan[16]);

    private delegate void ReadStart(WindowCutter cutter, OpenDatasets files, long start, int[] stations, float[] block, int[] missing);

    // Window starts are handed out in order to the threads; each reads every channel at its start.
    private static DasReadMethod Measure(string name, WindowPlan plan, long[] starts, int threads, double budgetSeconds, int size, ReadStart read)
    {
        var channels = plan.Units.Count;
        var samples = plan.WindowSamples;
        using var storage = new ArchiveStorage { SharedChunkBytes = 256L << 20 };
        // Warm-up: the first windows' starts once on this thread, so the measurement runs optimised code (tiered JIT).
        {
            var cutter = new WindowCutter(plan, storage);
            using var files = new OpenDatasets();
            var clock0 = Stopwatch.StartNew();
            for (var i = 0; i < starts.Length && clock0.Elapsed.TotalSeconds < 0.5; i++)
                read(cutter, files, starts[i], Enumerable.Range(0, channels).ToArray(), new float[channels * samples], new int[channels]);
        }
        var next = -1;
        long done = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, Math.Max(1, threads)).Select(_ => Task.Run(() =>
        {
            var cutter = new WindowCutter(plan, storage);
            using var files = new OpenDatasets();
            var stations = Enumerable.Range(0, channels).ToArray();
            var block = new float[channels * samples];
            var missing = new int[channels];
            int i;
            while ((i = Interlocked.Increment(ref next)) < starts.Length && clock.Elapsed.TotalSeconds < budgetSeconds)
            {
                read(cutter, files, starts[i], stations, block, missing);
                Interlocked.Increment(ref done);
            }
        })).ToArray();
        Task.WaitAll(workers);
        var seconds = clock.Elapsed.TotalSeconds;
        return new DasReadMethod(name, done * channels, done * channels * samples * (long)size, seconds);
    }

    // libhdf5 handles per file, kept open across windows (opening is not what the naive reader is slow at).
    private sealed class OpenDatasets : IDisposable
    {
        private readonly Dictionary<string, (H5File File, H5Dataset Dataset)> _open = [];

        public H5Dataset Open(ChannelPiece p)
        {
            var key = p.File + ":" + p.Dataset;
            if (_open.TryGetValue(key, out var o)) return o.Dataset;
            var f = H5File.OpenRead(p.File);
            var ds = f.OpenDataset(p.Dataset);
            _open[key] = (f, ds);
            return ds;
        }

        public void Dispose()
        {
            foreach (var (f, d) in _open.Values)
            {
                d.Dispose();
                f.Dispose();
            }
        }
    }
}
