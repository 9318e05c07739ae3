using System.Diagnostics;
using System.Security.Cryptography;
using Seiscat.Tests.Shared;

namespace Seiscat.Cli.Tests;

/// <summary>
/// Scale-out on a real scheduler: a private Slurm (slurmctld + slurmd + munged on localhost, Debian's slurm-wlm) runs
/// docs/slurm/seiscat-archive.sbatch with the published binary — three feature tasks, a merge + fit + stability job,
/// three predict tasks and the final merge — and the merged features and predictions must be byte-identical to one
/// process. If the daemons cannot start, the test fails with the reason; it does not skip.
/// </summary>
[Collection("cli-native")]
public class SlurmTests
{
    [Fact]
    public void The_archive_sbatch_on_a_real_scheduler_gives_the_bytes_of_one_process()
    {
        var binary = Path.Combine(TestPaths.RepoRoot, "artifacts", "publish", "seiscat", "seiscat");
        Assert.True(File.Exists(binary), $"{binary} is missing: `./build.sh test` publishes it first (`./build.sh publish`)");
        using var dir = TestPaths.NewTempDir();
        var archive = dir.File("archive");
        var (exit, _, err) = CliHarness.Run("synth", "--out", archive, "--stations", "2", "--hours", "6", "--rate", "20", "--seed", "3");
        Assert.True(exit == 0, err);
        var slurm = dir.File("slurm");
        var outDir = dir.File("out");
        Directory.CreateDirectory(outDir);
        Directory.CreateDirectory(dir.File("home"));
        var local = Path.Combine(TestPaths.RepoRoot, "tests", "Cli.Tests", "Slurm", "local-slurm.sh");
        var env = new Dictionary<string, string>
        {
            ["SLURM_CONF"] = Path.Combine(slurm, "slurm.conf"),
            ["HOME"] = dir.File("home"),
            ["ARCHIVE"] = archive,
            ["OUT"] = outDir,
            ["SHARDS"] = "3",
            ["PREDICT_SHARDS"] = "3",
            ["SEISCAT"] = binary,
            ["CPUS"] = "1",
            ["TASK_MEM_GB"] = "2",
            ["FIT_MEM_GB"] = "3",
            ["FIT_SAMPLE"] = "100000",
            ["STABILITY_SAMPLES"] = "300,600",
            ["FFTW"] = "estimate",
            ["SEISCAT_VET"] = "off",
        };
        try
        {
            var (started, startLog) = CliHarness.Shell($"'{local}' start '{slurm}'", env);
            Assert.True(started == 0, "the local Slurm did not start: " + startLog);
            var sbatch = Path.Combine(TestPaths.RepoRoot, "docs", "slurm", "seiscat-archive.sbatch");
            var (submitted, submitLog) = CliHarness.Shell($"sbatch --parsable -o '{outDir}/submit-%j.out' '{sbatch}'", env, outDir);
            Assert.True(submitted == 0, "sbatch failed: " + submitLog);
            // The submit job queues the others with dependencies; wait until the queue is empty (or a dependency failed).
            var clock = Stopwatch.StartNew();
            string queue;
            do
            {
                Thread.Sleep(1000);
                queue = CliHarness.Shell("squeue -h -o '%i %j %T %r'", env).Output.Trim();
            } while (queue.Length > 0 && !queue.Contains("DependencyNeverSatisfied", StringComparison.Ordinal) && clock.Elapsed < TimeSpan.FromMinutes(10));
            string Logs() => string.Join("\n", Directory.GetFiles(outDir, "*.out").Order(StringComparer.Ordinal)
                .Select(f => Path.GetFileName(f) + ": " + string.Join(" | ", File.ReadAllLines(f).TakeLast(3))));
            Assert.True(queue.Length == 0, $"jobs left after {clock.Elapsed.TotalSeconds:0} s: {queue}\n{Logs()}");
            foreach (var name in new[] { "features.h5", "model.h5", "stability.json", "windows.h5", "windows.parquet", "windows.csv" })
                Assert.True(File.Exists(Path.Combine(outDir, name)), $"{name} missing after the Slurm run\n{Logs()}");
            Assert.Equal(3, Directory.GetFiles(Path.Combine(outDir, "shards"), "features-*.h5").Length);

            // One process, same binary: features, then predictions through the model the array fitted, from the same
            // features path (outputs record their input's path; the two features files are compared byte for byte).
            var single = dir.File("single");
            Directory.CreateDirectory(single);
            var (one, oneLog) = CliHarness.Shell($"'{binary}' features '{archive}' --window 40s --step 20s --fftw estimate --out '{single}/features.h5' && " +
                $"'{binary}' predict '{outDir}/model.h5' '{outDir}/features.h5' --out '{single}/windows.h5' --out '{single}/windows.parquet' " +
                $"--out '{single}/windows.csv'", env);
            Assert.True(one == 0, oneLog);
            foreach (var name in new[] { "features.h5", "windows.h5", "windows.parquet", "windows.csv" })
                Assert.True(SHA256.HashData(File.ReadAllBytes(Path.Combine(outDir, name))).AsSpan()
                    .SequenceEqual(SHA256.HashData(File.ReadAllBytes(Path.Combine(single, name)))), $"{name}: the Slurm run's bytes differ from one process's");
            TestPaths.Record("slurm", $"sbatch on a local Slurm (3 feature tasks, 3 predict tasks): {clock.Elapsed.TotalSeconds:0} s, " +
                "features, windows.h5/.parquet/.csv byte-identical to one process");
        }
        finally
        {
            CliHarness.Shell($"'{local}' stop '{slurm}'", env);
        }
    }
}
