using Seiscat.Engine.Common;
using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Writers;
using Seiscat.Engine.Mixture;
using Seiscat.Tests.Shared;

namespace Seiscat.Engine.Tests.Mixture;

[Collection("native-hdf5-engine")]
public class SamplingTests
{
    /// <summary>The in-memory statement of by-time sampling: group every row by UTC hour, draw an equal share per hour
    /// (Floyd), top up uniformly. The streaming implementation must choose exactly the same rows.</summary>
    private static long[] Reference(long[] starts, long take, ulong seed)
    {
        var n = starts.Length;
        var rng = new Xoshiro256(seed, 300);
        var byHour = Enumerable.Range(0, n).GroupBy(i => Math.Floor(starts[i] / 3.6e12)).OrderBy(g => g.Key).Select(g => g.ToList()).ToList();
        var chosen = new HashSet<long>();
        var share = Math.Max(1, take / byHour.Count);
        foreach (var hour in byHour)
        {
            var set = new HashSet<int>();
            for (var j = hour.Count - (int)Math.Min(share, hour.Count); j < hour.Count; j++)
            {
                var t = (int)(rng.NextDouble() * (j + 1)) % (j + 1);
                set.Add(set.Contains(t) ? j : t);
            }
            foreach (var i in set) chosen.Add(hour[i]);
        }
        for (var rest = take - chosen.Count; rest > 0;)
            if (chosen.Add((long)(rng.NextDouble() * n) % n)) rest--;
        return chosen.Order().Take((int)take).ToArray();
    }

    [Theory]
    [InlineData(500, 1UL)]
    [InlineData(5000, 2UL)]
    [InlineData(149_999, 3UL)]
    public void By_time_sampling_streams_the_same_rows_as_grouping_in_memory(long take, ulong seed)
    {
        using var dir = TestPaths.NewTempDir();
        // Three stations, one after the other (as features.h5 orders them), with uneven hours: one station starts late,
        // one has a quiet day, so hours hold different counts and interleave across the row order.
        const int rows = 150_000;
        var starts = new long[rows];
        var rng = new Random(9);
        for (var i = 0; i < rows; i++)
        {
            var station = i / 50_000;
            var k = i % 50_000;
            starts[i] = 1_700_000_000_000_000_000L + station * 7_200_000_000_000L + k * (k % 7 == 0 ? 31_000_000_000L : 10_000_000_000L) + rng.Next(0, 1000);
        }
        var columns = new FeatureColumns([1], [0], [0], [-1], [1.0], [double.NaN], [-1]);
        using (var w = new FeaturesWriter(dir.File("f.h5"), columns, ["A", "B", "C"], "{}", 20_000_000_000L, 10_000_000_000L))
        {
            w.Append(new float[rows], starts, Enumerable.Range(0, rows).Select(i => i / 50_000).ToArray(), new float[rows]);
            w.Complete();
        }
        using var source = FeatureSource.Open(dir.File("f.h5"));
        var chosen = ModelFitting.Choose(source, take, SamplingStrategy.ByTime, seed);
        Assert.Equal(Reference(starts, take, seed), chosen);
        Assert.Equal(take, chosen.Distinct().Count());
    }
}
