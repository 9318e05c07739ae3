using System.Globalization;
using Seiscat.Engine.Common;
using Seiscat.Engine.Common.Parts;
using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Layouts;
using Seiscat.Engine.Io.Storage;
using Seiscat.Engine.Kernels;
using Seiscat.Engine.Matching;
using Seiscat.Engine.Signal;
using Seiscat.Engine.Templates;
using Seiscat.Engine.Windows;
using Seiscat.Native.Fftw;

namespace Seiscat.Engine.Pipeline;

public sealed record MatchRequest
{
    public required string TemplatesPath { get; init; }
    public required IReadOnlyList<string> Paths { get; init; }
    public LayoutOptions Layout { get; init; } = new();
    public required string OutPath { get; init; }
    /// <summary>A detection: the group's mean correlation above Threshold × the MAD of its block's trace.</summary>
    public double Threshold { get; init; } = 8;
    public double MinSeparationSeconds { get; init; } = 2;
    public int Threads { get; init; } = Environment.ProcessorCount;
    public MemoryBudget Memory { get; init; } = MemoryBudget.Default;
    public int ShardIndex { get; init; }
    public int ShardCount { get; init; } = 1;
}

/// <summary>A stretch where a station had no data (no detection can cross it).</summary>
public readonly record struct MatchGap(string Station, long StartNs, long EndNs);

/// <summary>One group's trace summary for the report: a histogram of its correlation values over [−1, 1] (200 bins),
/// and the median threshold it was held to.</summary>
public sealed record GroupTrace(int Group, string Templates, long[] Histogram, double MedianThreshold, long Samples);

public sealed record MatchResult(IReadOnlyList<Detection> Detections, IReadOnlyList<MatchGap> Gaps, IReadOnlyList<GroupTrace> Traces,
    int Blocks, int BlocksResumed, double Seconds, double DataSeconds, double TemplateSeconds, long DirectLags, double BlockSeconds);

/// <summary>
/// `match`: every template group against the continuous record, block by block. A block is a UTC day (or an equal
/// share of one when --memory cannot hold a day's traces); for each block and station the record is read with margins,
/// demeaned and band-passed like the templates (zero-phase, so block edges do not shift phases), and all that station's
/// templates are correlated in one overlap-save pass (<see cref="NormalizedCorrelation"/>, all threads). A group's trace
/// is the mean of its templates' traces shifted by their onset offsets; its detections are the peaks of the runs above
/// threshold × MAD (median absolute deviation of the block's valid trace), declustered within the minimum separation.
/// Windows within one low-corner period of missing data count as missing: filter ringing at a gap edge is not an event.
/// Each finished block is a checkpoint part (CSV) under OUT.parts/: a killed run resumes from the next block; shards take
/// contiguous ranges of blocks and their outputs join with `seiscat merge`.
/// </summary>
public static class MatchJob
{
    private const long DayNs = 86_400_000_000_000;
    private const int HistogramBins = 200;

    private sealed record Unit(StationRecord Station, double Rate, double Low, double High, List<int> Templates);

