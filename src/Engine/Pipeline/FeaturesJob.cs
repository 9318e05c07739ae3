using System.Globalization;
using System.Text.Json;
using Seiscat.Engine.Common;
using Seiscat.Engine.Common.Parts;
using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Layouts;
using Seiscat.Engine.Io.Storage;
using Seiscat.Engine.Io.Writers;
using Seiscat.Engine.Scattering;
using Seiscat.Engine.Windows;
using Seiscat.Native.Fftw;

namespace Seiscat.Engine.Pipeline;

/// <summary>Everything `features` needs to know; the CLI only fills it in.</summary>
public sealed record FeaturesRequest
{
    public required IReadOnlyList<string> Paths { get; init; }
    public LayoutOptions Layout { get; init; } = new();
    /// <summary>Scattering configuration file; null = scatseisnet's tutorial banks at the archive's rate (ScatteringConfig.Default).</summary>
    public string? ConfigPath { get; init; }
    /// <summary>A learned wavelet bank (`seiscat learn`'s bank.h5): the paper network it describes replaces the configuration.</summary>
    public string? BankPath { get; init; }
    /// <summary>Overrides the configuration's "path" (exact or fast); null keeps it.</summary>
    public ScatteringPath? ScatterPath { get; init; }
    public double? WindowSeconds { get; init; }
    public double? StepSeconds { get; init; }
    public GapPolicy Gaps { get; init; } = GapPolicy.Skip;
    /// <summary>Detrend and filter; the decimation factor is <see cref="Decimation"/> (null = inferred).</summary>
    public PreprocessOptions Preprocess { get; init; } = new();
    public int? Decimation { get; init; }
    public string? Components { get; init; }
    /// <summary>Divide counts by each channel's StationXML sensitivity first (ASDF archives), so instruments of different
    /// gains share one amplitude scale.</summary>
    public GainRemoval Gain { get; init; }
    /// <summary>What one feature row describes: a station's components together, or one channel.</summary>
    public ClusterUnit Unit { get; init; } = ClusterUnit.Auto;
    public int Threads { get; init; } = Environment.ProcessorCount;
    public FftwEffort Effort { get; init; } = FftwEffort.Patient;
    /// <summary>This process computes shard ShardIndex of ShardCount (windows split in contiguous, batch-aligned ranges).</summary>
    public int ShardIndex { get; init; }
    public int ShardCount { get; init; } = 1;
    /// <summary>Windows per checkpoint part (rounded down to a multiple of the features chunk, 64); runs longer than one
    /// part can be resumed after a kill.</summary>
    public int CheckpointWindows { get; init; } = 8192;
    /// <summary>Peak-memory bound: sizes the resident share of the mapped input and refuses thread counts that cannot fit.</summary>
    public MemoryBudget Memory { get; init; } = MemoryBudget.Default;

    /// <summary>How the archive is to be cut (<see cref="WindowSettlement"/>).</summary>
    public WindowRequest Windows() => new(WindowSeconds, StepSeconds, Decimation, Unit, Gain, Gaps, Preprocess);
}

/// <param name="Stations">Units clustered (stations, channels or DAS channels: see UnitNoun).</param>
public sealed record FeaturesResult(long Windows, int Features, int Stations, double Seconds, string Preprocess)
{
    /// <summary>What a unit is here ("station", "channel", "DAS channel"; the first unit's when they differ).</summary>
    public string UnitNoun { get; init; } = "station";
}

/// <summary>
/// archive → features.h5: opens the archive, settles the configuration (defaults, decimation, window/step checks),
/// plans windows and runs <see cref="FeatureExtraction"/>. Also computes a fingerprint of everything the output depends
/// on (inputs' names, sizes and times, configuration, options, code version) so `run` can skip an up-to-date stage.
/// </summary>
public static class FeaturesJob
{
    // A record shorter than the window gives no window at all: say so, with the longest stretch and a window that fits,
    // instead of an empty features file that fit then calls "holds no rows".
    private static SeiscatException NoWindowFits(FeaturesRequest r, Archive a, WindowPlan plan)
    {
        var longest = a.Units.SelectMany(u => u.Pieces.SelectMany(p => p)).MaxBy(p => p.EndNs - p.StartNs)!;
        var seconds = (longest.EndNs - longest.StartNs) / 1e9;
        var window = plan.WindowNsOf(0) / 1e9;
        return new SeiscatException(string.Create(CultureInfo.InvariantCulture,
            $"{string.Join(", ", r.Paths.Take(3))}{(r.Paths.Count > 3 ? ", …" : "")}: no {TimeFormat.Duration(window)} window fits in the record: " +
            $"its longest continuous stretch is {TimeFormat.Duration(seconds)} ({longest.ChannelId}); " +
            $"use a window of at most that length with {Setting.Window.Ref()}"));
    }

