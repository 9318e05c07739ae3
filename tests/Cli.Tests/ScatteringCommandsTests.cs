using Seiscat.Native.Hdf5;
using Seiscat.Tests.Shared;

namespace Seiscat.Cli.Tests;

[Collection("cli-native")]
public class ScatteringCommandsTests
{
    private static double WorstSliceError(float[] actual, double[] expected, int slices)
    {
        var per = expected.Length / slices;
        double worst = 0;
        for (var s = 0; s < slices; s++)
        {
            double err = 0, max = 0;
            for (var i = 0; i < per; i++)
            {
                err = Math.Max(err, Math.Abs(actual[s * per + i] - expected[s * per + i]));
                max = Math.Max(max, Math.Abs(expected[s * per + i]));
            }
            worst = Math.Max(worst, err / max);
        }
        return worst;
    }

    [Fact]
    public void Scatter_reproduces_the_fixture_and_writes_banks_and_config()
    {
        using var dir = TestPaths.NewTempDir();
        var fixture = TestPaths.Fixture("scatseisnet/jgr_max.h5");
        string config;
        using (var f = H5File.OpenRead(fixture)) config = f.ReadStringAttribute("config");
        File.WriteAllText(dir.File("cfg.json"), config);
        var (exit, output, err) = CliHarness.Run("scatter", "--segments", fixture + ":/input/segments", "--config", dir.File("cfg.json"), "--out",
            dir.File("out.h5"), "--threads", "2");
        Assert.True(exit == 0, err);
        Assert.Contains("64 windows", output);
        using var r = H5File.OpenRead(dir.File("out.h5"));
        using var reference = H5File.OpenRead(fixture);
        for (var l = 1; l <= 2; l++)
        {
            using var mine = r.OpenDataset($"output/layer{l}");
            using var theirs = reference.OpenDataset($"output/layer{l}");
            Assert.Equal(theirs.Dims, mine.Dims);
            Assert.True(WorstSliceError(mine.ReadAll<float>(), theirs.ReadAll<double>(), 64 * 3) <= 1e-5);
            Assert.Equal(theirs.Dims[^1], r.OpenDataset($"bank/layer{l}/centers_hz").Dims[0]);
        }
        Assert.Contains("\"pooling\":\"max\"", r.ReadStringAttribute("config"));
    }

    [Fact]
    public void Features_of_the_real_record_equal_the_reference_features()
    {
        // fixtures/sklearn/features_real.h5: all 179 windows of YH.DC06 (2000 samples, step 1000, demeaned),
        // tutorial network with avg pooling, untapered, flattened [layer1 | layer2]; seiscat's first-order statistics
        // (avg, max) follow as 2 × 72 more columns.
        using var dir = TestPaths.NewTempDir();
        File.WriteAllText(dir.File("cfg.json"),
            """
                {"sampling_rate": 50, "bins": 2000, "layers": [{"octaves": 6, "resolution": 4, "quality": 2},
                {"octaves": 6, "resolution": 1, "quality": 2}], "pooling": "avg", "taper_alpha": null}
                """);
        var (exit, output, err) = CliHarness.Run("features", "--fftw", "estimate", TestPaths.Data("continuous/YH.DC06_2012-07-25T00_1h_50Hz_3C.h5"),
            "--config", dir.File("cfg.json"), "--window", "40s", "--step", "20s", "--out", dir.File("features.h5"), "--threads", "2");
        Assert.True(exit == 0, err);
        Assert.Contains("179 windows × 648 features from 1 station in", output);
        const int d = 648;
        using var mine = H5File.OpenRead(dir.File("features.h5"));
        using var reference = H5File.OpenRead(TestPaths.Fixture("sklearn/features_real.h5"));
        var x = mine.OpenDataset("features").ReadAll<float>();
        var flat = reference.OpenDataset("scatter/features_flat").ReadAll<double>();
        // Per window and block (layer 1 of all channels, then layer 2), the §5.1 gate: 1e-5 of the block maximum.
        for (var w = 0; w < 179; w++)
        {
            foreach (var (start, length) in new[] { (0, 72), (72, 432) })
            {
                double e = 0, m = 0;
                for (var i = start; i < start + length; i++)
                {
                    e = Math.Max(e, Math.Abs(x[w * d + i] - flat[w * 504 + i]));
                    m = Math.Max(m, Math.Abs(flat[w * 504 + i]));
                }
                Assert.True(e <= 1e-5 * m, $"window {w}, columns {start}+{length}: {e / m:E2}");
            }
            // The statistics (pooled away from the window's edges): each band's max is at least its mean.
            for (var i = 0; i < 72; i++)
            {
                var (mean, max) = (x[w * d + 504 + i], x[w * d + 576 + i]);
                Assert.True(max >= mean && mean > 0, $"window {w}, filter column {i}: max {max} < mean {mean}");
            }
        }
        var statistic = mine.OpenDataset("coefficients/statistic").ReadAll<int>();
        Assert.Equal(Enumerable.Repeat(-1, 504).Concat(Enumerable.Repeat(0, 72)).Concat(Enumerable.Repeat(1, 72)), statistic);
        var starts = mine.OpenDataset("window_start_ns").ReadAll<long>();
        Assert.Equal(reference.OpenDataset("input/start_time_ns").ReadAll<long>(), starts);
        Assert.All(mine.OpenDataset("gap_fraction").ReadAll<float>(), g => Assert.Equal(0f, g));
        Assert.Equal(["YH.DC06..BH?"], mine.OpenDataset("stations").ReadStrings());
    }

