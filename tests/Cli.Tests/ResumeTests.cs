using System.Diagnostics;
using Seiscat.Engine.Io.Writers;
using Seiscat.Tests.Shared;

namespace Seiscat.Cli.Tests;

[Collection("cli-native")]
public class ResumeTests
{
    /// <summary>Starts the CLI as a child process and SIGKILLs it after each delay; returns how many runs were killed.</summary>
    private static int KillAtSeveralPoints(string[] args, IEnumerable<int> delays, string? finalPath)
    {
        var cli = typeof(Program).Assembly.Location;
        var kills = 0;
        foreach (var delay in delays)
        {
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            info.ArgumentList.Add(cli);
            foreach (var a in args) info.ArgumentList.Add(a);
            using var child = Process.Start(info)!;
            if (!child.WaitForExit(delay))
            {
                child.Kill(entireProcessTree: true); // SIGKILL: no cleanup runs
                child.WaitForExit();
                kills++;
                Assert.False(finalPath is not null && File.Exists(finalPath), $"a run killed after {delay} ms left {finalPath} behind");
            }
        }
        return kills;
    }

    /// <summary>A features.h5 big enough that predict takes seconds: 300 000 windows of 24 features, two stations.</summary>
    private static string BigFeatures(Seiscat.Tests.Shared.TestPaths.TempDir dir)
    {
        const int rows = 300_000, d = 24;
        var rng = new Random(3);
        var x = new float[rows * d];
        for (var i = 0; i < x.Length; i++) x[i] = (float)Math.Exp(rng.NextDouble() * 3 + (i / d / 5000 % 3));
        var columns = new FeatureColumns(new int[d], new int[d], Enumerable.Range(0, d).ToArray(), Enumerable.Repeat(-1, d).ToArray(),
            Enumerable.Range(0, d).Select(j => 1.0 + j).ToArray(), Enumerable.Repeat(double.NaN, d).ToArray());
        var path = dir.File("big.h5");
        using var w = new FeaturesWriter(path, columns, ["XX.A", "XX.B"], "{}", 20_000_000_000L, 10_000_000_000L);
        w.Append(x, Enumerable.Range(0, rows).Select(i => 1_700_000_000_000_000_000L + i / 2 * 10_000_000_000L).ToArray(),
            Enumerable.Range(0, rows).Select(i => i % 2).ToArray(), new float[rows]);
        w.Complete();
        return path;
    }

    [Fact]
    public void Predict_killed_at_several_points_resumes_to_the_bytes_of_an_uninterrupted_run()
    {
        using var dir = TestPaths.NewTempDir();
        var features = BigFeatures(dir);
        Assert.Equal(0, CliHarness.Run("fit", features, "--out", dir.File("m.h5"), "--sample", "4000", "--clusters", "3").Exit);
        string[] Args(string name) => ["predict", dir.File("m.h5"), features, "--threads", "1", "--checkpoint-windows", "30000",
            "--out", dir.File(name + ".h5"), "--out", dir.File(name + ".csv"), "--out", dir.File(name + ".parquet")];
        var (exit, _, err) = CliHarness.Run(Args("full"));
        Assert.True(exit == 0, err);
        var kills = KillAtSeveralPoints(Args("killed"), [700, 1300, 2000, 2800], dir.File("killed.csv"));
        Assert.True(kills > 0, "every run finished before its kill: make the input bigger");
        Assert.Single(Directory.GetDirectories(dir.Path, "killed.h5.parts-*")); // the kills left finished parts to resume from
        (exit, _, err) = CliHarness.Run(Args("killed"));
        Assert.True(exit == 0, err);
        foreach (var ext in new[] { ".h5", ".csv", ".parquet" })
            Assert.True(File.ReadAllBytes(dir.File("full" + ext)).AsSpan().SequenceEqual(File.ReadAllBytes(dir.File("killed" + ext))), ext);
        Assert.Empty(Directory.GetDirectories(dir.Path, "killed.h5.parts-*"));
        Assert.Empty(Directory.GetFiles(dir.Path, ".*tmp-*"));
    }

    [Fact]
    public void Run_killed_at_several_points_resumes_to_the_bytes_of_an_uninterrupted_run()
    {
        using var dir = TestPaths.NewTempDir();
        var archive = CliHarness.SyntheticArchive(dir, hours: 3);
        string[] Args(string output) => ["run", archive, "--config", dir.File("cfg.json"), "--fftw", "estimate", "--step", "5s", "--threads", "2",
            "--checkpoint-windows", "128", "--clusters", "4", "--out", output];
        // Both runs write to the same folder (model.h5 records its features' path): the reference is moved aside.
        var (exit, _, err) = CliHarness.Run(Args(dir.File("killed")));
        Assert.True(exit == 0, err);
        Directory.Move(dir.File("killed"), dir.File("full"));
        var kills = KillAtSeveralPoints(Args(dir.File("killed")), [900, 1700, 2600, 3600, 4800], null); // later stages may be killed after earlier outputs are complete
        Assert.True(kills > 0, "every run finished before its kill: make the archive longer");
        (exit, _, err) = CliHarness.Run(Args(dir.File("killed")));
        Assert.True(exit == 0, err);
        foreach (var name in new[] { "features.h5", "model.h5", "windows.parquet", "windows.csv" })
            Assert.True(File.ReadAllBytes(Path.Combine(dir.File("full"), name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(dir.File("killed"), name))), name);
        Assert.Empty(Directory.GetDirectories(dir.File("killed"), "*.parts-*"));
        Assert.Empty(Directory.GetFiles(dir.File("killed"), ".*tmp-*")); // killed runs' temporaries are swept by the rerun
    }

    [Fact]
    public void Features_killed_at_several_points_resume_to_the_bytes_of_an_uninterrupted_run()
    {
        using var dir = TestPaths.NewTempDir();
        var archive = CliHarness.SyntheticArchive(dir, hours: 4);
        string[] Args(string output) => ["features", archive, "--config", dir.File("cfg.json"), "--fftw", "estimate", "--step", "5s", "--threads", "1", "--checkpoint-windows", "256", "--out", output];
        var (exit, _, err) = CliHarness.Run(Args(dir.File("full.h5")));
        Assert.True(exit == 0, err);

        var cli = typeof(Program).Assembly.Location;
        var kills = 0;
        foreach (var delay in new[] { 900, 1400, 1900 })
        {
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            info.ArgumentList.Add(cli);
            foreach (var a in Args(dir.File("killed.h5"))) info.ArgumentList.Add(a);
            using var child = Process.Start(info)!;
            Thread.Sleep(delay);
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true); // SIGKILL: no cleanup runs
                kills++;
            }
            child.WaitForExit();
            Assert.False(File.Exists(dir.File("killed.h5")) && kills > 0 && !child.HasExited, "a killed run must not leave the final file");
        }
        Assert.True(kills > 0, "the runs finished before any kill: make the archive longer");
        var (code, output, error) = CliHarness.Run(Args(dir.File("killed.h5")));
        Assert.True(code == 0, error);
        Assert.Equal(File.ReadAllBytes(dir.File("full.h5")), File.ReadAllBytes(dir.File("killed.h5")));
        Assert.Empty(Directory.GetDirectories(dir.Path, "killed.h5.parts-*"));
    }
}
