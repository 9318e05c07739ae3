using System.Text.Json;
using Seiscat.Tests.Shared;

namespace Seiscat.Cli.Tests;

[Collection("cli-native")]
public class ArchiveCommandsTests
{
    [Fact]
    public void A_folder_of_symbolic_links_reads_as_its_targets()
    {
        // A link's own length is that of its target's name: the storage layer once refused linked files as truncated.
        using var dir = TestPaths.NewTempDir();
        var archive = CliHarness.SyntheticArchive(dir, hours: 1);
        Directory.CreateDirectory(dir.File("links"));
        foreach (var file in Directory.GetFiles(archive, "*.h5"))
            File.CreateSymbolicLink(Path.Combine(dir.File("links"), Path.GetFileName(file)), file);
        foreach (var (input, output) in new[] { (archive, "direct.h5"), (dir.File("links"), "linked.h5") })
        {
            var (exit, _, err) = CliHarness.Run("features", "--fftw", "estimate", input, "--config", dir.File("cfg.json"), "--out", dir.File(output));
            Assert.True(exit == 0, err);
        }
        // (the files differ only in the input paths they record)
        using var direct = Seiscat.Native.Hdf5.H5File.OpenRead(dir.File("direct.h5"));
        using var linked = Seiscat.Native.Hdf5.H5File.OpenRead(dir.File("linked.h5"));
        Assert.Equal(direct.ReadDataset<float>("features"), linked.ReadDataset<float>("features"));
        Assert.True(direct.OpenDataset("features").Dims[0] > 100);
    }

    [Fact]
    public void Synth_then_inspect_reports_stations_gaps_and_windows()
    {
        using var dir = TestPaths.NewTempDir();
        var (exit, output, err) = CliHarness.Run("synth", "--out", dir.Path, "--stations", "2", "--hours", "1", "--rate", "20");
        Assert.True(exit == 0, err);
        Assert.Contains("truth.csv", output);
        (exit, output, err) = CliHarness.Run("inspect", dir.Path, "--window", "40s", "--step", "20s");
        Assert.True(exit == 0, err);
        Assert.Contains("SC.ST01.00.BH?", output);
        Assert.Contains("gap of", output);
        Assert.Contains("shuffle+deflate3+fletcher32", output);

        (exit, output, _) = CliHarness.Run("inspect", dir.Path, "--json");
        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        var stations = json.RootElement.GetProperty("stations");
        Assert.Equal(2, stations.GetArrayLength());
        // 1 h at a 20 s step: 179 windows without the gap; ST01 loses the windows that touch its 3-minute gap.
        Assert.Equal(179, stations[1].GetProperty("windows").GetInt64());
        Assert.True(stations[0].GetProperty("windows").GetInt64() < 179);
    }

    [Fact]
    public void Inspect_reads_every_real_record()
    {
        var (exit, output, err) = CliHarness.Run("inspect", TestPaths.Data("continuous"), TestPaths.Data("asdf"), TestPaths.Data("asdf_native"));
        Assert.True(exit == 0, err);
        Assert.Contains("YH.DC06..BH?", output);
        Assert.Contains("TA.K62A..BHZ", output);
        Assert.Contains("IV.BOB..BH?", output);
    }

    public static TheoryData<string, string[], string> BadInputs()
    {
        var data = new TheoryData<string, string[], string>();
        data.Add("missing path", ["inspect", "/no/such/archive.h5"], "/no/such/archive.h5");
        data.Add("impossible window", ["inspect", TestPaths.Data("continuous/YH.DC06_2012-07-25T00_1h_50Hz_3C.h5"), "--window", "-3s"], "--window");
        data.Add("unknown tag", ["inspect", TestPaths.Data("asdf/YH.DC06_2012-07-25T00_1h_50Hz_3C.asdf.h5"), "--tag", "processed"], "processed");
        data.Add("dataset missing", ["inspect", TestPaths.Data("continuous/YH.DC06_2012-07-25T00_1h_50Hz_3C.h5"), "--layout", "generic", "--dataset",
            "/nope/*"], "/nope/*");
        data.Add("bad synth rate", ["synth", "--out", "/tmp", "--rate", "0"], "--rate");
        return data;
    }

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Bad_input_is_one_line_exit_2_naming_the_culprit(string why, string[] args, string named)
    {
        var (exit, _, err) = CliHarness.Run(args);
        Assert.True(exit == 2, $"{why}: exit {exit}, {err}");
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("seiscat: error: ", lines[0]);
        Assert.Contains(named, lines[0]);
    }

    [Fact]
    public void Not_hdf5_empty_and_truncated_files_are_one_line_errors()
    {
        using var dir = TestPaths.NewTempDir();
        File.WriteAllText(dir.File("text.h5"), "hello");
        File.WriteAllBytes(dir.File("empty.h5"), []);
        var real = File.ReadAllBytes(TestPaths.Data("asdf/BK.HELL_2014-08-24T1015_20min_40Hz_3C_Napa.asdf.h5"));
        File.WriteAllBytes(dir.File("truncated.h5"), real.AsSpan(0, real.Length / 2).ToArray());
        File.WriteAllBytes(dir.File("header.h5"), real.AsSpan(0, 600).ToArray());
        foreach (var name in new[] { "text.h5", "empty.h5", "truncated.h5", "header.h5" })
        {
            var (exit, _, err) = CliHarness.Run("inspect", dir.File(name));
            Assert.True(exit == 2, $"{name}: exit {exit}: {err}");
            Assert.Contains(name, err);
            Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
    }
}
