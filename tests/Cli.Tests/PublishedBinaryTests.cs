using System.Security.Cryptography;
using Seiscat.Tests.Shared;

namespace Seiscat.Cli.Tests;

/// <summary>
/// The binary `./build.sh publish` makes (self-contained, what Slurm array tasks run on compute nodes) works with no
/// .NET on PATH and no DOTNET_ROOT, and gives the same bytes as the JIT build the other tests run.
/// </summary>
[Collection("cli-native")]
public class PublishedBinaryTests
{
    [Fact]
    public void The_published_binary_runs_without_a_dotnet_installation_and_gives_the_same_features()
    {
        var binary = Path.Combine(TestPaths.RepoRoot, "artifacts", "publish", "seiscat", "seiscat");
        Assert.True(File.Exists(binary), $"{binary} is missing: `./build.sh test` publishes it first (`./build.sh publish`)");
        using var dir = TestPaths.NewTempDir();
        var archive = CliHarness.SyntheticArchive(dir, hours: 1, stations: 1);
        Directory.CreateDirectory(dir.File("home"));
        // An empty environment but PATH (pointing nowhere) and HOME: no dotnet, no DOTNET_ROOT.
        var (exit0, log) = CliHarness.Shell($"env -i PATH='{dir.File("no-such-bin")}' HOME='{dir.File("home")}' '{binary}' features '{archive}' " +
            $"--config '{dir.File("cfg.json")}' --fftw estimate --out '{dir.File("published.h5")}'", new Dictionary<string, string>());
        Assert.True(exit0 == 0, log);
        // The JIT build as a child with the same environment (FFTW wisdom lives under HOME and is process-wide).
        var (exit, _, jitErr) = CliHarness.RunChild(["features", archive, "--config", dir.File("cfg.json"), "--fftw", "estimate", "--out",
            dir.File("jit.h5")], new Dictionary<string, string> { ["HOME"] = dir.File("home") });
        Assert.True(exit == 0, jitErr);
        Assert.Equal(SHA256.HashData(File.ReadAllBytes(dir.File("jit.h5"))), SHA256.HashData(File.ReadAllBytes(dir.File("published.h5"))));
    }
}
