using System.Diagnostics;
using Seiscat.Tests.Shared;

namespace Seiscat.Cli.Tests;

[Collection("cli-native")]
public class ResumeTests
{
    [Fact]
    public void Features_killed_at_several_points_resume_to_the_bytes_of_an_uninterrupted_run()
    {
        using var dir = TestPaths.NewTempDir();
        var archive = dir.File("a");
        Assert.Equal(0, CliHarness.Run("synth", "--out", archive, "--hours", "4", "--rate", "20").Exit);
        File.WriteAllText(dir.File("cfg.json"), """{"sampling_rate": 20, "bins": 400, "layers": [{"octaves": 5, "resolution": 2, "quality": 2}, {"octaves": 5, "resolution": 1, "quality": 2}], "pooling": "median"}""");
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
