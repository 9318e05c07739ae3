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
    /// <summary>Scattering configuration file; null = scatseisnet's tutorial banks at the archive's rate (FeaturesJob.DefaultConfig).</summary>
    public string? ConfigPath { get; init; }
    /// <summary>Overrides the configuration's "path" (exact or fast); null keeps it.</summary>
    public ScatteringPath? ScatterPath { get; init; }
    public double? WindowSeconds { get; init; }
    public double? StepSeconds { get; init; }
    public GapPolicy Gaps { get; init; } = GapPolicy.Skip;
    /// <summary>Detrend and filter; the decimation factor is <see cref="Decimation"/> (null = inferred).</summary>
    public PreprocessOptions Preprocess { get; init; } = new();
    public int? Decimation { get; init; }
    public string? Components { get; init; }
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
}

public sealed record FeaturesResult(long Windows, int Features, int Stations, double Seconds, string Preprocess);

/// <summary>
/// archive → features.h5: opens the archive, settles the configuration (defaults, decimation, window/step checks),
/// plans windows and runs <see cref="FeatureExtraction"/>. Also computes a fingerprint of everything the output depends
/// on (inputs' names, sizes and times, configuration, options, code version) so `run` can skip an up-to-date stage.
/// </summary>
public static class FeaturesJob
{
    public static FeaturesResult Run(FeaturesRequest r, string outPath, List<string> warnings, IProgress<StageProgress>? progress = null)
    {
        var a = ArchiveScanner.Open(r.Paths, r.Layout);
        if (r.Components is { } keep) a = KeepComponents(a, keep);
        var rate = a.Stations[0].Pieces[0][0].Rate;
        var cfg = r.ConfigPath is { } path ? ScatteringConfig.Load(path, warnings) : DefaultConfig(rate, r.WindowSeconds ?? Math.Max(40, 256 / rate));
        if (r.ScatterPath is { } scatterPath) cfg = cfg with { Path = scatterPath };
        if (cfg.Pooling == Pooling.None)
            throw new SeiscatException("pooling \"none\" gives scalograms, not feature rows; use avg, max or median for features (or `seiscat " +
                "scatter` for scalograms)");
        var q = r.Decimation ?? InferDecimation(rate, cfg.SamplingRate);
        var windowRaw = cfg.Bins * q;
        if (r.WindowSeconds is { } wsec && Math.Abs(wsec * rate - windowRaw) > 0.5)
            throw new SeiscatException(string.Create(CultureInfo.InvariantCulture,
                $"{Setting.Window.Ref()} {wsec} s is {wsec * rate:0} samples at {rate} Hz, but the configuration needs {cfg.Bins} samples at " +
                    $"{cfg.SamplingRate} Hz (×{q} decimation = {windowRaw}); change {Setting.Window.Ref()} or the config's bins"));
        var stepSeconds = r.StepSeconds ?? windowRaw / rate / 2;
        var pre = r.Preprocess with { Decimation = q };
        foreach (var st in a.Stations)
        {
            var sr = st.Pieces[0][0].Rate;
            if (Math.Abs(sr - cfg.SamplingRate * q) > 1e-6 * sr)
                throw new SeiscatException($"{st.StationId} is sampled at {sr} Hz but the configuration expects {cfg.SamplingRate} Hz × decimation " +
                    $"{q}; set {Setting.Decimation.Ref()} or the config's sampling_rate, or select stations");
        }
        var channels = a.Stations[0].ChannelIds.Count;
        var plan = new WindowPlan(a.Stations, windowRaw, (long)Math.Round(stepSeconds * 1e9), r.Gaps);
        // Estimate plans are the same on every machine only without wisdom: FFTW uses any wisdom it holds, whatever the flag
        // (a PATIENT run's ~/.cache wisdom changed an estimate run's bytes).
        var scattering = r.Effort == FftwEffort.Estimate ? new ScatteringPlan(cfg, r.Effort) : FftwPlan.WithWisdom(() => new ScatteringPlan(cfg, r.Effort));
        var meta = scattering.CoefficientsFor(channels).ToList();
        var columns = new FeatureColumns(meta.Select(m => m.Order).ToArray(), meta.Select(m => m.Channel).ToArray(), meta.Select(m => m.J1).ToArray(),
            meta.Select(m => m.J2).ToArray(), meta.Select(m => m.F1Hz).ToArray(), meta.Select(m => m.F2Hz).ToArray(),
            meta.Select(m => m.Statistic is { } st ? (int)st : -1).ToArray(),
            cfg.Prune ? meta.Select(m => scattering.IsComputed(m) ? 1 : 0).ToArray() : null);
        var threads = Math.Max(1, r.Threads);
        var mapped = r.Memory.MappedResidentBytes;
        // Each thread keeps decoded chunks (SampleReader: two per component).
        var largestChunk = a.Stations.SelectMany(s => s.Pieces).SelectMany(p => p)
            .Select(p => p.Storage.ChunkDims is { Length: > 0 } dims ? dims.Aggregate(1L, (x, y) => x * y) * p.Type.Size : 0).DefaultIfEmpty(0).Max();
        r.Memory.Require(threads * (scattering.WorkspaceBytes + 4L * (windowRaw + channels * cfg.Bins)
                + SampleReader.ChunksPerComponent * channels * largestChunk)
            + threads * FeaturesWriter.NewEncoderBytes(columns.Count) + (2L * threads + 1) * FeatureExtraction.BatchBytes(columns.Count)
            + 4L * FeaturesWriter.RowsPerChunk * columns.Count + mapped,
            $"features with {columns.Count} coefficients per window on {threads} thread(s)", $"lower {Setting.Threads.Ref()} or raise {Setting.Memory.Ref()}");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var storage = new ArchiveStorage { ResidentLimitBytes = mapped };
        var stations = a.Stations.Select(s => s.StationId).ToList();
        var windowNs = (long)Math.Round(windowRaw * 1e9 / rate);
        var (first, count) = ShardPlace.Range(plan.Count, r.ShardIndex, r.ShardCount, FeaturesWriter.Kind.Alignment);
        ShardPlace? shard = r.ShardCount > 1 ? new ShardPlace(r.ShardIndex, r.ShardCount, first, plan.Count) : null;
        var provenance = new FeaturesProvenance(pre.Describe(), r.Gaps == GapPolicy.Skip ? "skip" : "zero-fill", a.Layout,
            JsonSerializer.Serialize(a.Files, PlainJson.Default.IReadOnlyListString), a.Stations.Select(s => string.Join(",", s.ChannelIds)).ToList(),
            r.Effort.ToString().ToLowerInvariant());

        void Extract(PartWrite w)
        {
            using var writer = new FeaturesWriter(w.Path, columns, stations, cfg.ToJson(), windowNs, plan.StepNs);
            writer.SetProvenance(provenance);
            // Progress counts the whole run (this shard), across checkpoint parts.
            var report = progress is null ? null : new OffsetProgress(progress, w.From - first, count, clock);
            FeatureExtraction.Run(plan, storage, channels, cfg.Bins, pre, scattering.NewWorker, columns.Count, writer,
                new FeatureExtraction.Options(threads), report, firstWindow: w.From, windowCount: w.Count);
            if (w.Place is { } at) writer.SetPlace(at);
            writer.Complete();
        }

        // Parts, like shards, start on chunk borders, so assembling them copies stored chunks.
        var partSize = Math.Max(FeaturesWriter.RowsPerChunk, r.CheckpointWindows / FeaturesWriter.RowsPerChunk * FeaturesWriter.RowsPerChunk);
        var resumed = PartedOutput.Run(outPath, Fingerprint(r), first, count, partSize, shard, Extract,
            parts => FeaturesMerge.Run(parts, outPath, asShard: shard));
        return new FeaturesResult(count, columns.Count, a.Stations.Count, clock.Elapsed.TotalSeconds,
            pre.Describe() + (resumed > 0 ? $"; resumed {resumed} windows from checkpoints" : ""));
    }

