using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Writers;
using Seiscat.Engine.Mixture;
using Seiscat.Engine.Pipeline;
using Seiscat.Native.Hdf5;
using Seiscat.Tests.Shared;

namespace Seiscat.Engine.Tests.Pipeline;

/// <summary>
/// One uninterrupted single-thread predict is the reference; checkpoint parts, other thread counts and merged shards
/// must reproduce its .h5, .csv and .parquet byte for byte. The input spans several 65536-row HDF5 chunks and
/// Parquet row groups, so chunk and group borders fall inside parts and shards.
/// </summary>
[Collection("native-hdf5-engine")]
public class PredictionRoutesTests
{
    private const int Rows = 150_001;
    private const int Columns = 6;

    private static string WriteFeatures(TestPaths.TempDir dir)
    {
        var path = dir.File("features.h5");
        var rng = new Random(7);
        var x = new float[Rows * Columns];
        var starts = new long[Rows];
        var stations = new int[Rows];
        var gaps = new float[Rows];
        for (var i = 0; i < Rows; i++)
        {
            var c = i / 997 % 3; // three well-separated families, in runs, as real signal classes come
            for (var j = 0; j < Columns; j++) x[i * Columns + j] = (float)(Math.Exp(c * 1.5 + (j == c ? 2 : 0)) * (1 + 0.2 * rng.NextDouble()));
            stations[i] = i % 2;
            starts[i] = 1_700_000_000_000_000_000L + i / 2 * 10_000_000_000L;
            gaps[i] = i % 13 == 0 ? 0.25f : 0f;
        }
        var columns = new FeatureColumns(new int[Columns], new int[Columns], Enumerable.Range(0, Columns).ToArray(), Enumerable.Repeat(-1, Columns).ToArray(),
            Enumerable.Range(0, Columns).Select(j => 10.0 / (j + 1)).ToArray(), Enumerable.Repeat(double.NaN, Columns).ToArray(),
            Enumerable.Repeat(-1, Columns).ToArray());
        using var w = new FeaturesWriter(path, columns, ["XX.A", "XX.B"], "{}", 20_000_000_000L, 10_000_000_000L);
        w.Append(x, starts, stations, gaps);
        w.Complete();
        return path;
    }

    [Fact]
    public void Parts_threads_and_merged_shards_reproduce_the_single_run_bytes()
    {
        using var dir = TestPaths.NewTempDir();
        using var source = FeatureSource.Open(WriteFeatures(dir));
        var model = ModelFitting.Fit(source, new FitOptions
        {
            SampleCount = 3000,
            Clusters = 3,
            Gmm = new GmmOptions { Components = 3 },
            Seed = 1,
            Transform = new Seiscat.Engine.Linear.TransformOptions { Reduce = Seiscat.Engine.Linear.ReduceKind.Pca, ReduceComponents = 3 }
        }, out _);
        string[] Outputs(string name) => [dir.File(name + ".h5"), dir.File(name + ".csv"), dir.File(name + ".parquet")];

        Assert.Equal(Rows, PredictJob.Run(model, source, Outputs("single"), new PredictRequest { Threads = 1, CheckpointRows = 1 << 30 }));
        PredictJob.Run(model, source, Outputs("parts"), new PredictRequest { Threads = 2, CheckpointRows = 40_000 });
        var shards = Enumerable.Range(0, 3).Select(i => dir.File($"shard{i}.h5")).ToArray();
        for (var i = 0; i < 3; i++)
            PredictJob.Run(model, source, [shards[i]], new PredictRequest
            {
                Threads = 1 + i,
                ShardIndex = i,
                ShardCount = 3,
                CheckpointRows = i == 1 ? 20_000 : 1 << 20
            }); // shard 1 checkpoints
        Assert.Equal(Rows, PredictionMerge.Run(shards.Reverse().ToArray(), Outputs("merged")));

        foreach (var route in new[] { "parts", "merged" })
            foreach (var ext in new[] { ".h5", ".csv", ".parquet" })
                Assert.True(File.ReadAllBytes(dir.File("single" + ext)).AsSpan().SequenceEqual(File.ReadAllBytes(dir.File(route + ext))),
                    $"{route}{ext} differs from single{ext}");
        Assert.Empty(Directory.GetDirectories(dir.Path, "*.parts-*"));

        // The .h5 holds what the predictor computes, row for row.
        using var f = H5File.OpenRead(dir.File("single.h5"));
        var cluster = f.OpenDataset("cluster").ReadAll<int>();
        var probability = f.OpenDataset("probability").ReadAll<double>();
        Assert.Equal(Rows, cluster.Length);
        var predictor = new ClusterModel.Predictor(model);
        var rows = new double[3 * Columns];
        foreach (var row in new long[] { 0, 65_535, 65_536, 131_072, Rows - 1 })
        {
            source.ReadRows(row, 1, rows);
            var (c, p, ll, d) = (new int[1], new double[1], new double[1], new double[1]);
            predictor.Predict(rows, 1, c, p, ll, d);
            Assert.Equal(c[0], cluster[row]);
            Assert.Equal(p[0], probability[row]);
        }
        Assert.Equal(3, cluster.Distinct().Count());
        using (var features = H5File.OpenRead(dir.File("features.h5")))
            Assert.Equal(features.OpenDataset("window_start_ns").ReadAll<long>(), f.OpenDataset("window_start_ns").ReadAll<long>());

        // A shard missing from the merge is refused and writes nothing.
        var e = Assert.Throws<SeiscatException>(() => PredictionMerge.Run(shards[..2], [dir.File("bad.csv")]));
        Assert.Contains("shard", e.Message);
        Assert.False(File.Exists(dir.File("bad.csv")));
    }

    [Fact]
    public void Shard_outputs_must_be_h5()
    {
        using var dir = TestPaths.NewTempDir();
        using var source = FeatureSource.Open(WriteFeatures(dir));
        var model = ModelFitting.Fit(source, new FitOptions { SampleCount = 500, Clusters = 2, Gmm = new GmmOptions { Components = 2 } }, out _);
        var e = Assert.Throws<SeiscatException>(() => PredictJob.Run(model, source, [dir.File("s.csv")], new PredictRequest
        {
            ShardIndex = 0,
            ShardCount = 2
        }));
        Assert.Contains("merge", e.Message);
    }
}