    [Fact]
    public void Features_are_identical_for_one_and_two_threads_and_across_gaps()
    {
        using var dir = TestPaths.NewTempDir();
        var archive = dir.File("archive");
        Assert.Equal(0, CliHarness.Run("synth", "--out", archive, "--hours", "1", "--rate", "20").Exit);
        File.WriteAllText(dir.File("cfg.json"),
            """
                {"sampling_rate": 20, "bins": 400, "layers": [{"octaves": 4, "resolution": 2, "quality": 2},
                {"octaves": 4, "resolution": 1, "quality": 2}], "pooling": "median"}
                """);
        foreach (var t in new[] { "1", "2" })
        {
            var (exit, _, err) = CliHarness.Run("features", "--fftw", "estimate", archive, "--config", dir.File("cfg.json"), "--out",
                dir.File($"f{t}.h5"), "--threads", t, "--gaps", "zero-fill", "--highpass", "0.5");
            Assert.True(exit == 0, err);
        }
        Assert.Equal(File.ReadAllBytes(dir.File("f1.h5")), File.ReadAllBytes(dir.File("f2.h5")));
        using var f = H5File.OpenRead(dir.File("f1.h5"));
        var gaps = f.OpenDataset("gap_fraction").ReadAll<float>();
        Assert.Contains(gaps, g => g > 0 && g < 1); // windows across the synthetic gap are zero-filled and say so
        Assert.Equal("detrend=demean, highpass 0.5 Hz order 4 zero-phase", f.ReadStringAttribute("preprocess"));
    }

    [Theory]
    [InlineData("--window", "30s")]      // 30 s × 20 Hz ≠ bins 400
    [InlineData("--gaps", "fill")]
    [InlineData("--bandpass", "5")]
    [InlineData("--highpass", "15")]     // above Nyquist
    public void Impossible_feature_parameters_are_one_line_errors(string option, string value)
    {
        using var dir = TestPaths.NewTempDir();
        var archive = dir.File("archive");
        Assert.Equal(0, CliHarness.Run("synth", "--out", archive, "--hours", "0.5", "--rate", "20", "--stations", "1").Exit);
        File.WriteAllText(dir.File("cfg.json"),
            """{"sampling_rate": 20, "bins": 400, "layers": [{"octaves": 4, "resolution": 2, "quality": 2}], "pooling": "avg"}""");
        var (exit, _, err) = CliHarness.Run("features", "--fftw", "estimate", archive, "--config", dir.File("cfg.json"), "--out", dir.File("f.h5"),
            option, value);
        Assert.True(exit == 2, err);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(File.Exists(dir.File("f.h5")));
    }

    [Fact]
    public void Scatter_refuses_nan_windows_and_leaves_no_output()
    {
        using var dir = TestPaths.NewTempDir();
        using (var f = H5File.Create(dir.File("bad.h5")))
        {
            var x = new float[4 * 512];
            x[700] = float.NaN;
            f.WriteDataset<float>("segments", x, [4, 512]);
        }
        File.WriteAllText(dir.File("cfg.json"),
            """{"sampling_rate": 50, "bins": 512, "layers": [{"octaves": 3, "resolution": 2, "quality": 2}], "pooling": "avg"}""");
        var (exit, _, err) = CliHarness.Run("scatter", "--segments", dir.File("bad.h5") + ":/segments", "--config", dir.File("cfg.json"), "--out",
            dir.File("out.h5"));
        Assert.Equal(2, exit);
        Assert.Contains("bad.h5:/segments", err);
        Assert.Contains("window 1", err);
        Assert.False(File.Exists(dir.File("out.h5")));
        Assert.Empty(Directory.GetFiles(dir.Path, ".out.h5*"));
    }
}
