using Seiscat.Native.Hdf5;
using Seiscat.Tests.Shared;

namespace Seiscat.Cli.Tests;

/// <summary>
/// Paper mode end to end: `learn` writes a bank that `features --bank` and `run --bank` use, every epoch's wavelets,
/// the loss and its page; the same seed gives the same bank bytes for 1 and 3 threads; bad requests are one line.
/// </summary>
[Collection("cli-native")]
public class PaperModeTests
{
    /// <summary>A small paper network for 20 Hz test archives: 256-sample windows, three layers, a small mixture.</summary>
    public const string SmallPaper = """
        {"network": "paper", "sampling_rate": 20, "bins": 256, "layers": [{"octaves": 3, "resolution": 4}, {"octaves": 3, "resolution": 2},
        {"octaves": 2, "resolution": 1}], "pca_components": 3, "gmm_components": 3, "batch": 16}
        """;

    private static string PaperConfigOf(string bank)
    {
        using var b = H5File.OpenRead(bank);
        return b.ReadStringAttribute("config");
    }

    private static (string Archive, string Config) Setup(TestPaths.TempDir dir)
    {
        var archive = CliHarness.SyntheticArchive(dir, hours: 2);
        File.WriteAllText(dir.File("paper.json"), SmallPaper);
        return (archive, dir.File("paper.json"));
    }

