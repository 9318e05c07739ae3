using System.Text.Json;
using Seiscat.Tests.Shared;

namespace Seiscat.Cli.Tests;

[Collection("cli-native")]
public class EvaluateCommandTests
{
    [Fact]
    public void Every_prediction_format_scores_the_same_against_the_truth_intervals()
    {
        using var dir = TestPaths.NewTempDir();
        var archive = CliHarness.SyntheticArchive(dir, hours: 1);
        Assert.Equal(0, CliHarness.Run("features", archive, "--config", dir.File("cfg.json"), "--fftw", "estimate", "--out", dir.File("f.h5")).Exit);
        Assert.Equal(0, CliHarness.Run("fit", dir.File("f.h5"), "--clusters", "4", "--out", dir.File("m.h5")).Exit);
        Assert.Equal(0, CliHarness.Run("predict", dir.File("m.h5"), dir.File("f.h5"), "--out", dir.File("w.h5"), "--out", dir.File("w.csv"),
            "--out", dir.File("w.parquet")).Exit);
        var reports = new List<string>();
        foreach (var input in new[] { "w.h5", "w.csv", "w.parquet" })
        {
            var (exit, output, err) = CliHarness.Run("evaluate", dir.File(input), "--truth", Path.Combine(archive, "truth.csv"), "--json",
                dir.File(input + ".json"));
            Assert.True(exit == 0, err);
            Assert.Contains("adjusted Rand index", output);
            Assert.Contains("confusion", output);
            reports.Add(File.ReadAllText(dir.File(input + ".json")));
        }
        Assert.All(reports, r => Assert.Equal(reports[0], r));
        using var doc = JsonDocument.Parse(reports[0]);
        var root = doc.RootElement;
        Assert.Equal(root.GetProperty("windows").GetInt64(), root.GetProperty("classes").EnumerateArray().Sum(c => c.GetProperty("windows").GetInt64()));
        Assert.InRange(root.GetProperty("normalized_mutual_info").GetDouble(), 0, 1);
        Assert.Equal(root.GetProperty("confusion").GetProperty("classes").GetArrayLength(), root.GetProperty("classes").GetArrayLength());
    }

    [Fact]
    public void Labels_aligned_with_pre_cut_segments_score_the_segments()
    {
        using var dir = TestPaths.NewTempDir();
        var labelled = TestPaths.Data("labelled/ncedc_deepdenoiser_eq_vs_noise_100Hz_3C.h5");
        File.WriteAllText(dir.File("cfg.json"), """
            {"sampling_rate": 100, "bins": 2048, "layers": [{"octaves": 7, "resolution": 4, "quality": 2},
            {"octaves": 7, "resolution": 1, "quality": 2}], "pooling": "avg"}
            """);
        Assert.Equal(0, CliHarness.Run("scatter", "--segments", labelled + ":/waveforms", "--config", dir.File("cfg.json"), "--out", dir.File("s.h5")).Exit);
        Assert.Equal(0, CliHarness.Run("fit", dir.File("s.h5"), "--clusters", "2", "--out", dir.File("m.h5")).Exit);
        Assert.Equal(0, CliHarness.Run("predict", dir.File("m.h5"), dir.File("s.h5"), "--out", dir.File("w.h5")).Exit);
        var (exit, output, err) = CliHarness.Run("evaluate", dir.File("w.h5"), "--labels", labelled + ":/labels");
        Assert.True(exit == 0, err);
        Assert.Contains("earthquake", output); // label_names names the classes
        Assert.Contains("198 windows", output);
        // Labels that do not line up with the rows are refused in one line.
        (exit, _, err) = CliHarness.Run("evaluate", dir.File("w.h5"), "--labels", labelled + ":/p_index");
        Assert.Equal(0, exit); // integers without names are classes too
        (exit, _, err) = CliHarness.Run("evaluate", dir.File("w.h5"), "--labels", labelled + ":/waveforms");
        Assert.Equal(2, exit);
        Assert.Contains("3-D", err);
        (exit, _, err) = CliHarness.Run("evaluate", dir.File("w.h5"));
        Assert.Equal(2, exit);
        Assert.Contains("--truth", err);
    }
}
