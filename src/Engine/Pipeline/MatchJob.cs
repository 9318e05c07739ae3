using System.Globalization;
using Seiscat.Engine.Common;
using Seiscat.Engine.Common.Parts;
using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Layouts;
using Seiscat.Engine.Io.Storage;
using Seiscat.Engine.Matching;
using Seiscat.Engine.Signal;
using Seiscat.Engine.Templates;
using Seiscat.Engine.Windows;

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

public sealed record MatchResult(IReadOnlyList<Detection> Detections, IReadOnlyList<MatchGap> Gaps, IReadOnlyList<GroupTrace> Traces,
    int Blocks, int BlocksResumed, double Seconds, double DataSeconds, double TemplateSeconds, long DirectLags, double BlockSeconds);

/// <summary>
/// `match`: every template group against the continuous record, block by block (<see cref="MatchBlock"/>: read,
/// band-pass, correlate, stack, detect). A block is a UTC day, or an equal share of one when --memory cannot hold a
/// day's traces. Each finished block is a checkpoint part (its detections, gaps and trace summaries) in the output's
/// checkpoint folder (<see cref="PartedOutput.InFolder"/>): a killed run resumes from the next block, `clean` removes
/// stale ones. Shards take contiguous ranges of blocks, keep their peaks undeclustered and stamp their run
/// (<see cref="DetectionShard"/>), so `merge` declusters the union as one process would.
/// </summary>
public static class MatchJob
{
    private const long DayNs = 86_400_000_000_000;

    public static MatchResult Run(MatchRequest r, IProgress<StageProgress>? progress = null, IProgress<string>? log = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        DetectionsFile.CheckName(r.OutPath);
        if (!(r.Threshold > 0) || !double.IsFinite(r.Threshold))
            throw new SeiscatException($"{Setting.Threshold.Ref()} {r.Threshold} is impossible; use a positive MAD multiple (8 is usual)");
        if (!(r.MinSeparationSeconds >= 0))
            throw new SeiscatException($"{Setting.MinSeparation.Ref()} {r.MinSeparationSeconds} s is impossible; use 0 or more");
        var templates = TemplateFile.Load(r.TemplatesPath).Templates;
        var archive = ArchiveScanner.Open(r.Paths, r.Layout);
        var units = Units(r, templates, archive);

        var (firstBlock, blocks, blockNs) = Blocks(r, templates, units, log);
        var (from, to) = ((int)((long)blocks * r.ShardIndex / r.ShardCount), (int)((long)blocks * (r.ShardIndex + 1) / r.ShardCount));
        var run = new Fingerprint().File(r.TemplatesPath).Files(archive.Files).Text(r.Threshold.ToString("R", CultureInfo.InvariantCulture))
            .Number(blockNs).Text(LayoutKey(r.Layout)).Hex();
        var detections = new List<Detection>();
        var gaps = new List<MatchGap>();
        var traces = templates.GroupBy(t => t.Group).ToDictionary(g => g.Key, g => GroupTrace.Empty(g.Key, string.Join("+", g.Select(t => t.Name))));
        long direct = 0;
        var resumed = 0;
        using var storage = new ArchiveStorage();
        var final = PartedOutput.InFolder(r.OutPath, run, "block-*.csv", folder =>
        {
            for (var b = from; b < to; b++)
            {
                var blockStart = (firstBlock + b) * blockNs;
                var part = Path.Combine(folder, $"block-{firstBlock + b}.csv");
                var (gapPart, tracePart) = (Path.ChangeExtension(part, ".gaps"), Path.ChangeExtension(part, ".trace"));
                List<GroupTrace> blockTraces;
                if (File.Exists(part) && File.Exists(gapPart) && File.Exists(tracePart))
                {
                    detections.AddRange(DetectionsFile.ReadCsv(part));
                    gaps.AddRange(GapsFile.Read(gapPart));
                    blockTraces = GroupTraceFile.Read(tracePart, traces);
                    resumed++;
                }
                else
                {
                    var block = MatchBlock.Run(templates, units, storage, blockStart, blockNs, r.Threshold, r.Threads);
                    direct += block.DirectLags;
                    GapsFile.Write(gapPart, block.Gaps);
                    GroupTraceFile.Write(tracePart, block.Traces);
                    DetectionsFile.Write(part, block.Detections); // last: the block counts as finished once it is there
                    // As written, so a resumed or sharded run declusters exactly the same values.
                    detections.AddRange(block.Detections.Select(DetectionsFile.AsWritten));
                    gaps.AddRange(block.Gaps);
                    blockTraces = block.Traces;
                }
                foreach (var t in blockTraces) traces[t.Group] = traces[t.Group].Plus(t);
                progress?.Report(new StageProgress(b - from + 1, to - from, clock.Elapsed));
            }
            // Declustering needs every peak near a boundary, so it runs once over all blocks; a shard keeps its peaks for merge.
            var kept = r.ShardCount > 1 ? detections.OrderBy(d => d.TimeNs).ThenBy(d => d.Group).ToList()
                : DetectionsFile.Decluster(detections, (long)Math.Round(r.MinSeparationSeconds * 1e9));
            GapsFile.Write(GapsFile.PathFor(r.OutPath), gaps);
            if (r.ShardCount > 1) DetectionShard.Write(r.OutPath, run, r.ShardIndex, r.ShardCount);
            DetectionsFile.Write(r.OutPath, kept);
            return kept;
        });
        var dataSeconds = units.Sum(u => u.Record.Pieces[0].Sum(p => p.Samples / p.Rate)) * (to - from) / Math.Max(1, blocks);
        var templateSeconds = units.Sum(u => u.Templates.Sum(k => templates[k].Samples / templates[k].Rate));
        return new MatchResult(final, gaps, traces.Values.ToList(), to - from, resumed, clock.Elapsed.TotalSeconds, dataSeconds, templateSeconds, direct,
            blockNs / 1e9);
    }

