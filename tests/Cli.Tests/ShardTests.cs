using Seiscat.Tests.Shared;

namespace Seiscat.Cli.Tests;

[Collection("cli-native")]
public class ShardTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(7)]
    public void Merged_shards_equal_the_single_process_output_byte_for_byte(int shards)
    {
        using var dir = TestPaths.NewTempDir();
        var archive = CliHarness.SyntheticArchive(dir, hours: 1);
        string[] Features(string output, params string[] extra) => ["features", archive, "--config", dir.File("cfg.json"), "--fftw", "estimate",
            "--step", "10s", "--out", output, .. extra];
        Assert.Equal(0, CliHarness.Run(Features(dir.File("single.h5"))).Exit);
        var parts = new List<string>();
        for (var i = 0; i < shards; i++)
        {
            var part = dir.File($"shard{i}.h5");
            var (exit, _, err) = CliHarness.Run(Features(part, "--shard", i.ToString(), "--num-shards", shards.ToString(), "--threads", (1 + i % 2).ToString(),
                "--checkpoint-windows", i % 2 == 0 ? "64" : "8192"));
            Assert.True(exit == 0, err);
            parts.Add(part);
        }
        Assert.Empty(Directory.GetDirectories(dir.Path, "*.parts-*")); // even shards were checkpointed in parts, then assembled
        parts.Reverse(); // order on the command line does not matter
        var (code, output, error) = CliHarness.Run(["merge", "--out", dir.File("merged.h5"), .. parts]);
        Assert.True(code == 0, error);
        Assert.Equal(File.ReadAllBytes(dir.File("single.h5")), File.ReadAllBytes(dir.File("merged.h5")));

        // A missing shard is refused, and nothing is written.
        (code, _, error) = CliHarness.Run(["merge", "--out", dir.File("bad.h5"), .. parts.Skip(1)]);
        Assert.Equal(2, code);
        Assert.Contains("shard", error);
        Assert.False(File.Exists(dir.File("bad.h5")));
    }

    [Fact]
    public void Predict_shards_of_a_slurm_array_merge_to_the_single_process_outputs()
    {
        using var dir = TestPaths.NewTempDir();
        var archive = CliHarness.SyntheticArchive(dir, hours: 1);
        Assert.Equal(0, CliHarness.Run("features", archive, "--config", dir.File("cfg.json"), "--fftw", "estimate", "--step", "2s", "--out",
            dir.File("f.h5")).Exit);
        Assert.Equal(0, CliHarness.Run("fit", dir.File("f.h5"), "--clusters", "3", "--out", dir.File("m.h5")).Exit);
        var (exit, _, err) = CliHarness.Run("predict", dir.File("m.h5"), dir.File("f.h5"), "--threads", "2", "--out", dir.File("single.h5"), "--out",
            dir.File("single.csv"), "--out", dir.File("single.parquet"));
        Assert.True(exit == 0, err);

        // An array --array=1-3 as Slurm starts it: the shard comes from the environment, counted from the array's minimum.
        var shards = new List<string>();
        for (var task = 1; task <= 3; task++)
        {
            var (code, stdout, stderr) = CliHarness.RunChild(["predict", dir.File("m.h5"), dir.File("f.h5"), "--threads", task.ToString(), "--out",
                dir.File($"labels.{task}.h5")],
                new Dictionary<string, string> { ["SLURM_ARRAY_TASK_ID"] = task.ToString(), ["SLURM_ARRAY_TASK_MIN"] = "1", ["SLURM_ARRAY_TASK_COUNT"] = "3" });
            Assert.True(code == 0, stderr);
            Assert.Contains($"shard {task - 1} of 3", stdout);
            shards.Add(dir.File($"labels.{task}.h5"));
        }
        (exit, _, err) = CliHarness.Run(["merge", .. shards, "--out", dir.File("merged.h5"), "--out", dir.File("merged.csv"), "--out",
            dir.File("merged.parquet")]);
        Assert.True(exit == 0, err);
        foreach (var ext in new[] { ".h5", ".csv", ".parquet" })
            Assert.True(File.ReadAllBytes(dir.File("single" + ext)).AsSpan().SequenceEqual(File.ReadAllBytes(dir.File("merged" + ext))), ext);

        // A shard may only be .h5; a features shard merges only into features.h5.
        (exit, _, err) = CliHarness.Run("predict", dir.File("m.h5"), dir.File("f.h5"), "--shard", "0", "--num-shards", "2", "--out", dir.File("s.csv"));
        Assert.Equal(2, exit);
        Assert.Contains("merge", err);
        (exit, _, err) = CliHarness.Run("predict", dir.File("m.h5"), dir.File("f.h5"), "--shard", "2", "--num-shards", "2", "--out", dir.File("s.h5"));
        Assert.Equal(2, exit);
        Assert.Contains("outside 0..1", err);
    }
}
