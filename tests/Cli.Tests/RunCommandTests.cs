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
        File.WriteAllText(dir.File("cfg.json"),
            """
                {"sampling_rate": 20, "bins": 400, "layers": [{"octaves": 5, "resolution": 2, "quality": 2},
                {"octaves": 5, "resolution": 1, "quality": 2}], "pooling": "median"}
                """);
        string[] Args(string k) => ["run", archive, "--config", dir.File("cfg.json"), "--fftw", "estimate", "--out", dir.File("out"), "--clusters", k,
            "--seed", "2", "--stability", "50,200"];

        var (exit, output, err) = CliHarness.Run(Args("4"));
        Assert.True(exit == 0, err);
        foreach (var f in new[] { "features.h5", "model.h5", "windows.parquet", "windows.csv", "run.json", "evaluation.json", "stability.json",
                     "report/index.html", "report/timeline.png", "report/hour_of_day.png", "report/projection.png", "report/spectra.png",
                         "report/centroids.png", "report/waveform_0.png", "report/scalogram_0.png" })
            Assert.True(File.Exists(Path.Combine(dir.File("out"), f)), f);
        Assert.Contains("adjusted Rand index", output);
        Assert.DoesNotContain("up to date", output);
        // The archive folder now holds nothing of ours, and the output folder is not read as an archive.
        var stamp = File.GetLastWriteTimeUtc(Path.Combine(dir.File("out"), "features.h5"));

        (exit, output, _) = CliHarness.Run(Args("4"));
        Assert.Equal(0, exit);
        // Every stage numbered, fit too (it has no progress line of its own).
        Assert.Contains("run 1/4 features: up to date", output);
        Assert.Contains("run 2/4 fit: up to date", output);
        Assert.Contains("run 3/4 predict: up to date", output);
        Assert.Contains("run 4/4 stability: up to date", output);
        Assert.Contains("Stability as the sample grows", File.ReadAllText(Path.Combine(dir.File("out"), "report", "index.html")));

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

    public static TheoryData<string> RealRecords() => new(
        "continuous/YH.DC06_2012-07-25T00_1h_50Hz_3C.h5", "continuous/BK.HELL_2014-08-24T1015_20min_40Hz_3C_Napa.h5",
        "continuous/IV.BOB_2011-03-11T0545_1h_20Hz_3C_Tohoku.h5", "continuous/TA.C26K_2018-08-12_24h_40Hz_BHZ.h5",
        "asdf/YH.DC06_2012-07-25T00_1h_50Hz_3C.asdf.h5", "asdf_native/noisepy_TA.K62A+K63A_2014-01-01_24h_1Hz_BHZ.asdf.h5",
        "asdf_native/noisepy_CI.BAK_2019-02-01_1h_20Hz_BHN.asdf.h5");

    [Theory]
    [MemberData(nameof(RealRecords))]
    public void Every_real_record_runs_through_the_pipeline(string record)
    {
        using var dir = TestPaths.NewTempDir();
        var (exit, output, err) = CliHarness.Run("run", TestPaths.Data(record), "--fftw", "estimate", "--clusters", "3", "--reduce", "pca:5", "--out",
            dir.File("out"));
        Assert.True(exit == 0, $"{record}: {err}");
        Assert.Contains("report:", output);
        // The auto recipe keeps seismic stations on the event contrasts (log is for DAS fibres).
        Assert.Contains("rows of event ", output); // "event features relative to …" or "event contrasts"
        var lines = File.ReadAllLines(Path.Combine(dir.File("out"), "windows.csv"));
        Assert.True(lines.Length > 10, $"{record}: {lines.Length - 1} windows");
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z,", lines[1]);
    }

    [Fact]
    public void Seiscat_outputs_beside_an_archive_are_not_read_as_waveforms()
    {
        using var dir = TestPaths.NewTempDir();
        var archive = dir.File("a");
        Assert.Equal(0, CliHarness.Run("synth", "--out", archive, "--hours", "0.5", "--rate", "20", "--stations", "1").Exit);
        File.WriteAllText(dir.File("cfg.json"),
            """{"sampling_rate": 20, "bins": 400, "layers": [{"octaves": 5, "resolution": 2, "quality": 2}], "pooling": "avg"}""");
        Assert.Equal(0, CliHarness.Run("features", "--fftw", "estimate", archive, "--config", dir.File("cfg.json"), "--out", Path.Combine(archive,
            "features.h5")).Exit);
        var (exit, output, err) = CliHarness.Run("inspect", archive);
        Assert.True(exit == 0, err);
        Assert.Contains("archive   1 file, layout", output);
    }
}