    // UTC days, or an equal share of a day when a day's data and traces do not fit the budget.
    private static (long FirstBlock, int Blocks, long BlockNs) Blocks(MatchRequest r, IReadOnlyList<Template> templates, List<MatchUnit> units,
        IProgress<string>? log)
    {
        var startNs = units.Min(u => u.Record.Pieces.SelectMany(p => p).Min(p => p.StartNs));
        var endNs = units.Max(u => u.Record.Pieces.SelectMany(p => p).Max(p => p.EndNs));
        // Per second of block: each station's components (float) and its filter's double scratch, the masks and running
        // count (6 B), every template's trace (float); every group's trace and validity (5 B).
        var bytesPerSecond = units.Sum(u => u.Rate * (12.0 * u.Record.ChannelIds.Count + 6 + 4 * u.Templates.Count))
            + templates.GroupBy(t => t.Group).Sum(g => g.First().Rate * 5);
        var perDay = 1;
        while (perDay < 1440 && bytesPerSecond * 86400.0 / perDay * 1.25 > r.Memory.Available) perDay++;
        while (86400 % perDay != 0) perDay++;
        var blockNs = DayNs / perDay;
        var firstBlock = IntegerMath.FloorDiv(startNs, blockNs);
        var blocks = (int)(IntegerMath.FloorDiv(endNs - 1, blockNs) - firstBlock + 1);
        // Said only when the record is really cut: a 1-hour file in one block is not split by the budget.
        if (perDay > 1 && blocks > 1)
            log?.Report($"blocks of {TimeFormat.Duration(blockNs / 1e9)} (a day's traces do not fit {Setting.Memory.Ref()} {r.Memory}): " +
                "the MAD is taken per block");
        return (firstBlock, blocks, blockNs);
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
                    var settle = 3 * u.Settle;
                    var total = t.Samples + 2 * settle;
                    var startNs = d.TimeNs + t.GroupOffsetNs - t.OnsetOffsetNs - (long)Math.Round(settle * 1e9 / u.Rate);
                    var x = Enumerable.Range(0, u.Record.ChannelIds.Count).Select(_ => new float[total]).ToArray();
                    var missing = new bool[total];
                    new StretchReader(u.Record, storage).Read(startNs, x, missing);
                    var band = new ZeroPhaseBandpass(u.Rate, u.LowHz, u.HighHz);
                    foreach (var c in x) band.Apply(c, missing);
                    result.Add((t, x.Select(c => c.AsSpan(settle, t.Samples).ToArray()).ToArray()));
                }
            return result;
        }).ToList();
    }

    private static string LayoutKey(LayoutOptions o) => string.Join("|", o.Layout, o.Tag, string.Join(",", o.Datasets), string.Join(",", o.Stations),
        string.Join(",", o.Channels));

    // Templates grouped by (station, band), each checked against the archive's record of its station.
    private static List<MatchUnit> Units(MatchRequest r, IReadOnlyList<Template> templates, Archive archive) => MatchUnit.Of(templates, t =>
    {
        var record = ArchiveSelection.FindUnit(archive, t.Station)
            ?? throw SeiscatException.For(r.TemplatesPath, $"/templates/{t.Name}", $"is for station {t.Station}, which the archive does not hold " +
                $"({string.Join(", ", archive.Units.Take(4).Select(s => s.UnitId))}{(archive.Units.Count > 4 ? ", …" : "")})",
                "match it against the archive the templates came from, or drop the template");
        var rate = record.Rate;
        if (Math.Abs(rate - t.Rate) > 1e-6 * rate)
            throw SeiscatException.For(r.TemplatesPath, $"/templates/{t.Name}", $"is sampled at {t.Rate} Hz but {t.Station} records at {rate} Hz",
                $"make templates from this archive (seiscat templates RUN_DIR {Setting.Archive.Ref()} …)");
        if (!record.ChannelIds.SequenceEqual(t.Channels))
            throw SeiscatException.For(r.TemplatesPath, $"/templates/{t.Name}", $"has components {string.Join(",", t.Channels)} but {t.Station} has " +
                string.Join(",", record.ChannelIds), $"match with the components the templates were made from ({Setting.Channels.Ref()})");
        return (record, rate);
    });
}
