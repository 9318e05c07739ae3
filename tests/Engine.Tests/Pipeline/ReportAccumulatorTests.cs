using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Writers;
using Seiscat.Engine.Linear;
using Seiscat.Engine.Mixture;
using Seiscat.Engine.Pipeline;
using Seiscat.Engine.Pipeline.Report;
using Seiscat.Tests.Shared;

namespace Seiscat.Engine.Tests.Pipeline;

[Collection("native-hdf5-engine")]
public class ReportAccumulatorTests
{
    private const int Rows = 3000, Columns = 6;
    private const long T0 = 1_700_006_400_000_000_000; // 2023-11-15T00:00:00Z

    // Two stations alternating, one window every 20 s per station: a loud kind in every 10th window, quiet otherwise;
    // windows 0–99 are zero-filled across a gap (gap fraction 0.5).
    private static string WriteFeatures(TestPaths.TempDir dir)
    {
        var rng = new Random(2);
        var x = new float[Rows * Columns];
        var starts = new long[Rows];
        var stations = new int[Rows];
        var gaps = new float[Rows];
        for (var i = 0; i < Rows; i++)
        {
            var loud = i % 10 == 3;
            for (var j = 0; j < Columns; j++) x[i * Columns + j] = (float)Math.Pow(10, (loud ? 2 : 0) + 0.1 * rng.NextDouble());
            (stations[i], starts[i], gaps[i]) = (i % 2, T0 + i / 2 * 20_000_000_000L, i < 100 ? 0.5f : 0);
        }
        int[] Repeat(Func<int, int> f) => Enumerable.Range(0, Columns).Select(f).ToArray();
        var layout = new FeatureColumns(Repeat(_ => 1), Repeat(_ => 0), Repeat(j => j), Repeat(_ => -1),
            Enumerable.Range(0, Columns).Select(j => 10.0 / (j + 1)).ToArray(), Enumerable.Repeat(double.NaN, Columns).ToArray(), Repeat(_ => -1));
        var path = dir.File("features.h5");
        using var w = new FeaturesWriter(path, layout, ["XX.A", "XX.B"], "{}", 40_000_000_000L, 20_000_000_000L);
        w.Append(x, starts, stations, gaps);
        w.Complete();
        return path;
    }

    [Fact]
    public void The_report_counts_every_window_once_per_view_and_shows_gap_free_representatives()
    {
        using var dir = TestPaths.NewTempDir();
        using var source = FeatureSource.Open(WriteFeatures(dir));
        var model = ModelFitting.Fit(source, new FitOptions
        {
            Clusters = 2,
            Levels = 1,
            Seed = 1,
            Gmm = new GmmOptions { Components = 2 },
            Transform = new TransformOptions { Reduce = ReduceKind.Pca, ReduceComponents = 2 },
        }, out _);
        var report = new ReportAccumulator(model, source);
        var rows = new List<(long Row, int Cluster, double Distance, float Gap)>();
        PredictJob.Scan(model, source, new PredictRequest(), [report, new Recorder(rows)]);
        var data = report.Result();

        Assert.Equal(Rows, data.Windows);
        Assert.Equal(data.Counts, rows.GroupBy(r => r.Cluster).OrderBy(g => g.Key).Select(g => (long)g.Count()));
        Assert.Equal([Rows / 10, Rows - Rows / 10], data.Counts.Order());
        // Per hour and per hour of day, every window once (1 500 starts 20 s apart: 8 h 20 min, 9 UTC hours).
        for (var c = 0; c < 2; c++)
        {
            Assert.Equal(data.Counts[c], data.PerHour.Values.Sum(h => h[c]));
            Assert.Equal(data.Counts[c], Enumerable.Range(0, 24).Sum(h => data.HourOfDay[c, h]));
        }
        Assert.Equal(9, data.PerHour.Count);
        Assert.InRange(data.Projection.Count, 1, 5000);
        Assert.Equal(["XX.A", "XX.B"], data.StationNames);
        // Each cluster's representative: the nearest window to its centre among those without missing data.
        foreach (var rep in data.Representatives)
        {
            var expected = rows.Where(r => r.Cluster == rep.Cluster && r.Gap == 0).MinBy(r => (r.Distance, r.Row));
            Assert.Equal(expected.Row, rep.Row);
            Assert.True(rep.Row >= 100);
        }
    }

    private sealed class Recorder(List<(long Row, int Cluster, double Distance, float Gap)> rows) : IPredictionTap
    {
        public void Add(PredictionBlock b, ReadOnlySpan<double> features)
        {
            for (var i = 0; i < b.Count; i++) rows.Add((b.First + i, b.Cluster[i], b.Distance[i], b.Gap[i]));
        }
    }
}
