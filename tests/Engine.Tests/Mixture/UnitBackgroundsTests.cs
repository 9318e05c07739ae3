using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Writers;
using Seiscat.Engine.Linear;
using Seiscat.Engine.Mixture;
using Seiscat.Tests.Shared;

namespace Seiscat.Engine.Tests.Mixture;

[Collection("native-hdf5-engine")]
public class UnitBackgroundsTests
{
    private const int Filters = 4;

    // Four first-order bands, each pooled (statistic −1), averaged (0) and maximum (1): what the events recipe reads.
    // Station A sits at log10 level 0 in every band, with an episode of +3 over windows 400–519 (tremor, say); station B
    // at level 1; station C has 50 windows, too few for a background of its own.
    private static string WriteFeatures(TestPaths.TempDir dir)
    {
        var rng = new Random(5);
        var counts = new[] { 1200, 1200, 50 };
        var rows = counts.Sum();
        var columns = 3 * Filters;
        var x = new float[rows * columns];
        var starts = new long[rows];
        var stations = new int[rows];
        var row = 0;
        for (var s = 0; s < counts.Length; s++)
            for (var i = 0; i < counts[s]; i++, row++)
            {
                var level = (s == 1 ? 1.0 : 0.0) + (s == 0 && i is >= 400 and < 520 ? 3 : 0);
                for (var j = 0; j < Filters; j++)
                {
                    var v = Math.Pow(10, level + 0.05 * (rng.NextDouble() - 0.5));
                    (x[row * columns + j], x[row * columns + Filters + j], x[row * columns + 2 * Filters + j]) = ((float)v, (float)v, (float)(3 * v));
                }
                stations[row] = s;
                starts[row] = 1_700_000_000_000_000_000L + i * 20_000_000_000L;
            }
        int[] Repeat(Func<int, int> f) => Enumerable.Range(0, columns).Select(f).ToArray();
        var layout = new FeatureColumns(Repeat(_ => 1), Repeat(_ => 0), Repeat(c => c % Filters), Repeat(_ => -1),
            Enumerable.Range(0, columns).Select(c => 10.0 / (c % Filters + 1)).ToArray(), Enumerable.Repeat(double.NaN, columns).ToArray(),
            Repeat(c => c / Filters - 1));
        var path = dir.File("features.h5");
        using var w = new FeaturesWriter(path, layout, ["XX.A", "XX.B", "XX.C"], "{}", 40_000_000_000L, 20_000_000_000L);
        w.Append(x, starts, stations, new float[rows]);
        w.Complete();
        return path;
    }

    [Fact]
    public void Each_station_gets_the_median_level_of_runs_across_its_record_and_a_short_one_the_network_median()
    {
        using var dir = TestPaths.NewTempDir();
        using var source = FeatureSource.Open(WriteFeatures(dir));
        var paths = source.ColumnPaths();
        var layout = new ColumnLayout(paths.Order, paths.Channel, paths.J1, paths.J2, paths.F1Hz, paths.F2Hz, paths.Statistic);
        var backgrounds = UnitBackgrounds.TryCompute(source, layout, 1e-5);
        Assert.NotNull(backgrounds);
        Assert.Equal(["XX.A", "XX.B", "XX.C"], backgrounds.Stations);
        // The episode (10 % of A's record) does not move A's background: a median of runs, not a mean.
        Assert.All(backgrounds.For(0).ToArray()[..Filters], v => Assert.InRange(v, -0.03, 0.03));
        Assert.All(backgrounds.For(1).ToArray()[..Filters], v => Assert.InRange(v, 0.97, 1.03));
        // C, with fewer than MinimumWindows, takes the median over every station's runs: between A's and B's levels.
        Assert.All(backgrounds.For(2).ToArray()[..Filters], v => Assert.InRange(v, -0.03, 1.03));
        Assert.True(UnitBackgrounds.MinimumWindows > 50);
    }

    [Fact]
    public void A_table_is_read_back_by_station()
    {
        var table = UnitBackgrounds.FromTable(["A", "B"], [[0.0, 1.0], [2.0, 3.0]]);
        Assert.Equal([2.0, 3.0], table.For(1).ToArray());
        Assert.Equal(2, table.Values.Count);
    }
}
