using Seiscat.Native.Hdf5;
using Seiscat.Tests.Shared;

namespace Seiscat.Cli.Tests;

[Collection("cli-native")]
public class LearningCommandsTests
{
    [Fact]
    public void Fit_from_a_stored_start_then_predict_reproduces_sklearn()
    {
        using var dir = TestPaths.NewTempDir();
        var fixture = TestPaths.Fixture("sklearn/gmm_real.h5");
        var (exit, output, err) = CliHarness.Run("fit", fixture + ":/input/X", "--out", dir.File("model.h5"), "--scale", "none", "--reduce", "none",
            "--clusters", "4", "--init", fixture + ":/k4/gmm/init", "--max-iter", "200", "--tol", "1e-3");
        Assert.True(exit == 0, err);
        Assert.Contains("32 EM iterations, converged", output);
        using (var model = H5File.OpenRead(dir.File("model.h5")))
        using (var reference = H5File.OpenRead(fixture))
        {
            var means = model.OpenDataset("mixture/means").ReadAll<double>();
            var expected = reference.OpenDataset("k4/gmm/means_").ReadAll<double>();
            Assert.True(means.Zip(expected).Max(p => Math.Abs(p.First - p.Second)) <= 1e-9 * expected.Max(Math.Abs));
            Assert.Equal([4L, 10, 10], model.OpenDataset("mixture/covariances").Dims);
            Assert.Equal("full", model.OpenGroup("mixture").ReadStringAttribute("covariance_type"));
        }
        (exit, _, err) = CliHarness.Run("predict", dir.File("model.h5"), fixture + ":/input/X", "--out", dir.File("labels.h5"));
        Assert.True(exit == 0, err);
        using var labels = H5File.OpenRead(dir.File("labels.h5"));
        using var sk = H5File.OpenRead(fixture);
        Assert.Equal(sk.OpenDataset("k4/gmm/labels").ReadAll<long>().Select(v => (int)v), labels.OpenDataset("cluster").ReadAll<int>());
        var proba = labels.OpenDataset("proba").ReadAll<float>();
        var skProba = sk.OpenDataset("k4/gmm/predict_proba").ReadAll<double>();
        Assert.True(proba.Zip(skProba).Max(p => Math.Abs(p.First - p.Second)) <= 1e-6); // float32 output
        var ll = labels.OpenDataset("log_likelihood").ReadAll<double>();
        Assert.True(ll.Zip(sk.OpenDataset("k4/gmm/score_samples").ReadAll<double>()).Max(p => Math.Abs(p.First - p.Second)) <= 1e-8);
    }

    [Fact]
    public void Features_to_fit_to_predict_csv_on_a_synthetic_archive()
    {
        using var dir = TestPaths.NewTempDir();
        Assert.Equal(0, CliHarness.Run("synth", "--out", dir.File("a"), "--hours", "2", "--rate", "20").Exit);
        File.WriteAllText(dir.File("cfg.json"),
            """
                {"sampling_rate": 20, "bins": 400, "layers": [{"octaves": 5, "resolution": 2, "quality": 2},
                {"octaves": 5, "resolution": 1, "quality": 2}], "pooling": "median"}
                """);
        Assert.Equal(0, CliHarness.Run("features", "--fftw", "estimate", dir.File("a"), "--config", dir.File("cfg.json"), "--out", dir.File("f.h5")).Exit);
        var (exit, output, err) = CliHarness.Run("fit", dir.File("f.h5"), "--out", dir.File("m.h5"), "--sample", "60%", "--strategy", "by-time",
            "--clusters", "auto:2-5", "--seed", "4");
        Assert.True(exit == 0, err);
        Assert.Contains("<- chosen", output);
        (exit, _, err) = CliHarness.Run("predict", dir.File("m.h5"), dir.File("f.h5"), "--out", dir.File("labels.csv"));
        Assert.True(exit == 0, err);
        var lines = File.ReadAllLines(dir.File("labels.csv"));
        // The default cluster tree appends leaf,top_cluster when it refined the fit's clusters.
        Assert.Matches("^window_start,window_end,station,cluster,probability,log_likelihood,distance,gap_fraction(,leaf,top_cluster)?$", lines[0]);
        using var f = H5File.OpenRead(dir.File("f.h5"));
        Assert.Equal(f.OpenDataset("features").Dims[0], lines.Length - 1);
        Assert.Matches(@"^2024-01-01T00:00:00\.000000Z,2024-01-01T00:00:20\.000000Z,SC\.ST01\.00\.BH\?,\d+,", lines[1]);
        // Same input and seed: same model, byte for byte.
        Assert.Equal(0, CliHarness.Run("fit", dir.File("f.h5"), "--out", dir.File("m2.h5"), "--sample", "60%", "--strategy", "by-time", "--clusters",
            "auto:2-5", "--seed", "4").Exit);
        Assert.Equal(File.ReadAllBytes(dir.File("m.h5")), File.ReadAllBytes(dir.File("m2.h5")));
    }

    [Fact]
    public void Mismatched_model_and_impossible_requests_are_one_line_errors()
    {
        using var dir = TestPaths.NewTempDir();
        var x = TestPaths.Fixture("sklearn/gmm_real.h5") + ":/input/X";
        Assert.Equal(0, CliHarness.Run("fit", x, "--out", dir.File("m.h5"), "--scale", "none", "--reduce", "none", "--clusters", "3").Exit);
        foreach (var args in new[]
        {
            new[] { "predict", dir.File("m.h5"), TestPaths.Fixture("sklearn/features_real.h5") + ":/features/X", "--out", dir.File("l.csv") },
                // 504 columns, model has 10
            ["fit", x, "--out", dir.File("m3.h5"), "--scale", "none", "--clusters", "500"],
                // more clusters than rows
            ["fit", x, "--out", dir.File("m4.h5"), "--reduce", "svd:3"],
            ["fit", x, "--out", dir.File("m5.h5")],
                // log10 of negative ICA sources
            ["predict", dir.File("missing.h5"), x, "--out", dir.File("l.csv")],
        })
        {
            var (exit, _, err) = CliHarness.Run(args);
            Assert.True(exit == 2, string.Join(' ', args) + " → " + err);
            Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        Assert.False(File.Exists(dir.File("l.csv")));
    }
}

[Collection("cli-native")]
public class StabilityCommandTests
{
    [Fact]
    public void Stability_agreement_grows_with_the_sample_and_is_written_as_json()
    {
        using var dir = TestPaths.NewTempDir();
        var x = TestPaths.Fixture("sklearn/gmm_synthetic.h5") + ":/input/X";
        var (exit, output, err) = CliHarness.Run("stability", x, "--samples", "30,3000", "--repeats", "3", "--clusters", "5", "--reduce", "none",
            "--scale", "none", "--held-out", "2000", "--json", dir.File("s.json"));
        Assert.True(exit == 0, err);
        Assert.Contains("plateau", output);
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(dir.File("s.json")));
        var sizes = json.RootElement.GetProperty("sizes");
        Assert.Equal(2, sizes.GetArrayLength());
        var small = sizes[0].GetProperty("mean_pairwise_ari").GetDouble();
        var large = sizes[1].GetProperty("mean_pairwise_ari").GetDouble();
        Assert.True(large > 0.95, $"3000 samples of a well-separated mixture: ARI {large:0.000}");
        Assert.True(large >= small, $"{small:0.000} → {large:0.000}");
    }
}
