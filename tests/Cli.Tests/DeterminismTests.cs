using Seiscat.Tests.Shared;

namespace Seiscat.Cli.Tests;

/// <summary>
/// The whole pipeline (features, fit, predict) gives the same bytes on 1, 2 and 5 threads. Each run is a child process
/// with DOTNET_PROCESSOR_COUNT set, so the parallel loops of fitting (which use every core) change width too.
/// </summary>
[Collection("cli-native")]
public class DeterminismTests
{
    [Fact]
    public void Run_outputs_are_identical_for_1_2_and_5_threads()
    {
        using var dir = TestPaths.NewTempDir();
        var archive = CliHarness.SyntheticArchive(dir, hours: 2, stations: 3);
        string[] outputs = ["features.h5", "model.h5", "windows.parquet", "windows.csv"];
        foreach (var threads in new[] { 1, 2, 5 })
        {
            var (exit, _, stderr) = CliHarness.RunChild(["run", archive, "--config", dir.File("cfg.json"), "--fftw", "estimate", "--step", "5s",
                "--threads", threads.ToString(),
                "--clusters", "auto:2-5", "--checkpoint-windows", "256", "--out", dir.File("out")], new Dictionary<string,
                    string>
                { ["DOTNET_PROCESSOR_COUNT"] = threads.ToString() });
            Assert.True(exit == 0, stderr);
            // Same folder for every run (model.h5 records its features' path); each result is moved aside.
            Directory.Move(dir.File("out"), dir.File($"t{threads}"));
        }
        foreach (var name in outputs)
        {
            var reference = File.ReadAllBytes(Path.Combine(dir.File("t1"), name));
            foreach (var threads in new[] { 2, 5 })
                Assert.True(reference.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(dir.File($"t{threads}"), name))),
                    $"{name}: 1 vs {threads} threads");
        }
    }
}