    public static MatchResult Run(MatchRequest r, IProgress<StageProgress>? progress = null, IProgress<string>? log = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        DetectionsFile.CheckName(r.OutPath);
        if (!(r.Threshold > 0) || !double.IsFinite(r.Threshold))
            throw new SeiscatException($"{Setting.Threshold.Ref()} {r.Threshold} is impossible; use a positive MAD multiple (8 is usual)");
        if (!(r.MinSeparationSeconds >= 0))
            throw new SeiscatException($"{Setting.MinSeparation.Ref()} {r.MinSeparationSeconds} s is impossible; use 0 or more");
        var set = TemplateFile.Load(r.TemplatesPath);
        var templates = set.Templates;
        var archive = ArchiveScanner.Open(r.Paths, r.Layout);
        var units = Units(r, templates, archive);

        // Blocks: UTC days, or an equal share of a day when a day's data and traces do not fit the budget.
        var startNs = units.Min(u => u.Station.Pieces.SelectMany(p => p).Min(p => p.StartNs));
        var endNs = units.Max(u => u.Station.Pieces.SelectMany(p => p).Max(p => p.EndNs));
        // Per second of block: each station's components (float) and its filter's double scratch, the masks and running
        // count (6 B), every template's trace (float); every group's trace and validity (5 B).
        var bytesPerSecond = units.Sum(u => u.Rate * (12.0 * u.Station.ChannelIds.Count + 6 + 4 * u.Templates.Count))
            + templates.GroupBy(t => t.Group).Sum(g => g.First().Rate * 5);
        var perDay = 1;
        while (perDay < 1440 && bytesPerSecond * 86400.0 / perDay * 1.25 > r.Memory.Available) perDay++;
        while (86400 % perDay != 0) perDay++;
        var blockNs = DayNs / perDay;
        var firstBlock = FloorDiv(startNs, blockNs);
        var blocks = (int)(FloorDiv(endNs - 1, blockNs) - firstBlock + 1);
        var (from, to) = ((int)((long)blocks * r.ShardIndex / r.ShardCount), (int)((long)blocks * (r.ShardIndex + 1) / r.ShardCount));
        if (perDay > 1) log?.Report($"blocks of {TimeFormat.Duration(blockNs / 1e9)} (a day's traces do not fit {Setting.Memory.Ref()} {r.Memory}): " +
            "the MAD is taken per block");

        var key = new Fingerprint().File(r.TemplatesPath).Files(archive.Files).Text(r.Threshold.ToString("R", CultureInfo.InvariantCulture))
            .Number(blockNs).Text(JsonLine(r.Layout)).Hex();
        var partsDir = r.OutPath + PartedOutput.BlockFolderSuffix;
        PrepareParts(partsDir, key);
        var detections = new List<Detection>();
        var gaps = new List<MatchGap>();
        var traces = GroupSummaries(templates);
        long direct = 0;
        var resumed = 0;
        using var storage = new ArchiveStorage();
        for (var b = from; b < to; b++)
        {
            var blockStart = (firstBlock + b) * blockNs;
            var part = Path.Combine(partsDir, $"block-{firstBlock + b}.csv");
            var gapPart = Path.Combine(partsDir, $"block-{firstBlock + b}.gaps");
            var tracePart = Path.Combine(partsDir, $"block-{firstBlock + b}.trace");
            if (File.Exists(part) && File.Exists(gapPart) && File.Exists(tracePart))
            {
                detections.AddRange(DetectionsFile.ReadCsv(part));
                gaps.AddRange(ReadGaps(gapPart));
                ReadTraceSummary(tracePart, traces);
                resumed++;
            }
            else
            {
                var block = Block(r, templates, units, storage, blockStart, blockNs, ref direct);
                DetectionsFile.Write(part, block.Detections);
                WriteGaps(gapPart, block.Gaps);
                WriteTraceSummary(tracePart, block.Traces);
                // As written (six decimals), so a resumed or sharded run declusters exactly the same values.
                detections.AddRange(DetectionsFile.ReadCsv(part));
                gaps.AddRange(block.Gaps);
                Accumulate(traces, block.Traces);
            }
            progress?.Report(new StageProgress(b - from + 1, to - from, clock.Elapsed));
        }
        // Declustering needs every peak near a boundary, so it runs once over all blocks; a shard keeps its peaks for merge.
        var final = r.ShardCount > 1 ? detections.OrderBy(d => d.TimeNs).ThenBy(d => d.Group).ToList()
            : DetectionsFile.Decluster(detections, (long)Math.Round(r.MinSeparationSeconds * 1e9));
        DetectionsFile.Write(r.OutPath, final);
        WriteGaps(GapsPath(r.OutPath), gaps);
        Directory.Delete(partsDir, recursive: true);
        var dataSeconds = units.Sum(u => u.Station.Pieces[0].Sum(p => p.Samples / p.Rate)) * (to - from) / Math.Max(1, blocks);
        var templateSeconds = units.Sum(u => u.Templates.Sum(k => templates[k].Samples / templates[k].Rate));
        return new MatchResult(final, gaps, traces.Values.ToList(), to - from, resumed, clock.Elapsed.TotalSeconds, dataSeconds, templateSeconds, direct,
            blockNs / 1e9);
    }