    public static FeaturesResult Run(FeaturesRequest r, string outPath, List<string> warnings, IProgress<StageProgress>? progress = null)
    {
        var a = WindowSettlement.Open(r.Paths, r.Layout, r.Gain, r.Components);
        warnings.AddRange(a.Warnings);
        var (config, settled) = Network(r, a, warnings);
        var (rate, bins) = (config.SamplingRate, config.Bins);
        (a, var plan, var pre, var channels, var described) = settled;
        if (plan.Count == 0) throw NoWindowFits(r, a, plan);
        var network = config.Plan(r.Effort, channels);
        var meta = network.Columns;
        var columns = new FeatureColumns(meta.Select(m => m.Order).ToArray(), meta.Select(m => m.Channel).ToArray(), meta.Select(m => m.J1).ToArray(),
            meta.Select(m => m.J2).ToArray(), meta.Select(m => m.F1Hz).ToArray(), meta.Select(m => m.F2Hz).ToArray(),
            meta.Select(m => m.Statistic is { } st ? (int)st : -1).ToArray(), network.Computed);
        var threads = Math.Max(1, r.Threads);
        var mapped = r.Memory.MappedResidentBytes;
        var sharedChunks = RequireMemory(r, a, plan, network, columns.Count, channels, bins, threads);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var storage = new ArchiveStorage { ResidentLimitBytes = mapped, SharedChunkBytes = Math.Max(sharedChunks, 1L << 20) };
        var stations = a.Units.Select(s => s.UnitId).ToList();
        var windowNs = plan.WindowNsOf(0);
        var (first, count) = ShardPlace.Range(plan.Count, r.ShardIndex, r.ShardCount, FeaturesWriter.Kind.Alignment);
        ShardPlace? shard = r.ShardCount > 1 ? new ShardPlace(r.ShardIndex, r.ShardCount, first, plan.Count) : null;
        var provenance = new FeaturesProvenance(described, r.Gaps == GapPolicy.Skip ? "skip" : "zero-fill", a.Layout,
            JsonSerializer.Serialize(a.Files, PlainJson.Default.IReadOnlyListString), a.Units.Select(s => string.Join(",", s.ChannelIds)).ToList(),
            r.Effort.ToString().ToLowerInvariant())
        {
            StationDistanceM = a.Units.Any(s => s.Pieces[0][0].Fibre is not null)
                ? a.Units.Select(s => s.Pieces[0][0].Fibre?.DistanceM ?? double.NaN).ToArray() : null,
        };

        // Consecutive parts still to write go through one pipeline; the writer moves to the next part file as the rows
        // reach its border (parts start on chunk borders, and so do batches: a chunk never straddles two parts).
        void Extract(IReadOnlyList<PartWrite> run)
        {
            var part = 0;
            FeaturesWriter? writer = null;
            FeaturesWriter Open(PartWrite w)
            {
                var opened = new FeaturesWriter(w.Path, columns, stations, network.ConfigJson, windowNs, plan.StepNs);
                opened.SetProvenance(provenance);
                return opened;
            }
            try
            {
                writer = Open(run[0]);
                // Progress counts the whole run (this shard), across checkpoint parts.
                var report = progress is null ? null : new OffsetProgress(progress, run[0].From - first, count, clock);
                FeatureExtraction.Run(plan, storage, channels, bins, pre, network.NewWorker, columns.Count,
                    (at, stored, starts, station, gap) =>
                    {
                        if (at >= run[part].From + run[part].Count)
                        {
                            Complete(writer, run[part]);
                            writer.Dispose();
                            writer = null; // if the next part cannot be opened, nothing is disposed twice
                            writer = Open(run[++part]);
                        }
                        writer.AppendChunk(stored, starts, station, gap);
                    },
                    new FeatureExtraction.Options(threads, rate), report, firstWindow: run[0].From, windowCount: run[^1].From + run[^1].Count - run[0].From);
                Complete(writer, run[part]);
            }
            finally { writer?.Dispose(); }
        }

        static void Complete(FeaturesWriter writer, PartWrite w)
        {
            if (w.Place is { } at) writer.SetPlace(at);
            writer.Complete();
        }

        // Parts, like shards, start on chunk borders, so assembling them copies stored chunks.
        var partSize = Math.Max(FeaturesWriter.RowsPerChunk, r.CheckpointWindows / FeaturesWriter.RowsPerChunk * FeaturesWriter.RowsPerChunk);
        var resumed = PartedOutput.RunConsecutive(outPath, Fingerprint(r), first, count, partSize, shard, Extract,
            (parts, earlier) => FeaturesMerge.Run(parts, outPath, asShard: shard, vet: earlier));
        var description = described + (resumed > 0 ? $"; resumed {resumed} windows from checkpoints" : "");
        return new FeaturesResult(count, columns.Count, a.Units.Count, clock.Elapsed.TotalSeconds, description) { UnitNoun = a.Units[0].Noun };
    }