    [Fact]
    public void Learn_writes_a_bank_that_features_and_run_use_and_is_the_same_for_any_thread_count()
    {
        using var dir = TestPaths.NewTempDir();
        var (archive, config) = Setup(dir);
        var (exit, output, err) = CliHarness.Run("learn", archive, "--config", config, "--out", dir.File("l1"), "--epochs", "2", "--sample", "64",
            "--seed", "3", "--threads", "1");
        Assert.True(exit == 0, err);
        Assert.Contains("epoch 1/2 loss ", output);
        Assert.Contains("epoch 2/2 loss ", output);
        Assert.Contains("learned on 64 of ", output);
        // The archive's truth.csv scores the initial and the learned bank side by side, in the output and the page.
        Assert.Matches(@"initial bank against .*truth\.csv: adjusted Rand index [0-9.]+", output);
        Assert.Matches(@"learned bank against .*truth\.csv: adjusted Rand index [0-9.]+", output);
        Assert.Contains("<th>event classes recovered</th>", File.ReadAllText(Path.Combine(dir.File("l1"), "learn.html")));
        foreach (var name in new[] { "bank.h5", "wavelets.h5", "learn-state.h5", "loss.csv", "learn.html", "loss.png", "spectra_layer3.png" })
            Assert.True(File.Exists(Path.Combine(dir.File("l1"), name)), name);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(dir.File("l1"), "loss.csv")).Length);
        using (var w = H5File.OpenRead(Path.Combine(dir.File("l1"), "wavelets.h5")))
        {
            Assert.Equal(["epoch_000", "epoch_001", "epoch_002", "learning_rate", "loss", "refit_loss", "steps_loss"], w.ChildNames().Order());
            Assert.Equal([12L, w.OpenDataset("epoch_002/layer_1/times").Dims[0]], w.OpenDataset("epoch_002/layer_1/wavelets").Dims);
            // The wavelets moved: the learned values differ from the initial ones.
            Assert.NotEqual(w.ReadDataset<double>("epoch_000/layer_1/m"), w.ReadDataset<double>("epoch_002/layer_1/m"));
        }

        (exit, _, err) = CliHarness.Run("learn", archive, "--config", config, "--out", dir.File("l3"), "--epochs", "2", "--sample", "64", "--seed", "3",
            "--threads", "3");
        Assert.True(exit == 0, err);
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir.File("l1"), "bank.h5")), File.ReadAllBytes(Path.Combine(dir.File("l3"), "bank.h5")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir.File("l1"), "wavelets.h5")), File.ReadAllBytes(Path.Combine(dir.File("l3"), "wavelets.h5")));

        // The same command again finds its finished state and learns nothing more.
        (exit, output, err) = CliHarness.Run("learn", archive, "--config", config, "--out", dir.File("l1"), "--epochs", "2", "--sample", "64",
            "--seed", "3");
        Assert.True(exit == 0, err);
        Assert.Contains("resumed after epoch 2", output);
        Assert.DoesNotContain("epoch 1/2", output);

        var bank = Path.Combine(dir.File("l1"), "bank.h5");
        (exit, output, err) = CliHarness.Run("features", "--fftw", "estimate", archive, "--bank", bank, "--out", dir.File("f.h5"), "--step", "12.8s");
        Assert.True(exit == 0, err);
        using (var f = H5File.OpenRead(dir.File("f.h5")))
        {
            Assert.Contains("\"network\":\"paper\"", f.ReadStringAttribute("config"));
            Assert.Equal(3 * (12 + 12 * 6 + 12 * 6 * 2), f.OpenDataset("features").Dims[1]); // 3 components × 228 paths
            Assert.Equal([1, 2, 3], f.ReadDataset<int>("coefficients/order").Distinct().Order());
        }
        (exit, output, err) = CliHarness.Run("fit", dir.File("f.h5"), "--out", dir.File("m.h5"), "--clusters", "3");
        Assert.True(exit == 0, err);
        Assert.Contains("the paper network's features", output);

        (exit, output, err) = CliHarness.Run("run", archive, "--bank", bank, "--out", dir.File("run"), "--clusters", "3", "--fftw", "estimate");
        Assert.True(exit == 0, err);
        Assert.True(File.Exists(Path.Combine(dir.File("run"), "report", "index.html")), output);
        using (var f = H5File.OpenRead(Path.Combine(dir.File("run"), "features.h5")))
            Assert.Equal(PaperConfigOf(bank), f.ReadStringAttribute("config"));
    }

    [Fact]
    public void Learn_and_scatter_take_pre_cut_windows()
    {
        using var dir = TestPaths.NewTempDir();
        var rng = new Random(4);
        var x = Enumerable.Range(0, 24 * 2 * 256).Select(i => (float)(rng.NextDouble() - 0.5 + (i / 512 % 3 == 0 ? Math.Sin(i * 0.3) : 0))).ToArray();
        using (var f = H5File.Create(dir.File("w.h5")))
        {
            f.WriteDataset<float>("windows", x, [24, 2, 256]);
            f.WriteDataset<long>("labels", Enumerable.Range(0, 24).Select(i => (long)(i % 3 == 0 ? 1 : 0)).ToArray(), [24]);
            f.WriteDataset<long>("short_labels", new long[5], [5]);
        }
        File.WriteAllText(dir.File("paper.json"), SmallPaper);
        var (exit, output, err) = CliHarness.Run("learn", "--segments", dir.File("w.h5") + ":/windows", "--config", dir.File("paper.json"), "--out",
            dir.File("l"), "--epochs", "1", "--sample", "20", "--labels", dir.File("w.h5") + ":/labels");
        Assert.True(exit == 0, err);
        Assert.Contains("initial bank against " + dir.File("w.h5") + ":/labels: adjusted Rand index", output);
        Assert.Contains("learned on 20 of 24 windows × 456 features", output); // 2 channels × (12 + 72 + 144)
        (exit, _, err) = CliHarness.Run("scatter", "--segments", dir.File("w.h5") + ":/windows", "--bank", Path.Combine(dir.File("l"), "bank.h5"),
            "--out", dir.File("s.h5"));
        Assert.True(exit == 0, err);
        using var s = H5File.OpenRead(dir.File("s.h5"));
        Assert.Equal([24L, 2, 12, 6, 2], s.OpenDataset("output/layer3").Dims);
        Assert.Contains("\"m\":", s.ReadStringAttribute("config"));
        (exit, _, err) = CliHarness.Run("learn", "--segments", dir.File("w.h5") + ":/windows", "--out", dir.File("l2"));
        Assert.Equal(2, exit);
        Assert.Contains("carry no sampling rate", err);
        (exit, _, err) = CliHarness.Run("learn", "--segments", dir.File("w.h5") + ":/windows", "--config", dir.File("paper.json"), "--out",
            dir.File("l3"), "--labels", dir.File("w.h5") + ":/short_labels");
        Assert.Equal(2, exit);
        Assert.Contains("holds 5 labels for 24 windows", err);
    }

    [Fact]
    public void Bad_paper_requests_are_one_line_errors_naming_what_to_change()
    {
        using var dir = TestPaths.NewTempDir();
        var (archive, config) = Setup(dir);
        File.WriteAllText(dir.File("bad-bins.json"), SmallPaper.Replace("\"bins\": 256", "\"bins\": 300"));
        File.WriteAllText(dir.File("morlet.json"), File.ReadAllText(dir.File("cfg.json")));
        File.WriteAllText(dir.File("not-a-bank.h5"), "plain text");
        foreach (var (args, expected) in new (string[], string)[]
        {
            (["features", archive, "--bank", dir.File("missing.h5"), "--out", dir.File("f.h5")], "missing.h5: no such file"),
            (["features", archive, "--bank", dir.File("not-a-bank.h5"), "--out", dir.File("f.h5")], "is not HDF5"),
            (["features", archive, "--bank", dir.File("not-a-bank.h5"), "--config", config, "--out", dir.File("f.h5")], "--bank and --config"),
            (["learn", archive, "--config", dir.File("bad-bins.json"), "--out", dir.File("l")], "'bins' must be a power of two"),
            (["learn", archive, "--config", dir.File("morlet.json"), "--out", dir.File("l")], "not the paper network"),
            (["learn", archive, "--config", config, "--out", dir.File("l"), "--epochs", "0"], "--epochs 0"),
            (["learn", archive, "--config", config, "--out", dir.File("l"), "--sample", "1"], "--sample 1"),
            (["learn", archive, "--out", dir.File("l"), "--memory", "230m"], "raise --memory"),
        })
        {
            var (exit, _, err) = CliHarness.Run(args);
            Assert.True(exit == 2, $"{string.Join(' ', args)}: exit {exit}, {err}");
            Assert.Contains(expected, err);
            Assert.Single(err.Trim().Split('\n'));
        }
    }
}