    /// <summary>
    /// Each detection's band-passed record under each template of its group (same band and filter as matching), for the
    /// report's overlays: per detection, (template, components × template samples). The templates and the archive are
    /// opened once for all of them.
    /// </summary>
    public static List<List<(Template Template, float[][] Data)>> Waveforms(MatchRequest r, IReadOnlyList<Detection> detections)
    {
        var templates = TemplateFile.Load(r.TemplatesPath).Templates;
        var archive = ArchiveScanner.Open(r.Paths, r.Layout);
        var units = Units(r, templates, archive);
        using var storage = new ArchiveStorage();
        return detections.Select(d =>
        {
            var result = new List<(Template, float[][])>();
            foreach (var u in units)
                foreach (var k in u.Templates.Where(k => templates[k].Group == d.Group))
                {
                    var t = templates[k];
                    var settle = 3 * (int)Math.Ceiling(u.Rate / u.Low);
                    var total = t.Samples + 2 * settle;
                    var startNs = d.TimeNs + t.GroupOffsetNs - t.OnsetOffsetNs - (long)Math.Round(settle * 1e9 / u.Rate);
                    var x = Enumerable.Range(0, u.Station.ChannelIds.Count).Select(_ => new float[total]).ToArray();
                    var missing = new bool[total];
                    new StretchReader(u.Station, storage).Read(startNs, x, missing);
                    var band = new ZeroPhaseBandpass(u.Rate, u.Low, u.High);
                    foreach (var c in x) band.Apply(c, missing);
                    result.Add((t, x.Select(c => c.AsSpan(settle, t.Samples).ToArray()).ToArray()));
                }
            return result;
        }).ToList();
    }

    public static string GapsPath(string outPath) => Path.ChangeExtension(outPath, null) + ".gaps.csv";

    private static string JsonLine(LayoutOptions o) => string.Join("|", o.Layout, o.Tag, string.Join(",", o.Datasets), string.Join(",", o.Stations),
        string.Join(",", o.Channels));

    // Templates grouped by (station, band): one filtered copy of the record and one correlation pass each.
    private static List<Unit> Units(MatchRequest r, IReadOnlyList<Template> templates, Archive archive)
    {
        var units = new List<Unit>();
        for (var k = 0; k < templates.Count; k++)
        {
            var t = templates[k];
            var record = ArchiveSelection.FindUnit(archive, t.Station)
                ?? throw SeiscatException.For(r.TemplatesPath, $"/templates/{t.Name}", $"is for station {t.Station}, which the archive does not hold " +
                    $"({string.Join(", ", archive.Stations.Take(4).Select(s => s.StationId))}{(archive.Stations.Count > 4 ? ", …" : "")})",
                    "match it against the archive the templates came from, or drop the template");
            var rate = new WindowPlan([record], 1, 1, GapPolicy.ZeroFill).RateOf(0);
            if (Math.Abs(rate - t.Rate) > 1e-6 * rate)
                throw SeiscatException.For(r.TemplatesPath, $"/templates/{t.Name}", $"is sampled at {t.Rate} Hz but {t.Station} records at {rate} Hz",
                    $"make templates from this archive (seiscat templates RUN_DIR {Setting.Archive.Ref()} …)");
            if (!record.ChannelIds.SequenceEqual(t.Channels))
                throw SeiscatException.For(r.TemplatesPath, $"/templates/{t.Name}", $"has components {string.Join(",", t.Channels)} but {t.Station} has " +
                    string.Join(",", record.ChannelIds), $"match with the components the templates were made from ({Setting.Channels.Ref()})");
            var unit = units.FirstOrDefault(u => ReferenceEquals(u.Station, record) && u.Low == t.LowHz && u.High == t.HighHz);
            if (unit is null) units.Add(unit = new Unit(record, rate, t.LowHz, t.HighHz, []));
            unit.Templates.Add(k);
        }
        return units;
    }

    private sealed record BlockResult(List<Detection> Detections, List<MatchGap> Gaps, Dictionary<int, GroupTrace> Traces);