    // Refuses up front a plan the budget cannot hold; returns the bytes of the shared chunk cache (time-major plans).
    private static long RequireMemory(FeaturesRequest r, Archive a, WindowPlan plan, NetworkPlan network, int columns, int channels, int bins,
        int threads)
    {
        // Each thread keeps decoded chunks (SampleReader: two per component; chunks libhdf5 decodes are kept as float32).
        var largestChunk = a.Units.SelectMany(s => s.Pieces).SelectMany(p => p).DistinctBy(p => (p.File, p.Dataset))
            .Select(p => p.Storage.ChunkDims is { Length: > 0 } dims
                ? dims.Aggregate(1L, (x, y) => x * y) * (Hdf5Filters.Route(p.Storage) == ChunkRoute.Libhdf5 ? sizeof(float) : p.Type.Size) : 0)
            .DefaultIfEmpty(0).Max();
        // Time-major (DAS) plans read matrix chunks through one shared cache instead of per-thread slots.
        var sharedChunks = plan.Order == WindowOrder.TimeMajor ? (2L * threads + 2) * largestChunk : 0;
        r.Memory.Require(threads * (network.WorkspaceBytes + 4L * (plan.WindowSamples + channels * bins) + FeatureExtraction.BlockBytes(plan)
                + (sharedChunks > 0 ? 0 : SampleReader.ChunksPerComponent * channels * largestChunk)) + sharedChunks
            + threads * FeaturesWriter.NewEncoderBytes(columns) + (2L * threads + 1) * FeatureExtraction.BatchBytes(columns)
            + 4L * FeaturesWriter.RowsPerChunk * columns + r.Memory.MappedResidentBytes,
            $"features with {columns} coefficients per window on {Plural.Of(threads, "thread")}",
            $"lower {Setting.Threads.Ref()} or raise {Setting.Memory.Ref()}");
        return sharedChunks;
    }

    // Re-bases a part's progress on the whole run (reported synchronously, unlike Progress<T>).
    private sealed class OffsetProgress(IProgress<StageProgress> inner, long offset, long total, System.Diagnostics.Stopwatch clock) : IProgress<StageProgress>
    {
        public void Report(StageProgress value) => inner.Report(new StageProgress(offset + value.Done, total, clock.Elapsed));
    }

    // The network (the request's configuration or bank, else the default at the archive's common rate) settled on the
    // archive: which units reach its rate, their window plan and preprocessing.
    private static (INetworkConfig Config, SettledWindows Settled) Network(FeaturesRequest r, Archive a, List<string> warnings)
    {
        var config = NetworkConfigs.Load(r.ConfigPath, r.BankPath, warnings);
        if (config is null)
        {
            // The default rate: the highest that at least half of the stations reach, so a mixed network keeps most of
            // its stations at the finest resolution they share (a uniform archive: its own rate, as before).
            var common = WindowSettlement.CommonRate(a.Units);
            var target = r.Decimation is { } d ? common / d : common;
            config = ScatteringConfig.Default(target, r.WindowSeconds ?? Math.Max(40, 256 / target));
        }
        if (config is ScatteringConfig morlet)
        {
            if (r.ScatterPath is { } scatterPath) config = morlet = morlet with { Path = scatterPath };
            if (morlet.Pooling == Pooling.None)
                throw new SeiscatException("pooling \"none\" gives scalograms, not feature rows; use avg, max or median for features (or `seiscat " +
                    "scatter` for scalograms)");
        }
        else if (r.ScatterPath is not null) warnings.Add($"{Setting.ScatterPath.Ref()} ignored: the paper network has one path");
        return (config, WindowSettlement.Settle(a, config.SamplingRate, config.Bins, r.Windows(), warnings));
    }

    /// <summary>Changes whenever an input file, the configuration, an option or the code version changes.</summary>
    public static string Fingerprint(FeaturesRequest r) => new Fingerprint()
        .Files(ArchiveScanner.Expand(r.Paths))
        .Text(NetworkConfigs.Text(r.ConfigPath, r.BankPath))
        .Text(JsonSerializer.Serialize(r with { Paths = [], ConfigPath = null, BankPath = null, Threads = 0, Memory = MemoryBudget.Default },
            KeyJson.Default.FeaturesRequest))
        .Hex();
}
