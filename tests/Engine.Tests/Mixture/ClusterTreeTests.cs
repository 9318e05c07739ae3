using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Writers;
using Seiscat.Engine.Linear;
using Seiscat.Engine.Mixture;
using Seiscat.Engine.Pipeline;
using Seiscat.Native.Hdf5;
using Seiscat.Tests.Shared;

namespace Seiscat.Engine.Tests.Mixture;

/// <summary>
/// The cluster tree on a record where three rare families (0.5 % of the windows each) sit together, far from a
/// dominant background: a sample of 4 000 of 60 000 windows holds about 20 of each, too few for a mixture to give
/// them components of their own, so the root puts them in one cluster. The second pass collects all 300 of each from
/// the whole record and the child separates them.
/// </summary>
[Collection("native-hdf5-engine")]
public class ClusterTreeTests
{
    private const int Rows = 60_000;
    private const int Columns = 8;
    private const int Families = 3;

    // Family of row i: 0 = background, 1..3 = rare (every 200th row of each kind, in scattered positions).
    private static int Family(int i) => i % 200 == 17 ? 1 : i % 200 == 91 ? 2 : i % 200 == 143 ? 3 : 0;

    // Rows alternate between the two stations at one start time per pair: one source seen near (station A, family 1)
    // and far (station B at the same time, family 2), and a station-B-only family 3 at other times.
    private static int NearFar(int i) => i % 200 == 16 ? 1 : i % 200 == 17 ? 2 : i % 200 == 143 ? 3 : 0;