    // Re-bases a part's progress on the whole run (reported synchronously, unlike Progress<T>).
    private sealed class OffsetProgress(IProgress<StageProgress> inner, long offset, long total, System.Diagnostics.Stopwatch clock) : IProgress<StageProgress>
    {
        public void Report(StageProgress value) => inner.Report(new StageProgress(offset + value.Done, total, clock.Elapsed));
    }

    /// <summary>Changes whenever an input file, the configuration, an option or the code version changes.</summary>
    public static string Fingerprint(FeaturesRequest r) => new Fingerprint()
        .Files(ArchiveScanner.Expand(r.Paths))
        .Text(r.ConfigPath is { } c && File.Exists(c) ? File.ReadAllText(c) : "default")
        .Text(JsonSerializer.Serialize(r with { Paths = [], ConfigPath = null, Threads = 0, Memory = MemoryBudget.Default }, KeyJson.Default.FeaturesRequest))
        .Hex();

    /// <summary>
    /// scatseisnet's tutorial banks ((6,4,2) then (6,1,2)) at the archive's rate, with fewer octaves when
    /// the window is too short for the lowest wavelet (its envelope, 2Q·2^J/fs seconds, must fit in the window), and a
    /// 10 % Tukey taper: without it, the circular convolution's response to the window's edges sits in every band and
    /// the pooled values describe the cut, not the signal (issue 12: the transient contrasts of the default features).
    /// Average pooling, not the tutorial's median: a median leaves out what lasts less than half the window — the
    /// short transients the event features look for. The fast path with pruning (issue 14): same clusters as the exact
    /// path (ARI 1.000 between their labels through one fit on the demo, 3 × 24 h and labelled archives), ≈ 4–5× faster.
    /// </summary>
    public static ScatteringConfig DefaultConfig(double rate, double windowSeconds)
    {
        var bins = (int)Math.Round(windowSeconds * rate);
        var octaves = Math.Clamp((int)Math.Floor(Math.Log2(bins / 4.0)), 1, 6);
        return ScatteringConfig.Parse(string.Create(CultureInfo.InvariantCulture,
            $"{{\"sampling_rate\": {rate}, \"bins\": {bins}, \"layers\": [{{\"octaves\": {octaves}, \"resolution\": 4, \"quality\": 2}}, " +
                $"{{\"octaves\": {octaves}, \"resolution\": 1, \"quality\": 2}}], \"pooling\": \"avg\", \"taper_alpha\": 0.1, \"path\": \"fast\", " +
                $"\"prune\": true}}"));
    }

    private static int InferDecimation(double archiveRate, double configRate)
    {
        var ratio = archiveRate / configRate;
        var q = (int)Math.Round(ratio);
        if (q >= 1 && Math.Abs(ratio - q) < 1e-6) return q;
        throw new SeiscatException(string.Create(CultureInfo.InvariantCulture,
            $"the archive is sampled at {archiveRate} Hz and the configuration at {configRate} Hz, which is not an integer ratio; set the config's " +
                $"sampling_rate to {archiveRate} or a divisor of it"));
    }

    private static Archive KeepComponents(Archive a, string codes)
    {
        var stations = a.Stations.Select(s =>
        {
            var keep = s.ChannelIds.Select((id, i) => (id, i)).Where(x => codes.Contains(x.id[^1])).ToList();
            return s with { ChannelIds = keep.Select(k => k.id).ToList(), Pieces = keep.Select(k => s.Pieces[k.i]).ToList() };
        }).Where(s => s.ChannelIds.Count > 0).ToList();
        if (stations.Count == 0) throw new SeiscatException($"{Setting.Components.Ref()} {codes}: no channel has one of these component codes");
        return a with { Stations = stations };
    }
}