    private static BlockResult Block(MatchRequest r, IReadOnlyList<Template> templates, List<Unit> units, ArchiveStorage storage, long blockStart,
        long blockNs, ref long direct)
    {
        var traces = new float[templates.Count][];
        var origin = new long[templates.Count];   // time of trace sample 0 (the template's first sample there)
        var gaps = new List<MatchGap>();
        var data = new Dictionary<Unit, (float[][] X, long StartNs)>();
        var maxOffsetNs = templates.Max(t => t.GroupOffsetNs);
        foreach (var u in units)
        {
            var longest = u.Templates.Max(k => templates[k].Samples);
            var settle = (int)Math.Ceiling(u.Rate / u.Low);
            // Margins: filter settling on both sides, and after the block a template length plus the group offsets, so
            // every onset inside the block has its full window.
            var before = 3 * settle + longest;
            // Only the part of the block the station recorded (a six-hour archive in a day block correlates six hours).
            var (first, last) = (u.Station.Pieces.SelectMany(p => p).Min(p => p.StartNs), u.Station.Pieces.SelectMany(p => p).Max(p => p.EndNs));
            var (from, to) = (Math.Max(blockStart, first), Math.Min(blockStart + blockNs, last));
            if (to <= from)
            {
                MarkAllMissing(u, traces, origin, blockStart);
                continue;
            }
            var spanSamples = (int)Math.Ceiling((to - from) / 1e9 * u.Rate);
            var total = before + spanSamples + (int)Math.Ceiling(maxOffsetNs / 1e9 * u.Rate) + longest + 3 * settle;
            var readStart = from - (long)Math.Round(before * 1e9 / u.Rate);
            var x = Enumerable.Range(0, u.Station.ChannelIds.Count).Select(_ => new float[total]).ToArray();
            var missing = new bool[total];
            new StretchReader(u.Station, storage).Read(readStart, x, missing);
            if (missing.All(m => m)) { data[u] = (x, readStart); MarkAllMissing(u, traces, origin, readStart); continue; }
            Parallel.For(0, x.Length, new ParallelOptions { MaxDegreeOfParallelism = r.Threads },
                c => new ZeroPhaseBandpass(u.Rate, u.Low, u.High).Apply(x[c], missing));
            // Missing samples and two low-corner periods around them (the filter's ringing); the gaps inside the block are reported.
            var prefix = new int[total + 1];
            var dilated = new bool[total];
            for (var i = 0; i < total; i++)
                if (missing[i])
                    for (int j = Math.Max(0, i - 2 * settle), e = Math.Min(total, i + 2 * settle + 1); j < e; j++) dilated[j] = true;
            for (var i = 0; i < total; i++) prefix[i + 1] = prefix[i] + (dilated[i] ? 1 : 0);
            foreach (var gap in GapsIn(u.Station.StationId, missing, readStart, u.Rate, from, to))
                if (!gaps.Contains(gap)) gaps.Add(gap); // a station matched in two bands has its gaps once
            var plan = FftwPlan.WithWisdom(() => new CorrelationPlan(u.Templates.Select(k => templates[k].Waveform).ToList(), 0, FftwEffort.Measure));
            var unitTraces = u.Templates.Select(k => new float[NormalizedCorrelation.Lags(total, templates[k].Samples)]).ToArray();
            direct += NormalizedCorrelation.Correlate(plan, x, prefix, unitTraces, r.Threads);
            for (var i = 0; i < u.Templates.Count; i++)
            {
                var k = u.Templates[i];
                traces[k] = unitTraces[i];
                origin[k] = readStart;
                var m = templates[k].Samples;
                // NaN marks a window in (or ringing from) a gap: it neither votes nor counts in the MAD.
                var trace = unitTraces[i];
                for (var t = 0; t < trace.Length; t++) if (prefix[t + m] - prefix[t] != 0) trace[t] = float.NaN;
            }
            data[u] = (x, readStart);
        }

        var detections = new List<Detection>();
        var summaries = new Dictionary<int, GroupTrace>();
        var unitOf = new Unit[templates.Count];
        foreach (var u in units) foreach (var k in u.Templates) unitOf[k] = u;
        foreach (var group in templates.Select((t, k) => (t, k)).GroupBy(e => e.t.Group))
        {
            var members = group.Select(e => e.k).ToArray();
            var rate = templates[members[0]].Rate;
            var n = (int)Math.Round(blockNs / 1e9 * rate);
            var trace = new float[n];
            var ok = new bool[n];
            // Group time τ (the onset at the group's first station) ↔ each template's window start τ + offset − onset: a trace index.
            var shift = members.Select(k => (int)((long)Math.Round((blockStart - origin[k] + templates[k].GroupOffsetNs) * rate / 1e9)
                - templates[k].OnsetSample)).ToArray();
            for (var i = 0; i < n; i++)
            {
                double sum = 0;
                var votes = 0;
                for (var u = 0; u < members.Length; u++)
                {
                    var t = i + shift[u];
                    var tr = traces[members[u]];
                    if (t < 0 || t >= tr.Length || float.IsNaN(tr[t])) continue;
                    sum += tr[t];
                    votes++;
                }
                // Every station of the group must have data: no detection across a gap.
                ok[i] = votes == members.Length;
                trace[i] = ok[i] ? (float)(sum / members.Length) : 0;
            }
            var kept = trace.Where((_, i) => ok[i]).ToArray();
            var histogram = new long[HistogramBins];
            foreach (var v in kept) histogram[Math.Clamp((int)((v + 1) / 2 * HistogramBins), 0, HistogramBins - 1)]++;
            var names = string.Join("+", members.Select(k => templates[k].Name));
            if (kept.Length < 2)
            {
                summaries[group.Key] = new GroupTrace(group.Key, names, histogram, double.NaN, 0);
                continue;
            }
            var median = Median.Of(kept, new float[kept.Length]);
            for (var i = 0; i < kept.Length; i++) kept[i] = Math.Abs(kept[i] - (float)median);
            var mad = Median.OfInPlace(kept);
            var threshold = r.Threshold * mad;
            summaries[group.Key] = new GroupTrace(group.Key, names, histogram, threshold, kept.Length);
            if (!(mad > 0)) continue;
            var stations = string.Join("+", members.Select(k => templates[k].Station));
            for (var i = 0; i < n; i++)
            {
                if (!ok[i] || trace[i] <= threshold) continue;
                var best = i;
                while (i + 1 < n && ok[i + 1] && trace[i + 1] > threshold) if (trace[++i] > trace[best]) best = i;
                var amplitude = Amplitude(templates, members, shift, best, unitOf, data);
                detections.Add(new Detection(blockStart + (long)Math.Round(best * 1e9 / rate), group.Key, templates[members[0]].Cluster, stations, names,
                    trace[best], threshold, trace[best] / mad, amplitude));
            }
        }
        return new BlockResult(detections, gaps, summaries);
    }

