using Seiscat.Tests.Shared;

namespace Seiscat.Cli.Tests;

[Collection("cli-native")]
public class RunCommandTests
{
    [Fact]
    public void Run_makes_every_output_skips_up_to_date_stages_and_reruns_what_changed()
    {
        using var dir = TestPaths.NewTempDir();
        var archive = dir.File("archive");
        Assert.Equal(0, CliHarness.Run("synth", "--out", archive, "--hours", "2", "--rate", "20").Exit);
        File.WriteAllText(dir.File("cfg.json"), """{"sampling_rate": 20, "bins": 400, "layers": [{"octaves": 5, "resolution": 2, "quality": 2}, {"octaves": 5, "resolution": 1, "quality": 2}], "pooling": "median"}""");
        string[] Args(string k) => ["run", archive, "--config", dir.File("cfg.json"), "--fftw", "estimate", "--out", dir.File("out"), "--clusters", k, "--seed", "2"];

        var (exit, output, err) = CliHarness.Run(Args("4"));
        Assert.True(exit == 0, err);
        foreach (var f in new[] { "features.h5", "model.h5", "windows.parquet", "windows.csv", "run.json", "evaluation.json" })
            Assert.True(File.Exists(Path.Combine(dir.File("out"), f)), f);
        Assert.Contains("adjusted Rand index", output);
        Assert.DoesNotContain("up to date", output);
        // The archive folder now holds nothing of ours, and the output folder is not read as an archive.
        var stamp = File.GetLastWriteTimeUtc(Path.Combine(dir.File("out"), "features.h5"));

        (exit, output, _) = CliHarness.Run(Args("4"));
        Assert.Equal(0, exit);
        Assert.Contains("features: up to date", output);
        Assert.Contains("fit: up to date", output);
        Assert.Contains("predict: up to date", output);

        (exit, output, _) = CliHarness.Run(Args("3"));
        Assert.Equal(0, exit);
        Assert.Contains("features: up to date", output);
        Assert.Contains("3 clusters", output);
        Assert.DoesNotContain("predict: up to date", output);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(Path.Combine(dir.File("out"), "features.h5")));

        // A changed configuration reruns everything.
        File.WriteAllText(dir.File("cfg.json"), File.ReadAllText(dir.File("cfg.json")).Replace("median", "avg"));
        (exit, output, _) = CliHarness.Run(Args("3"));
        Assert.Equal(0, exit);
        Assert.DoesNotContain("up to date", output);
    }

    [Fact]
    public void Seiscat_outputs_beside_an_archive_are_not_read_as_waveforms()
    {
        using var dir = TestPaths.NewTempDir();
        var archive = dir.File("a");
        Assert.Equal(0, CliHarness.Run("synth", "--out", archive, "--hours", "0.5", "--rate", "20", "--stations", "1").Exit);
        File.WriteAllText(dir.File("cfg.json"), """{"sampling_rate": 20, "bins": 400, "layers": [{"octaves": 5, "resolution": 2, "quality": 2}], "pooling": "avg"}""");
        Assert.Equal(0, CliHarness.Run("features", "--fftw", "estimate", archive, "--config", dir.File("cfg.json"), "--out", Path.Combine(archive, "features.h5")).Exit);
        var (exit, output, err) = CliHarness.Run("inspect", archive);
        Assert.True(exit == 0, err);
        Assert.Contains("1 file(s)", output);
    }
}