    private static string WriteFeatures(TestPaths.TempDir dir, int rows = Rows, Func<int, int>? family = null)
    {
        family ??= Family;
        var path = dir.File("features.h5");
        var rng = new Random(11);
        double Gauss() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var x = new float[rows * Columns];
        var starts = new long[rows];
        var stations = new int[rows];
        var gaps = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            var f = family(i);
            for (var j = 0; j < Columns; j++)
            {
                // log10 of the coefficient: the rare families share a large excess in the first four columns and differ
                // from each other by a smaller one in columns 4..6.
                var v = 0.15 * Gauss() + (f > 0 && j < 4 ? 2.5 : 0) + (f > 0 && j == 3 + f ? 1.2 : 0);
                x[i * Columns + j] = (float)Math.Pow(10, v);
            }
            stations[i] = i % 2;
            starts[i] = 1_700_000_000_000_000_000L + i / 2 * 20_000_000_000L;
        }
        var columns = new FeatureColumns(new int[Columns], new int[Columns], Enumerable.Range(0, Columns).ToArray(), Enumerable.Repeat(-1, Columns).ToArray(),
            Enumerable.Range(0, Columns).Select(j => 10.0 / (j + 1)).ToArray(), Enumerable.Repeat(double.NaN, Columns).ToArray(),
            Enumerable.Repeat(-1, Columns).ToArray());
        using var w = new FeaturesWriter(path, columns, ["XX.A", "XX.B"], "{}", 40_000_000_000L, 20_000_000_000L);
        w.Append(x, starts, stations, gaps);
        w.Complete();
        return path;
    }

    private static FitOptions Options(int levels, long? sample = 4000) => new()
    {
        SampleCount = sample,
        AutoRange = (2, 8),
        Levels = levels,
        Gmm = new GmmOptions { Components = 2 },
        Seed = 3,
        Transform = new TransformOptions { Reduce = ReduceKind.Pca, ReduceComponents = 4 },
    };

    private static int[] Predict(ClusterModel model, FeatureSource source, out double[] proba, out double[] probability)
    {
        var predictor = new ClusterModel.Predictor(model, UnitBackgrounds.ForPrediction(model, source));
        var x = new double[(long)source.Rows * source.Columns];
        source.ReadRows(0, (int)source.Rows, x);
        var cluster = new int[source.Rows];
        probability = new double[source.Rows];
        proba = new double[source.Rows * model.Labels];
        predictor.Predict(x, (int)source.Rows, cluster, probability, new double[source.Rows], new double[source.Rows], proba);
        return cluster;
    }

    // For each rare family: the share of its windows in its majority label, and that label's purity.
    private static (double Share, double Purity)[] Placement(int[] cluster, int labels)
    {
        var counts = new long[Families + 1, labels];
        for (var i = 0; i < cluster.Length; i++) counts[Family(i), cluster[i]]++;
        return Enumerable.Range(1, Families).Select(f =>
        {
            var best = Enumerable.Range(0, labels).MaxBy(c => counts[f, c]);
            var size = Enumerable.Range(0, Families + 1).Sum(g => counts[g, best]);
            return ((double)counts[f, best] / (Rows / 200), (double)counts[f, best] / size);
        }).ToArray();
    }

    [Fact]
    public void The_tree_separates_rare_families_that_one_mixture_on_the_sample_merges()
    {
        using var dir = TestPaths.NewTempDir();
        using var source = FeatureSource.Open(WriteFeatures(dir));

        var flat = ModelFitting.Fit(source, Options(levels: 1), out _);
        var flatPlacement = Placement(Predict(flat, source, out _, out _), flat.Labels);
        // The premise: on the sample, the rare families share a cluster (at least two of them).
        Assert.True(flatPlacement.Count(p => p.Purity < 0.7) >= 2, string.Join("; ", flatPlacement));

        var tree = ModelFitting.Fit(source, Options(levels: 3), out var report);
        Assert.NotNull(tree.Branch);
        Assert.Equal(Rows / 200 * Families, tree.Branch!.Rows); // every rare window of the record, not the sample's ~60
        var cluster = Predict(tree, source, out var proba, out var probability);
        foreach (var (share, purity) in Placement(cluster, tree.Labels))
        {
            Assert.True(share >= 0.95, string.Join("\n", report.Tree) + $"\nshare {share}");
            Assert.True(purity >= 0.95, string.Join("\n", report.Tree) + $"\npurity {purity}");
        }
        // Background windows stay in the root's background cluster.
        Assert.True(Enumerable.Range(0, Rows).Where(i => Family(i) == 0).Count(i => tree.TopLevel()[cluster[i]] == 0) >= 0.999 * Rows * 197 / 200);

        // Label probabilities: a distribution per row, and the chosen label's is the reported probability.
        for (var i = 0; i < Rows; i += 37)
        {
            var row = proba.AsSpan(i * tree.Labels, tree.Labels);
            double sum = 0;
            foreach (var v in row) sum += v;
            Assert.Equal(1.0, sum, 1e-9);
            Assert.Equal(probability[i], row[cluster[i]], 1e-12);
        }
        // Names are paths: the kept root clusters, then the refined group's children under the group's number.
        var names = tree.LabelNames();
        Assert.Equal(tree.Labels, names.Count);
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(names.Select((n, l) => (n, l)), t => Assert.Equal(int.Parse(t.n.Split('.')[0]), tree.TopLevel()[t.l]));
        Assert.Contains(names, n => n.Contains('.'));
    }

    [Fact]
    public void A_saved_tree_predicts_the_same_bits_and_outputs_name_leaves_and_top_clusters()
    {
        using var dir = TestPaths.NewTempDir();
        using var source = FeatureSource.Open(WriteFeatures(dir));
        var tree = ModelFitting.Fit(source, Options(levels: 3), out _);
        tree.Save(dir.File("model.h5"));
        var loaded = ClusterModel.Load(dir.File("model.h5"));
        Assert.Equal(tree.LabelNames(), loaded.LabelNames());
        var a = Predict(tree, source, out var pa, out var qa);
        var b = Predict(loaded, source, out var pb, out var qb);
        Assert.Equal(a, b);
        Assert.Equal(pa, pb);
        Assert.Equal(qa, qb);

        string[] Outputs(string name) => [dir.File(name + ".h5"), dir.File(name + ".csv"), dir.File(name + ".parquet")];
        PredictJob.Run(loaded, source, Outputs("one"), new PredictRequest { Threads = 1, CheckpointRows = 1 << 30 });
        PredictJob.Run(loaded, source, Outputs("two"), new PredictRequest { Threads = 2, CheckpointRows = 25_000 });
        foreach (var ext in new[] { ".h5", ".csv", ".parquet" })
            Assert.True(File.ReadAllBytes(dir.File("one" + ext)).AsSpan().SequenceEqual(File.ReadAllBytes(dir.File("two" + ext))), ext);

        using var f = H5File.OpenRead(dir.File("one.h5"));
        Assert.Equal(loaded.LabelNames(), f.ReadStringDataset("label_names"));
        var top = f.OpenDataset("top_cluster").ReadAll<int>();
        var cluster = f.OpenDataset("cluster").ReadAll<int>();
        Assert.Equal(a, cluster);
        Assert.Equal(cluster.Select(c => loaded.TopLevel()[c]), top);
        var lines = File.ReadAllLines(dir.File("one.csv"));
        Assert.EndsWith(",leaf,top_cluster", lines[0]);
        var names = loaded.LabelNames();
        for (var i = 1; i < lines.Length; i += 997)
        {
            var cells = lines[i].Split(',');
            Assert.Equal(names[cluster[i - 1]], cells[^2]);
            Assert.Equal(top[i - 1].ToString(), cells[^1]);
        }
    }

    [Fact]
    public void Clusters_of_one_source_at_two_stations_are_joined_and_the_join_is_saved()
    {
        using var dir = TestPaths.NewTempDir();
        using var source = FeatureSource.Open(WriteFeatures(dir, family: NearFar));
        int LabelOf(int[] cluster, int f) => Enumerable.Range(0, Rows).Where(i => NearFar(i) == f).GroupBy(i => cluster[i]).MaxBy(g => g.Count())!.Key;

        var apart = ModelFitting.Fit(source, Options(levels: 3) with { JoinThreshold = null }, out var apartReport);
        var a = Predict(apart, source, out _, out _);
        // The premise: without the join the near and far records are told apart (they differ in one column).
        Assert.True(LabelOf(a, 1) != LabelOf(a, 2), string.Join("\n", apartReport.Tree));

        var joined = ModelFitting.Fit(source, Options(levels: 3), out var report);
        var b = Predict(joined, source, out _, out _);
        Assert.True(LabelOf(b, 1) == LabelOf(b, 2), string.Join("\n", report.Tree));
        Assert.NotEqual(LabelOf(b, 1), LabelOf(b, 3)); // one station's family coincides with nothing
        Assert.Contains(report.Tree, l => l.Contains("coincide across stations"));

        joined.Save(dir.File("model.h5"));
        var loaded = ClusterModel.Load(dir.File("model.h5"));
        var node = loaded;
        while (node.Joins.Count == 0 && node.Branch is { } branch) node = branch.Model;
        Assert.NotEmpty(node.Joins);
        Assert.All(node.Joins, j => Assert.InRange(j.Score, NetworkCoincidence.DefaultThreshold, 1.0));
        Assert.Equal(b, Predict(loaded, source, out _, out _));
    }

    [Fact]
    public void One_level_is_the_flat_mixture_and_too_few_windows_are_not_refitted()
    {
        using var dir = TestPaths.NewTempDir();
        using var source = FeatureSource.Open(WriteFeatures(dir));
        var flat = ModelFitting.Fit(source, Options(levels: 1), out var flatReport);
        Assert.Null(flat.Branch);
        Assert.Empty(flatReport.Tree);
        Assert.Equal(flat.Clusters, flat.Labels);

        // 400 windows hold 6 of the rare ones: the tree says why it stops and keeps the root.
        using var small = TestPaths.NewTempDir();
        using var few = FeatureSource.Open(WriteFeatures(small, rows: 400));
        var model = ModelFitting.Fit(few, Options(levels: 3, sample: null), out var report);
        Assert.Null(model.Branch);
        Assert.Single(report.Tree);
        Assert.Matches("fewer than 100|nothing to refine", report.Tree[0]);
    }
}