    // Geometric mean over the group's templates and components of ‖data window‖ / ‖template‖ (demeaned).
    private static double Amplitude(IReadOnlyList<Template> templates, int[] members, int[] shift, int at, Unit[] unitOf,
        Dictionary<Unit, (float[][] X, long StartNs)> data)
    {
        double logSum = 0;
        var count = 0;
        for (var u = 0; u < members.Length; u++)
        {
            var t = templates[members[u]];
            var x = data[unitOf[members[u]]].X;
            var start = at + shift[u];
            for (var c = 0; c < t.Waveform.Length; c++)
            {
                var a = Norm(x[c].AsSpan(start, t.Samples));
                var b = Norm(t.Waveform[c]);
                if (a > 0 && b > 0)
                {
                    logSum += Math.Log(a / b);
                    count++;
                }
            }
        }
        return count > 0 ? Math.Exp(logSum / count) : double.NaN;
    }

    private static double Norm(ReadOnlySpan<float> x)
    {
        double mean = 0;
        foreach (var v in x) mean += v;
        mean /= Math.Max(1, x.Length);
        double s = 0;
        foreach (var v in x) s += (v - mean) * (v - mean);
        return Math.Sqrt(s);
    }

    private static void MarkAllMissing(Unit u, float[][] traces, long[] origin, long readStart)
    {
        foreach (var k in u.Templates)
        {
            traces[k] = [];
            origin[k] = readStart;
        }
    }

    private static IEnumerable<MatchGap> GapsIn(string station, bool[] missing, long readStart, double rate, long from, long to)
    {
        for (var i = 0; i < missing.Length; i++)
        {
            if (!missing[i]) continue;
            var j = i;
            while (j + 1 < missing.Length && missing[j + 1]) j++;
            var a = Math.Max(from, readStart + (long)Math.Round(i * 1e9 / rate));
            var e = Math.Min(to, readStart + (long)Math.Round((j + 1) * 1e9 / rate));
            if (e > a) yield return new MatchGap(station, a, e);
            i = j;
        }
    }

