using Seiscat.Engine.Io.Storage;
using Seiscat.Engine.Signal;
using Seiscat.Engine.Templates;
using Seiscat.Engine.Windows;

namespace Seiscat.Engine.Matching;

/// <summary>
/// One block of `match` (a UTC day or an equal share of one): for each unit the record of the block is read with
/// margins, band-passed like its templates (zero-phase, so block edges do not shift phases) and correlated with all its
/// templates; gaps are masked and reported (<see cref="MissingSamples"/>); then each template group is stacked and its
/// peaks detected (<see cref="GroupDetector"/>), with the MAD taken over the block.
/// </summary>
public static class MatchBlock
{
    /// <summary>A block's detections (peaks, not yet declustered), its gaps, its groups' trace summaries in group order,
    /// and the lags the correlation recomputed directly.</summary>
    public sealed record Result(List<Detection> Detections, List<MatchGap> Gaps, List<GroupTrace> Traces, long DirectLags);

    // One unit's band-passed record of the block, and where it starts.
    private sealed record UnitRecord(float[][] X, long StartNs);

    public static Result Run(IReadOnlyList<Template> templates, IReadOnlyList<MatchUnit> units, ArchiveStorage storage, long blockStart, long blockNs,
        double madMultiple, int threads)
    {
        var traces = new float[templates.Count][];
        var origin = new long[templates.Count]; // time of trace sample 0 (the template's first sample there)
        var gaps = new List<MatchGap>();
        var records = new Dictionary<MatchUnit, UnitRecord>();
        var maxOffsetNs = templates.Max(t => t.GroupOffsetNs);
        long direct = 0;
        foreach (var u in units)
        {
            var read = Correlate(templates, u, storage, blockStart, blockNs, maxOffsetNs, threads, gaps, ref direct);
            for (var i = 0; i < u.Templates.Count; i++)
            {
                traces[u.Templates[i]] = read.Traces?[i] ?? [];
                origin[u.Templates[i]] = read.StartNs;
            }
            if (read.X is not null) records[u] = new UnitRecord(read.X, read.StartNs);
        }
        var unitOf = new MatchUnit[templates.Count];
        foreach (var u in units) foreach (var k in u.Templates) unitOf[k] = u;

        var detections = new List<Detection>();
        var summaries = new List<GroupTrace>();
        foreach (var group in templates.Select((t, k) => (t, k)).GroupBy(e => e.t.Group))
        {
            var members = group.Select(e => e.k).ToArray();
            var rate = templates[members[0]].Rate;
            var n = (int)Math.Round(blockNs / 1e9 * rate);
            // Group time τ (the onset at the group's first station) ↔ each template's window start τ + offset − onset: a trace index.
            var shift = members.Select(k => (int)((long)Math.Round((blockStart - origin[k] + templates[k].GroupOffsetNs) * rate / 1e9)
                - templates[k].OnsetSample)).ToArray();
            var (trace, valid) = GroupDetector.Stack(members.Select(k => traces[k]).ToList(), shift, n);
            var found = GroupDetector.Detect(trace, valid, madMultiple);
            var names = string.Join("+", members.Select(k => templates[k].Name));
            summaries.Add(new GroupTrace(group.Key, names, found.Histogram, found.Threshold, found.Samples));
            var stations = string.Join("+", members.Select(k => templates[k].Station));
            foreach (var best in found.Peaks)
            {
                var amplitude = GroupDetector.AmplitudeRatio(members.Select((k, u) => (records[unitOf[k]].X, best + shift[u], templates[k].Waveform)));
                detections.Add(new Detection(blockStart + (long)Math.Round(best * 1e9 / rate), group.Key, templates[members[0]].Cluster, stations, names,
                    trace[best], found.Threshold, trace[best] / found.Mad, amplitude));
            }
        }
        return new Result(detections, gaps, summaries, direct);
    }

    // The unit's record of the block, band-passed, and its templates' correlation traces (NaN where masked); null
    // traces when the unit recorded nothing of the block.
    private static (float[][]? X, float[][]? Traces, long StartNs) Correlate(IReadOnlyList<Template> templates, MatchUnit u, ArchiveStorage storage,
        long blockStart, long blockNs, long maxOffsetNs, int threads, List<MatchGap> gaps, ref long direct)
    {
        var longest = u.Templates.Max(k => templates[k].Samples);
        var settle = u.Settle;
        // Margins: filter settling on both sides, and after the block a template length plus the group offsets, so
        // every onset inside the block has its full window.
        var before = 3 * settle + longest;
        // Only the part of the block the station recorded (a six-hour archive in a day block correlates six hours).
        var pieces = u.Record.Pieces.SelectMany(p => p).ToList();
        var (from, to) = (Math.Max(blockStart, pieces.Min(p => p.StartNs)), Math.Min(blockStart + blockNs, pieces.Max(p => p.EndNs)));
        if (to <= from) return (null, null, blockStart);
        var spanSamples = (int)Math.Ceiling((to - from) / 1e9 * u.Rate);
        var total = before + spanSamples + (int)Math.Ceiling(maxOffsetNs / 1e9 * u.Rate) + longest + 3 * settle;
        var readStart = from - (long)Math.Round(before * 1e9 / u.Rate);
        var x = Enumerable.Range(0, u.Record.ChannelIds.Count).Select(_ => new float[total]).ToArray();
        var missing = new bool[total];
        new StretchReader(u.Record, storage).Read(readStart, x, missing);
        if (missing.All(m => m)) return (x, null, readStart);
        Parallel.For(0, x.Length, new ParallelOptions { MaxDegreeOfParallelism = threads },
            c => new ZeroPhaseBandpass(u.Rate, u.LowHz, u.HighHz).Apply(x[c], missing));
        // Missing samples and two low-corner periods around them (the filter's ringing); the gaps inside the block are reported.
        var prefix = MissingSamples.RingingPrefix(missing, 2 * settle);
        foreach (var gap in MissingSamples.Gaps(u.Record.UnitId, missing, readStart, u.Rate, from, to))
            if (!gaps.Contains(gap)) gaps.Add(gap); // a station matched in two bands has its gaps once
        var traces = u.Templates.Select(k => new float[NormalizedCorrelation.Lags(total, templates[k].Samples)]).ToArray();
        direct += NormalizedCorrelation.Correlate(u.Plan(templates), x, prefix, traces, threads);
        for (var i = 0; i < traces.Length; i++) MissingSamples.MaskTrace(traces[i], prefix, templates[u.Templates[i]].Samples);
        return (x, traces, readStart);
    }
}
