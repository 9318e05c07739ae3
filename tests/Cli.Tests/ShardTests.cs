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
        var archive = dir.File("a");
        Assert.Equal(0, CliHarness.Run("synth", "--out", archive, "--hours", "1", "--rate", "20").Exit);
        File.WriteAllText(dir.File("cfg.json"), """{"sampling_rate": 20, "bins": 400, "layers": [{"octaves": 5, "resolution": 2, "quality": 2}, {"octaves": 5, "resolution": 1, "quality": 2}], "pooling": "median"}""");
        string[] Features(string output, params string[] extra) => ["features", archive, "--config", dir.File("cfg.json"), "--fftw", "estimate", "--step", "10s", "--out", output, .. extra];
        Assert.Equal(0, CliHarness.Run(Features(dir.File("single.h5"))).Exit);
        var parts = new List<string>();
        for (var i = 0; i < shards; i++)
        {
            var part = dir.File($"shard{i}.h5");
            var (exit, _, err) = CliHarness.Run(Features(part, "--shard", i.ToString(), "--num-shards", shards.ToString(), "--threads", (1 + i % 2).ToString()));
            Assert.True(exit == 0, err);
            parts.Add(part);
        }
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
}
