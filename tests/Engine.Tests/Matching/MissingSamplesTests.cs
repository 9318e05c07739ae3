using Seiscat.Engine.Matching;
using Seiscat.Tests.Shared;

namespace Seiscat.Engine.Tests.Matching;

public class MissingSamplesTests
{
    [Fact]
    public void Windows_touching_a_gap_or_its_ringing_are_masked_as_a_direct_count_says()
    {
        var rng = new Random(3);
        for (var trial = 0; trial < 20; trial++)
        {
            var missing = Enumerable.Range(0, 300).Select(_ => rng.NextDouble() < 0.01).ToArray();
            var ring = rng.Next(0, 12);
            var prefix = MissingSamples.RingingPrefix(missing, ring);
            for (var i = 0; i < missing.Length; i++)
            {
                var near = Enumerable.Range(Math.Max(0, i - ring), Math.Min(missing.Length, i + ring + 1) - Math.Max(0, i - ring)).Any(j => missing[j]);
                Assert.Equal(near ? 1 : 0, prefix[i + 1] - prefix[i]);
            }
            var m = 7;
            var trace = new float[missing.Length - m + 1];
            MissingSamples.MaskTrace(trace, prefix, m);
            for (var t = 0; t < trace.Length; t++)
                Assert.Equal(Enumerable.Range(t, m).Any(j => prefix[j + 1] - prefix[j] > 0), float.IsNaN(trace[t]));
        }
    }

    [Fact]
    public void Gaps_are_the_runs_of_missing_samples_clipped_to_the_block()
    {
        // 10 Hz from t = 0: samples 2–4 and 8–11 missing; the block is [0.3 s, 1.0 s).
        var missing = new bool[12];
        foreach (var i in new[] { 2, 3, 4, 8, 9, 10, 11 }) missing[i] = true;
        var gaps = MissingSamples.Gaps("XX.A", missing, 0, 10, 300_000_000, 1_000_000_000).ToList();
        Assert.Equal([new MatchGap("XX.A", 300_000_000, 500_000_000), new MatchGap("XX.A", 800_000_000, 1_000_000_000)], gaps);
    }

    [Fact]
    public void The_gaps_file_round_trips_in_time_order_and_a_damaged_one_is_one_clear_error()
    {
        using var dir = TestPaths.NewTempDir();
        var path = GapsFile.PathFor(dir.File("detections.csv"));
        Assert.EndsWith("detections.gaps.csv", path, StringComparison.Ordinal);
        MatchGap[] gaps = [new("B", 2_000_000_000, 3_500_000_000), new("A", 2_000_000_000, 2_100_000_000), new("A", 0, 1_000_000_000)];
        GapsFile.Write(path, gaps);
        var first = File.ReadAllLines(path)[1];
        Assert.StartsWith("A,1970-01-01T00:00:00", first, StringComparison.Ordinal);
        Assert.EndsWith(",1", first, StringComparison.Ordinal);
        Assert.Equal(gaps.OrderBy(g => g.StartNs).ThenBy(g => g.Station, StringComparer.Ordinal), GapsFile.Read(path));
        File.AppendAllText(path, "C,1970-01-01T00:00:00Z\n");
        var e = Assert.Throws<SeiscatException>(() => GapsFile.Read(path));
        Assert.Contains("line 5 is damaged", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Group_summaries_add_histograms_weigh_thresholds_by_samples_and_round_trip_through_a_block_file()
    {
        using var dir = TestPaths.NewTempDir();
        var a = GroupTrace.Empty(3, "T0+T1");
        var b1 = a with { Histogram = GroupTrace.HistogramOf([0.5f, -1f, 1f]), MedianThreshold = 0.2, Samples = 100 };
        var b2 = a with { Histogram = GroupTrace.HistogramOf([0.5f]), MedianThreshold = 0.5, Samples = 300 };
        var sum = a.Plus(b1).Plus(a).Plus(b2);
        Assert.Equal((0.2 * 100 + 0.5 * 300) / 400, sum.MedianThreshold, 12);
        Assert.Equal(400, sum.Samples);
        Assert.Equal(2, sum.Histogram[150]);
        Assert.Equal(1, sum.Histogram[0]);
        Assert.Equal(1, sum.Histogram[GroupTrace.Bins - 1]);
        Assert.Equal(0, a.Histogram.Sum()); // Plus leaves its operands alone
        var path = dir.File("block-0.trace");
        GroupTraceFile.Write(path, [sum, GroupTrace.Empty(9, "T9")]);
        var back = Assert.Single(GroupTraceFile.Read(path, new Dictionary<int, GroupTrace> { [3] = a }));
        Assert.Equal((sum.Group, sum.Templates, sum.MedianThreshold, sum.Samples), (back.Group, back.Templates, back.MedianThreshold, back.Samples));
        Assert.Equal(sum.Histogram, back.Histogram);
        File.WriteAllText(path, "3,0.5,x\n");
        Assert.Contains("line 1 is damaged", Assert.Throws<SeiscatException>(() => GroupTraceFile.Read(path, new Dictionary<int, GroupTrace>())).Message);
    }
}
