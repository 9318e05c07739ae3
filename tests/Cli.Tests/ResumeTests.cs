using System.Diagnostics;
using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Writers;
using Seiscat.Tests.Shared;

namespace Seiscat.Cli.Tests;

[Collection("cli-native")]
public class ResumeTests
{
    /// <summary>
    /// Starts the CLI as a child process once per kill point and SIGKILLs it as soon as the point is reached (polled
    /// every 10 ms): points are states on disk (parts committed, a stage's output present), not delays, so they land
    /// where intended on a loaded machine too. Returns how many runs were killed (a run that finishes first is not).
    /// </summary>
    private static int KillAtSeveralPoints(string[] args, IEnumerable<(string What, Func<bool> Reached)> points, string? finalPath)
    {
        var cli = typeof(Program).Assembly.Location;
        var kills = 0;
        foreach (var (what, reached) in points)
        {
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            info.ArgumentList.Add(cli);
            foreach (var a in args) info.ArgumentList.Add(a);
            using var child = Process.Start(info)!;
            _ = child.StandardOutput.ReadToEndAsync();
            _ = child.StandardError.ReadToEndAsync();
            var clock = Stopwatch.StartNew();
            while (!child.HasExited && !reached())
            {
                Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), $"kill point '{what}' never reached");
                Thread.Sleep(10);
            }
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true); // SIGKILL: no cleanup runs
                child.WaitForExit();
                kills++;
                Assert.False(finalPath is not null && File.Exists(finalPath), $"a run killed at '{what}' left {finalPath} behind");
            }
        }
        return kills;
    }

    private static Func<bool> Parts(string dir, string output, int atLeast) =>
        () => Directory.Exists(dir) && Directory.GetDirectories(dir, output + ".parts-*").Sum(d => Directory.GetFiles(d, "part-*").Length) >= atLeast;

    private static Func<bool> After(int milliseconds)
    {
        var clock = Stopwatch.StartNew();
        return () => clock.ElapsedMilliseconds >= milliseconds;
    }

    /// <summary>A features.h5 big enough that predict takes seconds: 300 000 windows of 24 features, two stations.</summary>
    private static string BigFeatures(Seiscat.Tests.Shared.TestPaths.TempDir dir)
    {
        const int rows = 300_000, d = 24;
        var rng = new Random(3);
        var x = new float[rows * d];
        for (var i = 0; i < x.Length; i++) x[i] = (float)Math.Exp(rng.NextDouble() * 3 + (i / d / 5000 % 3));
        var columns = new FeatureColumns(new int[d], new int[d], Enumerable.Range(0, d).ToArray(), Enumerable.Repeat(-1, d).ToArray(),
            Enumerable.Range(0, d).Select(j => 1.0 + j).ToArray(), Enumerable.Repeat(double.NaN, d).ToArray(), Enumerable.Repeat(-1, d).ToArray());
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
        // 10 parts of 30 000 windows: killed while starting, after the 1st, 4th and 7th parts, and once all are done
        // (while they are assembled into the outputs, unless that wins the race).
        var kills = KillAtSeveralPoints(Args("killed"),
            [("start", After(150)), ("1 part", Parts(dir.Path, "killed.h5", 1)), ("4 parts", Parts(dir.Path, "killed.h5", 4)),
             ("7 parts", Parts(dir.Path, "killed.h5", 7)), ("all parts", Parts(dir.Path, "killed.h5", 10))], dir.File("killed.csv"));
        Assert.True(kills >= 4, $"only {kills} runs were killed before finishing: make the input bigger");
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
        // Killed in each stage: during features (after 1 and 3 parts), during fit or predict (features.h5 in place),
        // during predict (model.h5 in place).
        var killed = dir.File("killed");
        var kills = KillAtSeveralPoints(Args(killed),
            [("features, 1 part", Parts(killed, "features.h5", 1)), ("features, 3 parts", Parts(killed, "features.h5", 3)),
             ("after features", () => File.Exists(Path.Combine(killed, "features.h5"))), ("after fit", () => File.Exists(Path.Combine(killed,
                 "model.h5")))], null);
        Assert.True(kills >= 3, $"only {kills} runs were killed before finishing: make the archive longer");
        (exit, _, err) = CliHarness.Run(Args(dir.File("killed")));
        Assert.True(exit == 0, err);
        foreach (var name in new[] { "features.h5", "model.h5", "windows.parquet", "windows.csv" })
            Assert.True(File.ReadAllBytes(Path.Combine(dir.File("full"),
                name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(dir.File("killed"), name))), name);
        Assert.Empty(Directory.GetDirectories(dir.File("killed"), "*.parts-*"));
        Assert.Empty(Directory.GetFiles(dir.File("killed"), ".*tmp-*")); // killed runs' temporaries are swept by the rerun
    }

    [Fact]
    public void Features_killed_at_several_points_resume_to_the_bytes_of_an_uninterrupted_run()
    {
        using var dir = TestPaths.NewTempDir();
        var archive = CliHarness.SyntheticArchive(dir, hours: 4);
        string[] Args(string output) => ["features", archive, "--config", dir.File("cfg.json"), "--fftw", "estimate", "--step", "5s", "--threads", "1",
            "--checkpoint-windows", "256", "--out", output];
        var (exit, _, err) = CliHarness.Run(Args(dir.File("full.h5")));
        Assert.True(exit == 0, err);

        var kills = KillAtSeveralPoints(Args(dir.File("killed.h5")),
            [("start", After(300)), ("1 part", Parts(dir.Path, "killed.h5", 1)), ("3 parts", Parts(dir.Path, "killed.h5", 3)), ("6 parts",
                Parts(dir.Path, "killed.h5", 6))],
            dir.File("killed.h5"));
        Assert.True(kills >= 3, $"only {kills} runs were killed before finishing: make the archive longer");
        var (code, output, error) = CliHarness.Run(Args(dir.File("killed.h5")));
        Assert.True(code == 0, error);
        Assert.Equal(File.ReadAllBytes(dir.File("full.h5")), File.ReadAllBytes(dir.File("killed.h5")));
        Assert.Empty(Directory.GetDirectories(dir.Path, "killed.h5.parts-*"));
    }
}
