using Seiscat.Tests.Shared;

namespace Seiscat.Cli.Tests;

/// <summary>
/// A DAS acquisition end to end (issue 15): `synth --das` writes PRODML files with truth, `run` clusters every channel
/// (one row per channel and window), the window table carries channel index and distance along the fibre (also through
/// prediction shards and `merge`), and the report draws clusters along the fibre and a record section per cluster.
/// </summary>
[Collection("cli-native")]
public class DasRunTests
{
    [Fact]
    public void Synth_das_runs_end_to_end_with_fibre_positions_in_the_window_table_and_fibre_figures_in_the_report()
    {
        using var dir = TestPaths.NewTempDir();
        var archive = dir.File("das");
        var (exit, output, err) = CliHarness.Run("synth", "--das", "--channels", "60", "--rate", "200", "--hours", "0.06666666666666667", "--event-rate", "3",
            "--out", archive);
        Assert.True(exit == 0, err);
        Assert.Contains("wrote 4 files", output);
        // inspect: the acquisition as one fibre, not 60 channel blocks.
        (exit, output, err) = CliHarness.Run("inspect", archive);
        Assert.True(exit == 0, err);
        Assert.Contains("fibre     60 channels, loci 0..59, spacing 4 m, gauge length 10 m, 236 m of fibre", output);
        Assert.Contains("samples   200 Hz, i2, time × channel, contiguous", output);
        Assert.Contains("no gaps or overlaps between files", output);
        Assert.DoesNotContain("DAS.00001", output);
        var run = dir.File("run");
        (exit, output, err) = CliHarness.Run("run", archive, "--window", "4", "--fftw", "estimate", "--out", run);
        Assert.True(exit == 0, err);
        // The truth beside the archive is scored: vehicles and events are among its classes. The auto recipe fits DAS on log
        // features (levels compare along one fibre), so the dead channel and the noisy section are clusters of their own.
        Assert.Contains("evaluate: against", output);
        Assert.Contains("vehicle", output);
        Assert.Contains("rows of log features", output);
        Assert.Matches(@"dead\s+\d+ windows, 100 % in cluster\s+\d+ \(100 % of it\)\s+recovered", output);
        Assert.Matches(@"noisy\s+\d+ windows, 100 % in cluster\s+\d+ \(100 % of it\)\s+recovered", output);

        var lines = File.ReadAllLines(Path.Combine(run, "windows.csv"));
        Assert.Contains(",gap_fraction,channel_index,fibre_distance_m", lines[0]); // a cluster tree appends leaf,top_cluster
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(60 * (240 / 2 - 1), rows.Count); // 4 s windows every 2 s over 4 minutes, 60 channels
        Assert.All(rows, f =>
        {
            Assert.Equal($"DAS.{int.Parse(f[8]):00000}", f[2]);
            Assert.Equal(4.0 * int.Parse(f[8]), double.Parse(f[9], System.Globalization.CultureInfo.InvariantCulture));
        });
        // Rows run time by time: the first 60 are every channel's first window.
        Assert.Equal(60, rows.Take(60).Select(f => f[2]).Distinct().Count());
        Assert.Single(rows.Take(60).Select(f => f[0]).Distinct());

        var report = Path.Combine(run, "report");
        Assert.True(File.Exists(Path.Combine(report, "fibre_time.png")));
        Assert.True(File.Exists(Path.Combine(report, "section_0.png")));
        var html = File.ReadAllText(Path.Combine(report, "index.html"));
        Assert.Contains("fibre_time.png", html);
        Assert.DoesNotContain("stations_time.png", html); // the per-station image gives way to the fibre image

        // Prediction shards keep the fibre columns through merge: the merged table equals the run's.
        var features = Path.Combine(run, "features.h5");
        var model = Path.Combine(run, "model.h5");
        for (var i = 0; i < 2; i++)
        {
            (exit, _, err) = CliHarness.Run("predict", model, features, "--out", dir.File($"p{i}.h5"), "--shard", $"{i}", "--num-shards", "2");
            Assert.True(exit == 0, err);
        }
        (exit, _, err) = CliHarness.Run("merge", dir.File("p0.h5"), dir.File("p1.h5"), "--out", dir.File("merged.csv"));
        Assert.True(exit == 0, err);
        Assert.Equal(lines, File.ReadAllLines(dir.File("merged.csv")));
    }
}
