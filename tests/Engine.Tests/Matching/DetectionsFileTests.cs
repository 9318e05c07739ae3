using Seiscat.Engine.Matching;
using Seiscat.Tests.Shared;

namespace Seiscat.Engine.Tests.Matching;

public class DetectionsFileTests
{
    private static Detection At(double seconds, double cc, int group = 1) =>
        new((long)(seconds * 1e9) + 1_700_000_000_000_000_000L, group, 3, "XX.A..BH?", "T000", cc, 0.2, cc / 0.025, 1.5);

    [Fact]
    public void Declustering_keeps_the_strongest_of_each_stretch_per_group_and_returns_time_order()
    {
        var kept = DetectionsFile.Decluster([At(10, 0.5), At(11, 0.7), At(12.5, 0.6), At(20, 0.4), At(11, 0.9, group: 2)], 2_000_000_000);
        // 11 s (0.7) suppresses 10 s and 12.5 s (both within 2 s); 20 s stands alone; group 2 is declustered on its own.
        Assert.Equal([At(11, 0.7), At(11, 0.9, group: 2), At(20, 0.4)], kept);
        // Exactly the separation apart: both stay.
        Assert.Equal(2, DetectionsFile.Decluster([At(0, 0.5), At(2, 0.6)], 2_000_000_000).Count);
        // Equal correlations: the earlier wins.
        Assert.Equal([At(5, 0.5)], DetectionsFile.Decluster([At(6, 0.5), At(5, 0.5)], 2_000_000_000));
    }

    [Fact]
    public void Csv_round_trips_to_six_decimals_and_a_damaged_line_is_one_clear_error()
    {
        using var dir = TestPaths.NewTempDir();
        var path = dir.File("d.csv");
        DetectionsFile.Write(path, [At(1, 0.123456789), At(2, 0.5)]);
        var back = DetectionsFile.ReadCsv(path);
        Assert.Equal(2, back.Count);
        Assert.Equal(0.123457, back[0].Correlation);
        Assert.Equal(At(1, 0).TimeNs, back[0].TimeNs);
        Assert.StartsWith("time,time_ns,stations,templates,group,cluster,correlation,threshold,mad_multiple,amplitude_ratio", File.ReadAllText(path));
        File.AppendAllText(path, "2024-01-01T00:00:00Z,notanumber\n");
        var e = Assert.Throws<SeiscatException>(() => DetectionsFile.ReadCsv(path));
        Assert.Contains("line 4 is damaged", e.Message);
        Assert.Throws<SeiscatException>(() => DetectionsFile.CheckName(dir.File("d.txt")));
    }
}
