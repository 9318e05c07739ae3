using System.Globalization;
using System.Text.Json;
using Seiscat.Engine.Common;
using Seiscat.Engine.Common.Parts;
using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Layouts;
using Seiscat.Engine.Io.Storage;
using Seiscat.Engine.Io.Writers;
using Seiscat.Engine.Learning;
using Seiscat.Engine.Scattering;
using Seiscat.Engine.Scattering.Paper;
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
}

/// <summary>What one feature row describes. Auto: station when every station has the same number of components, else
/// channel.</summary>
public enum ClusterUnit { Auto, Station, Channel }

/// <summary>Overall gain removal before preprocessing: none (counts) or the ASDF StationXML sensitivity.</summary>
public enum GainRemoval { None, StationXml }

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
        var a = Open(r);
        warnings.AddRange(a.Warnings);
        var paper = PaperConfigOf(r, warnings);
        ScatteringConfig? cfg = null;
        if (paper is null)
        {
            cfg = r.ConfigPath is { } path ? ScatteringConfig.Load(path, warnings) : null;
            if (cfg is null)
            {
                // The default rate: the highest that at least half of the stations reach, so a mixed network keeps most of
                // its stations at the finest resolution they share (a uniform archive: its own rate, as before).
                var common = CommonRate(a.Stations);
                var target = r.Decimation is { } d ? common / d : common;
                cfg = DefaultConfig(target, r.WindowSeconds ?? Math.Max(40, 256 / target));
            }
            if (r.ScatterPath is { } scatterPath) cfg = cfg with { Path = scatterPath };
            if (cfg.Pooling == Pooling.None)
                throw new SeiscatException("pooling \"none\" gives scalograms, not feature rows; use avg, max or median for features (or `seiscat " +
                    "scatter` for scalograms)");
        }
        else if (r.ScatterPath is not null) warnings.Add($"{Setting.ScatterPath.Ref()} ignored: the paper network has one path");
        var (rate, bins) = paper is { } pc ? (pc.SamplingRate, pc.Bins) : (cfg!.SamplingRate, cfg.Bins);
        var (archive, plan, pre, channels, described) = Settle(r, a, rate, bins, warnings);
        a = archive;
        var network = paper is { } pn ? FeatureNetwork.Paper(pn, r.Effort, channels) : FeatureNetwork.Scattering(cfg!, r.Effort, channels);
        var meta = network.Columns;
        var columns = new FeatureColumns(meta.Select(m => m.Order).ToArray(), meta.Select(m => m.Channel).ToArray(), meta.Select(m => m.J1).ToArray(),
            meta.Select(m => m.J2).ToArray(), meta.Select(m => m.F1Hz).ToArray(), meta.Select(m => m.F2Hz).ToArray(),
            meta.Select(m => m.Statistic is { } st ? (int)st : -1).ToArray(), network.Computed);
        var threads = Math.Max(1, r.Threads);
        var mapped = r.Memory.MappedResidentBytes;
        // Each thread keeps decoded chunks (SampleReader: two per component; chunks libhdf5 decodes are kept as float32).
        var largestChunk = a.Stations.SelectMany(s => s.Pieces).SelectMany(p => p).DistinctBy(p => (p.File, p.Dataset))
            .Select(p => p.Storage.ChunkDims is { Length: > 0 } dims
                ? dims.Aggregate(1L, (x, y) => x * y) * (Hdf5Filters.Route(p.Storage) == ChunkRoute.Libhdf5 ? sizeof(float) : p.Type.Size) : 0)
            .DefaultIfEmpty(0).Max();
        // Time-major (DAS) plans read matrix chunks through one shared cache instead of per-thread slots.
        var sharedChunks = plan.Order == WindowOrder.TimeMajor ? (2L * threads + 2) * largestChunk : 0;
        r.Memory.Require(threads * (network.WorkspaceBytes + 4L * (plan.WindowSamples + channels * bins) + FeatureExtraction.BlockBytes(plan)
                + (sharedChunks > 0 ? 0 : SampleReader.ChunksPerComponent * channels * largestChunk)) + sharedChunks
            + threads * FeaturesWriter.NewEncoderBytes(columns.Count) + (2L * threads + 1) * FeatureExtraction.BatchBytes(columns.Count)
            + 4L * FeaturesWriter.RowsPerChunk * columns.Count + mapped,
            $"features with {columns.Count} coefficients per window on {threads} thread(s)", $"lower {Setting.Threads.Ref()} or raise {Setting.Memory.Ref()}");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var storage = new ArchiveStorage { ResidentLimitBytes = mapped, SharedChunkBytes = Math.Max(sharedChunks, 1L << 20) };
        var stations = a.Stations.Select(s => s.StationId).ToList();
        var windowNs = plan.WindowNsOf(0);
        var (first, count) = ShardPlace.Range(plan.Count, r.ShardIndex, r.ShardCount, FeaturesWriter.Kind.Alignment);
        ShardPlace? shard = r.ShardCount > 1 ? new ShardPlace(r.ShardIndex, r.ShardCount, first, plan.Count) : null;
        var provenance = new FeaturesProvenance(described, r.Gaps == GapPolicy.Skip ? "skip" : "zero-fill", a.Layout,
            JsonSerializer.Serialize(a.Files, PlainJson.Default.IReadOnlyListString), a.Stations.Select(s => string.Join(",", s.ChannelIds)).ToList(),
            r.Effort.ToString().ToLowerInvariant())
        {
            StationDistanceM = a.Stations.Any(s => s.Pieces[0][0].Fibre is not null)
                ? a.Stations.Select(s => s.Pieces[0][0].Fibre?.DistanceM ?? double.NaN).ToArray() : null,
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
        return new FeaturesResult(count, columns.Count, a.Stations.Count, clock.Elapsed.TotalSeconds,
            described + (resumed > 0 ? $"; resumed {resumed} windows from checkpoints" : ""));
    }

    // Re-bases a part's progress on the whole run (reported synchronously, unlike Progress<T>).
    private sealed class OffsetProgress(IProgress<StageProgress> inner, long offset, long total, System.Diagnostics.Stopwatch clock) : IProgress<StageProgress>
    {
        public void Report(StageProgress value) => inner.Report(new StageProgress(offset + value.Done, total, clock.Elapsed));
    }

    /// <summary>The archive a request reads (gain sensitivities and component selection applied).</summary>
    public static Archive Open(FeaturesRequest r)
    {
        var a = ArchiveScanner.Open(r.Paths, r.Gain == GainRemoval.StationXml ? r.Layout with { ReadSensitivity = true } : r.Layout);
        return r.Components is { } keep ? KeepComponents(a, keep) : a;
    }

    /// <summary>The paper network a request asks for (a bank file, or a configuration with "network": "paper"), else null.</summary>
    public static PaperConfig? PaperConfigOf(FeaturesRequest r, List<string> warnings)
    {
        if (r.BankPath is { } bank)
        {
            if (r.ConfigPath is not null)
                throw new SeiscatException($"{Setting.Bank.Ref()} and {Setting.Config.Ref()} both describe the network; pass one of them");
            return BankFile.Load(bank);
        }
        return r.ConfigPath is { } path && File.Exists(path) && PaperConfig.IsPaper(File.ReadAllText(path))
            ? PaperConfig.Load(path, warnings) : null;
    }

    /// <summary>What `features` and `learn` settle the same way for a network at a rate and window: the stations that
    /// reach the rate, the units, the window plan and the preprocessing (with the decimation factor).</summary>
    public static (Archive Archive, WindowPlan Plan, PreprocessOptions Pre, int Channels, string Described) Settle(FeaturesRequest r, Archive a, double rate,
        int bins, List<string> warnings)
    {
        if (r.WindowSeconds is { } wsec && Math.Abs(wsec * rate - bins) > 0.5)
            throw new SeiscatException(string.Create(CultureInfo.InvariantCulture,
                $"{Setting.Window.Ref()} {wsec} s is {wsec * rate:0} samples at the configuration's {rate} Hz, but it " +
                    $"needs {bins} samples ({bins / rate} s); change {Setting.Window.Ref()} or the config's bins"));
        a = a with { Stations = Reachable(a.Stations, rate, r.Decimation, warnings) };
        a = a with { Stations = Units(a.Stations, r.Unit) };
        if (r.Gain == GainRemoval.StationXml)
        {
            var missing = a.Stations.SelectMany(st => st.Pieces.SelectMany(p => p)).Where(p => p.Sensitivity is null).Select(p => p.ChannelId).Distinct()
                .ToList();
            if (missing.Count > 0)
                throw new SeiscatException($"{Setting.Gain.Ref()} stationxml: no StationXML sensitivity for {string.Join(", ", missing.Take(5))}" +
                    $"{(missing.Count > 5 ? $" and {missing.Count - 5} more" : "")}; drop {Setting.Gain.Ref()}, or select stations whose ASDF files carry " +
                    $"their StationXML ({Setting.Stations.Ref()})");
        }
        var stepSeconds = r.StepSeconds ?? bins / rate / 2;
        var rates = a.Stations.Select(st => st.Pieces[0][0].Rate).ToList();
        var factors = rates.Select(sr => sr / rate).Distinct().ToList();
        var q = factors.Count == 1 && Math.Abs(factors[0] - Math.Round(factors[0])) < 1e-6 ? (int)Math.Round(factors[0]) : 1;
        var pre = r.Preprocess with { Decimation = q };
        var resampled = factors.Count > 1 || q * rate != rates[0];
        var channels = a.Stations[0].ChannelIds.Count;
        var plan = new WindowPlan(a.Stations, rates.Select(sr => Preprocessor.InputSamplesFor(sr, rate, bins)).ToList(),
            (long)Math.Round(stepSeconds * 1e9), r.Gaps, OrderFor(a.Stations));
        var described = pre.Describe() + (r.Gain == GainRemoval.StationXml ? ", divided by the StationXML sensitivity" : "")
            + (resampled ? string.Create(CultureInfo.InvariantCulture, $", each station brought to {rate} Hz (resample_poly)") : "");
        return (a, plan, pre, channels, described);
    }

    /// <summary>Changes whenever an input file, the configuration, an option or the code version changes.</summary>
    public static string Fingerprint(FeaturesRequest r) => new Fingerprint()
        .Files(ArchiveScanner.Expand(r.Paths))
        .Text(r.ConfigPath is { } c && File.Exists(c) ? File.ReadAllText(c) : "default")
        .Text(r.BankPath is { } b ? "bank " + BankFile.ConfigText(b) : "")
        .Text(JsonSerializer.Serialize(r with { Paths = [], ConfigPath = null, BankPath = null, Threads = 0, Memory = MemoryBudget.Default },
            KeyJson.Default.FeaturesRequest))
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

    /// <summary>Time-major when every unit is one column of a time × channel matrix (DAS): the channels at one time share
    /// each stored row, so they are read together; otherwise station by station.</summary>
    public static WindowOrder OrderFor(IReadOnlyList<StationRecord> stations)
        => stations.Count > 1 && stations.All(s => s.ChannelIds.Count == 1 && s.Pieces[0].All(p => p.Row >= 0 && p.SamplesAlongFirstAxis))
            ? WindowOrder.TimeMajor : WindowOrder.StationMajor;

    /// <summary>The highest rate at least half of the stations reach (their median, the lower one for an even count).</summary>
    public static double CommonRate(IReadOnlyList<StationRecord> stations)
    {
        var rates = stations.Select(s => s.Pieces[0][0].Rate).OrderDescending().ToList();
        return rates[(rates.Count + 1) / 2 - 1];
    }

    // Stations that cannot reach the configuration's rate (slower, or no integer ratio to it) are left out, named in one
    // warning; none left is an error.
    private static List<StationRecord> Reachable(IReadOnlyList<StationRecord> stations, double rate, int? decimation, List<string> warnings)
    {
        bool Ok(StationRecord s) => decimation is { } q
            ? Math.Abs(s.Pieces[0][0].Rate - rate * q) <= 1e-6 * s.Pieces[0][0].Rate
            : Preprocessor.CanReach(s.Pieces[0][0].Rate, rate);
        var kept = stations.Where(Ok).ToList();
        var skipped = stations.Where(s => !Ok(s)).Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.StationId} ({s.Pieces[0][0].Rate} Hz)"))
            .ToList();
        var why = decimation is { } f
            ? string.Create(CultureInfo.InvariantCulture, $"not sampled at {rate * f} Hz ({rate} Hz × {Setting.Decimation.Ref()} {f})")
            : string.Create(CultureInfo.InvariantCulture, $"below the configuration's {rate} Hz or not an integer ratio above it");
        if (kept.Count == 0)
            throw new SeiscatException($"no station can be used: all are {why} ({string.Join(", ", skipped)}); change the config's sampling_rate " +
                $"or {Setting.Decimation.Ref()}, or select stations with {Setting.Stations.Ref()}");
        if (skipped.Count > 0) warnings.Add($"skipped {skipped.Count} station(s) {why}: {string.Join(", ", skipped)}");
        return kept;
    }

    // Station units (components as one vector) when every station has the same component set size; otherwise, under
    // auto, channel units, so a mixed network shares one feature layout and one model.
    private static IReadOnlyList<StationRecord> Units(IReadOnlyList<StationRecord> stations, ClusterUnit unit) => unit switch
    {
        ClusterUnit.Channel => ArchiveSelection.PerChannel(stations),
        ClusterUnit.Auto when stations.Select(s => s.ChannelIds.Count).Distinct().Count() > 1 => ArchiveSelection.PerChannel(stations),
        _ => stations,
    };

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
