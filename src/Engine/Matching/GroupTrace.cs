using System.Globalization;
using Seiscat.Engine.Common;

namespace Seiscat.Engine.Matching;

/// <summary>
/// One template group's correlation trace, summarised for the report: a histogram of its values over [−1, 1]
/// (<see cref="Bins"/> bins), the threshold it was held to, and how many samples had data. Blocks add up with
/// <see cref="Plus"/>; a checkpoint block keeps its summaries in a <see cref="GroupTraceFile"/>.
/// </summary>
public sealed record GroupTrace(int Group, string Templates, long[] Histogram, double MedianThreshold, long Samples)
{
    public const int Bins = 200;

    public static GroupTrace Empty(int group, string templates) => new(group, templates, new long[Bins], double.NaN, 0);

    public static long[] HistogramOf(ReadOnlySpan<float> values)
    {
        var histogram = new long[Bins];
        foreach (var v in values) histogram[Math.Clamp((int)((v + 1) / 2 * Bins), 0, Bins - 1)]++;
        return histogram;
    }

    /// <summary>This summary and a later block's: histograms add; the threshold becomes the sample-weighted mean of
    /// the blocks' thresholds (a block without data has none and does not weigh).</summary>
    public GroupTrace Plus(GroupTrace block)
    {
        var histogram = new long[Bins];
        for (var i = 0; i < Bins; i++) histogram[i] = Histogram[i] + block.Histogram[i];
        var samples = Samples + block.Samples;
        var threshold = double.IsNaN(MedianThreshold) ? block.MedianThreshold
            : double.IsNaN(block.MedianThreshold) ? MedianThreshold
            : (MedianThreshold * Samples + block.MedianThreshold * block.Samples) / Math.Max(1, samples);
        return this with { Histogram = histogram, MedianThreshold = threshold, Samples = samples };
    }
}

/// <summary>A match checkpoint block's group summaries: one line per group (group, threshold, samples, the histogram's
/// counts), the threshold written round-trip so a resumed run adds exactly what an uninterrupted one would.</summary>
public static class GroupTraceFile
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static void Write(string path, IEnumerable<GroupTrace> traces)
    {
        using var atomic = new AtomicOutput(path);
        File.WriteAllLines(atomic.TempPath, traces.Select(t => string.Join(",", new[]
        {
            t.Group.ToString(C), t.MedianThreshold.ToString("R", C), t.Samples.ToString(C),
        }.Concat(t.Histogram.Select(h => h.ToString(C))))));
        atomic.Commit();
    }

    /// <summary>The block's summaries, named after <paramref name="known"/> (the run's groups; a line of another group is
    /// ignored).</summary>
    public static List<GroupTrace> Read(string path, IReadOnlyDictionary<int, GroupTrace> known)
    {
        var traces = new List<GroupTrace>();
        var line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            var f = text.Split(',');
            if (f.Length != 3 + GroupTrace.Bins || !int.TryParse(f[0], NumberStyles.Integer, C, out var g)
                || !double.TryParse(f[1], NumberStyles.Float, C, out var threshold) || !long.TryParse(f[2], NumberStyles.Integer, C, out var samples))
                throw SeiscatException.For(path, null, $"line {line} is damaged", "delete the checkpoint folder (seiscat clean) and run again");
            if (!known.TryGetValue(g, out var t)) continue;
            traces.Add(t with
            {
                MedianThreshold = threshold,
                Samples = samples,
                Histogram = f.Skip(3).Select(v => long.Parse(v, C)).ToArray(),
            });
        }
        return traces;
    }
}