    private static Dictionary<int, GroupTrace> GroupSummaries(IReadOnlyList<Template> templates)
        => templates.GroupBy(t => t.Group).ToDictionary(g => g.Key, g => new GroupTrace(g.Key, string.Join("+", g.Select(t => t.Name)),
            new long[HistogramBins], double.NaN, 0));

    // Histograms add; the threshold shown is the sample-weighted mean of the blocks' thresholds.
    private static void Accumulate(Dictionary<int, GroupTrace> total, Dictionary<int, GroupTrace> block)
    {
        foreach (var (g, b) in block)
        {
            var t = total[g];
            for (var i = 0; i < HistogramBins; i++) t.Histogram[i] += b.Histogram[i];
            var samples = t.Samples + b.Samples;
            var threshold = double.IsNaN(t.MedianThreshold) ? b.MedianThreshold
                : double.IsNaN(b.MedianThreshold) ? t.MedianThreshold : (t.MedianThreshold * t.Samples + b.MedianThreshold * b.Samples) / Math.Max(1, samples);
            total[g] = t with { MedianThreshold = threshold, Samples = samples };
        }
    }

    private static void WriteTraceSummary(string path, Dictionary<int, GroupTrace> traces)
    {
        using var atomic = new AtomicOutput(path);
        File.WriteAllLines(atomic.TempPath, traces.Values.Select(t => string.Join(",", new[]
        {
            t.Group.ToString(CultureInfo.InvariantCulture), t.MedianThreshold.ToString("R", CultureInfo.InvariantCulture),
            t.Samples.ToString(CultureInfo.InvariantCulture),
        }.Concat(t.Histogram.Select(h => h.ToString(CultureInfo.InvariantCulture))))));
        atomic.Commit();
    }

    private static void ReadTraceSummary(string path, Dictionary<int, GroupTrace> total)
    {
        var block = new Dictionary<int, GroupTrace>();
        foreach (var line in File.ReadAllLines(path))
        {
            var f = line.Split(',');
            var g = int.Parse(f[0], CultureInfo.InvariantCulture);
            if (!total.TryGetValue(g, out var t)) continue;
            block[g] = t with
            {
                MedianThreshold = double.Parse(f[1], CultureInfo.InvariantCulture),
                Samples = long.Parse(f[2], CultureInfo.InvariantCulture),
                Histogram = f.Skip(3).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray(),
            };
        }
        Accumulate(total, block);
    }

    public static void WriteGaps(string path, IEnumerable<MatchGap> gaps)
    {
        using var atomic = new AtomicOutput(path);
        var ordered = gaps.OrderBy(g => g.StartNs).ThenBy(g => g.Station, StringComparer.Ordinal);
        File.WriteAllLines(atomic.TempPath, new[] { "station,start,end,seconds" }.Concat(ordered.Select(g => string.Create(CultureInfo.InvariantCulture,
                $"{g.Station},{TimeFormat.Iso(g.StartNs)},{TimeFormat.Iso(g.EndNs)},{(g.EndNs - g.StartNs) / 1e9:0.###}"))));
        atomic.Commit();
    }

    public static IEnumerable<MatchGap> ReadGaps(string path) => File.ReadLines(path).Skip(1).Select(l => l.Split(','))
        .Select(f => new MatchGap(f[0], TimeFormat.ParseInstant(f[1], "gap start"), TimeFormat.ParseInstant(f[2], "gap end")));

    // A parts folder from another configuration is stale: start over.
    private static void PrepareParts(string dir, string key)
    {
        var keyFile = Path.Combine(dir, PartedOutput.BlockFolderKey);
        if (Directory.Exists(dir) && (!File.Exists(keyFile) || File.ReadAllText(keyFile) != key)) Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        if (!File.Exists(keyFile))
        {
            using var atomic = new AtomicOutput(keyFile);
            File.WriteAllText(atomic.TempPath, key);
            atomic.Commit();
        }
    }

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}
