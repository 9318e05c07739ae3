using Parquet.Serialization;
using Seiscat.Tests.Shared;

namespace Seiscat.Cli.Tests;

[Collection("cli-native")]
public class ParquetOutputTests
{
    // Property names are the file's column names.
#pragma warning disable IDE1006
    public sealed class Row
    {
        public string window_start { get; set; } = "";
        public string window_end { get; set; } = "";
        public long window_start_ns { get; set; }
        public string station { get; set; } = "";
        public int cluster { get; set; }
        public double probability { get; set; }
        public double log_likelihood { get; set; }
        public double distance { get; set; }
        public float gap_fraction { get; set; }
    }
#pragma warning restore IDE1006

    [Fact]
    public async Task Predict_writes_parquet_with_the_documented_columns_matching_the_csv()
    {
        using var dir = TestPaths.NewTempDir();
        Assert.Equal(0, CliHarness.Run("synth", "--out", dir.File("a"), "--hours", "1", "--rate", "20", "--stations", "1").Exit);
        File.WriteAllText(dir.File("cfg.json"),
            """
                {"sampling_rate": 20, "bins": 400, "layers": [{"octaves": 5, "resolution": 2, "quality": 2},
                {"octaves": 5, "resolution": 1, "quality": 2}], "pooling": "avg"}
                """);
        Assert.Equal(0, CliHarness.Run("features", "--fftw", "estimate", dir.File("a"), "--config", dir.File("cfg.json"), "--out", dir.File("f.h5")).Exit);
        Assert.Equal(0, CliHarness.Run("fit", dir.File("f.h5"), "--out", dir.File("m.h5"), "--clusters", "3").Exit);
        Assert.Equal(0, CliHarness.Run("predict", dir.File("m.h5"), dir.File("f.h5"), "--out", dir.File("w.parquet")).Exit);
        Assert.Equal(0, CliHarness.Run("predict", dir.File("m.h5"), dir.File("f.h5"), "--out", dir.File("w.csv")).Exit);
        var rows = (await ParquetSerializer.DeserializeAsync<Row>(dir.File("w.parquet"))).Data;
        var csv = File.ReadAllLines(dir.File("w.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(csv.Count, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(csv[i][0], rows[i].window_start);
            Assert.Equal(csv[i][1], rows[i].window_end);
            Assert.Equal(csv[i][2], rows[i].station);
            Assert.Equal(int.Parse(csv[i][3]), rows[i].cluster);
            Assert.InRange(rows[i].probability, 0, 1);
        }
    }
}
