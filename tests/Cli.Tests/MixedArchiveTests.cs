using Seiscat.Tests.Shared;

namespace Seiscat.Cli.Tests;

/// <summary>A network as it comes (issue 17): the real records of tests/data in one folder — 50, 40, 20 and 1 Hz,
/// three-component and vertical-only stations — run with defaults, selected by globs, and refused clearly.</summary>
[Collection("cli-native")]
public class MixedArchiveTests
{
    private static string MixedArchive(TestPaths.TempDir dir)
    {
        var archive = dir.File("network");
        Directory.CreateDirectory(archive);
        foreach (var f in Directory.GetFiles(TestPaths.Data("asdf"), "*.h5")
                     .Append(TestPaths.Data("continuous/TA.C26K_2018-08-12_24h_40Hz_BHZ.h5"))
                     .Append(TestPaths.Data("asdf_native/noisepy_TA.K62A+K63A_2014-01-01_24h_1Hz_BHZ.asdf.h5")))
            File.Copy(f, Path.Combine(archive, Path.GetFileName(f)));
        return archive;
    }

    private static HashSet<string> StationsOf(string csv) => File.ReadLines(csv).Skip(1).Select(l => l.Split(',')[2]).ToHashSet();

    [Fact]
    public void A_mixed_network_runs_with_defaults_and_names_what_it_skips()
    {
        using var dir = TestPaths.NewTempDir();
        var archive = MixedArchive(dir);
        // inspect says beforehand what features will do with it.
        var (exit, output, err) = CliHarness.Run("inspect", archive);
        Assert.True(exit == 0, err);
        Assert.Contains("features  without --config: 40 Hz (the highest rate half the stations reach), 3 stations kept (1 resampled), " +
            "3 skipped: IV.BOB..BH?, TA.K62A..BH?, TA.K63A..BH?; one row per channel", output);
        (exit, output, err) = CliHarness.Run("run", archive, "--out", dir.File("out"), "--fftw", "estimate");
        Assert.True(exit == 0, err);
        // The default rate is the highest that half of the six stations reach: 40 Hz. The 20 Hz and 1 Hz stations cannot
        // reach it and are named, all in one warning line.
        var warnings = (err + output).Split('\n').Where(l => l.Contains("skipped", StringComparison.Ordinal)).ToList();
        var warning = Assert.Single(warnings);
        foreach (var skipped in new[] { "IV.BOB..BH? (20 Hz)", "TA.K62A..BH? (1 Hz)", "TA.K63A..BH? (1 Hz)" }) Assert.Contains(skipped, warning);
        Assert.Contains("skipped 3 stations below", warning);
        // The units are channels, and the run's messages and report say so.
        Assert.Contains("run 1/3 features: 5030 windows × 192 features from 7 channels in", output);
        Assert.Contains("event features relative to 7 channel backgrounds", output);
        Assert.Contains("run 2/3 fit: wrote", output);
        Assert.Contains("relative to each of the 7 channels' own background",
            System.Net.WebUtility.HtmlDecode(File.ReadAllText(Path.Combine(dir.File("out"), "report", "index.html"))));
        // Three- and one-component stations together: every channel is its own unit, and every channel at or above
        // 40 Hz (YH.DC06 resampled from 50 Hz) has windows in the table.
        var units = StationsOf(Path.Combine(dir.File("out"), "windows.csv"));
        Assert.Equal(["BK.HELL.00.BHE", "BK.HELL.00.BHN", "BK.HELL.00.BHZ", "TA.C26K..BHZ", "YH.DC06..BHE", "YH.DC06..BHN", "YH.DC06..BHZ"],
            units.Order(StringComparer.Ordinal));
        // More than a few units: the report draws them against time, one row each.
        Assert.True(File.Exists(Path.Combine(dir.File("out"), "report", "stations_time.png")));
        Assert.Contains("stations_time.png", File.ReadAllText(Path.Combine(dir.File("out"), "report", "index.html")));
    }

    [Fact]
    public void Globs_select_stations_and_channels_and_a_glob_that_matches_nothing_is_one_line()
    {
        using var dir = TestPaths.NewTempDir();
        var archive = MixedArchive(dir);
        // Two three-component stations: station units again; YH.DC06 (50 Hz) is resampled to BK.HELL's 40 Hz.
        var (exit, _, err) = CliHarness.Run("features", archive, "--stations", "YH.*", "BK.HELL", "--fftw", "estimate", "--out", dir.File("f.h5"));
        Assert.True(exit == 0, err);
        (exit, var inspect, err) = CliHarness.Run("inspect", archive, "--channels", "*..BHZ", "--stations", "TA.*");
        Assert.True(exit == 0, err);
        Assert.Contains("3 stations, 3 channels", inspect);
        Assert.DoesNotContain("YH.DC06", inspect);

        (exit, _, err) = CliHarness.Run("inspect", archive, "--stations", "XX.*");
        Assert.NotEqual(0, exit);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Contains("--stations 'XX.*' matches no station", err);
        (exit, _, err) = CliHarness.Run("features", archive, "--channels", "*.HH?", "--out", dir.File("g.h5"));
        Assert.NotEqual(0, exit);
        Assert.Contains("--channels '*.HH?' matches no channel", err);

        // Gain removal needs every kept channel's StationXML (only the NoisePy files carry it): the others are named.
        (exit, _, err) = CliHarness.Run("features", archive, "--gain", "stationxml", "--out", dir.File("i.h5"));
        Assert.NotEqual(0, exit);
        Assert.Contains("--gain stationxml: no StationXML sensitivity for BK.HELL.00.BHE", err);

        // A rate no station reaches.
        File.WriteAllText(dir.File("cfg.json"), """{"sampling_rate": 100, "bins": 2000, "layers": [{"octaves": 6, "resolution": 4, "quality": 2}]}""");
        (exit, _, err) = CliHarness.Run("features", archive, "--config", dir.File("cfg.json"), "--out", dir.File("h.h5"));
        Assert.NotEqual(0, exit);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Contains("no station can be used", err);
        Assert.False(File.Exists(dir.File("h.h5")));
    }
}
