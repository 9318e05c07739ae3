using Seiscat.Engine.Mixture;

namespace Seiscat.Engine.Tests.Mixture;

/// <summary>
/// The join across stations on hand-made rows: four stations, windows every 20 s (40 s long), one day. Cluster 0 is
/// the background at every station and time; 1 and 2 hold one source kind, its near-station records in 1 and its
/// far-station records in 2 (same times, other stations); 3 is a station-specific glitch at unrelated times; 4 is a
/// dead channel, every window of one station.
/// </summary>
public class NetworkCoincidenceTests
{
    private const long Step = 20_000_000_000;
    private const long Tolerance = Step; // half of a 40-s window

    private static (int[] Cluster, int[] Station, long[] Start) Rows(bool withDead, int stations = 4)
    {
        var rng = new Random(5);
        var windows = 86_400 / 20;
        var eventAt = Enumerable.Range(0, 60).Select(_ => rng.Next(10, windows - 10)).ToHashSet();
        var glitchAt = Enumerable.Range(0, 40).Select(_ => rng.Next(10, windows - 10)).Where(w => !eventAt.Contains(w)).ToHashSet();
        return Grid(windows, stations, (w, s) => withDead && s == 3 ? 4
            : eventAt.Contains(w) ? (s == 0 ? 1 : 2)
            : glitchAt.Contains(w) && s == 1 ? 3
            : 0);
    }

    // Every (window, station) of the day, in window order, with the cluster clusterOf gives it.
    private static (int[] Cluster, int[] Station, long[] Start) Grid(int windows, int stations, Func<int, int, int> clusterOf)
    {
        var (cluster, station, start) = (new List<int>(), new List<int>(), new List<long>());
        for (var w = 0; w < windows; w++)
            for (var s = 0; s < stations; s++)
            {
                cluster.Add(clusterOf(w, s));
                station.Add(s);
                start.Add(w * Step);
            }
        return (cluster.ToArray(), station.ToArray(), start.ToArray());
    }

    [Fact]
    public void Joins_the_near_and_far_records_of_one_source_and_nothing_else()
    {
        var (cluster, station, start) = Rows(withDead: true);
        var candidate = new[] { false, true, true, true, true };
        var (map, clusters, joins) = NetworkCoincidence.Join(cluster, station, start, 5, candidate, Tolerance, NetworkCoincidence.DefaultThreshold);
        Assert.Equal(map[1], map[2]);
        Assert.Single(joins);
        Assert.Equal(4, clusters);
        // The glitch is one station's and the dead channel coincides with everything by chance: neither is joined.
        Assert.Equal(4, map.Distinct().Count());
        Assert.NotEqual(map[3], map[1]);
        Assert.NotEqual(map[4], map[1]);
        Assert.InRange(joins[0].Score, 0.9, 1.0);
        // Numbered by first appearance: an unjoined cluster before the join keeps its number.
        Assert.Equal([0, 1, 1, 2, 3], map);
    }

    [Fact]
    public void Background_clusters_are_never_joined()
    {
        var (cluster, station, start) = Rows(withDead: false);
        var (map, clusters, joins) = NetworkCoincidence.Join(cluster, station, start, 4, [false, true, false, true], Tolerance,
            NetworkCoincidence.DefaultThreshold);
        Assert.Empty(joins);
        Assert.Equal(4, clusters);
        Assert.Equal([0, 1, 2, 3], map);
    }

    [Fact]
    public void One_station_or_no_window_length_joins_nothing()
    {
        var (cluster, station, start) = Rows(withDead: false, stations: 1);
        var all = new[] { true, true, true, true };
        Assert.Empty(NetworkCoincidence.Join(cluster, station, start, 4, all, Tolerance, NetworkCoincidence.DefaultThreshold).Joins);
        (cluster, station, start) = Rows(withDead: false);
        Assert.Empty(NetworkCoincidence.Join(cluster, station, start, 4, all, 0, NetworkCoincidence.DefaultThreshold).Joins);
    }

    [Fact]
    public void Records_shifted_by_more_than_the_tolerance_do_not_coincide()
    {
        var (cluster, station, start) = Rows(withDead: false);
        // The far records 3 windows later: another event, as far as the network can tell.
        for (var i = 0; i < cluster.Length; i++) if (cluster[i] == 2) start[i] += 3 * Step;
        var (_, clusters, joins) = NetworkCoincidence.Join(cluster, station, start, 4, [false, true, true, true], Tolerance,
            NetworkCoincidence.DefaultThreshold);
        Assert.Empty(joins);
        Assert.Equal(4, clusters);
    }

    // Events at every station (1 near, 2 far), two kinds of glitch at single stations touching the two windows that overlap
    // them (3: spikes at station 1, 5: steps at station 2), and a dead stretch of station 3 (4: 300 windows in a row).
    private static (int[] Cluster, int[] Station, long[] Start) RowsWithGlitchKinds()
    {
        var rng = new Random(9);
        var windows = 86_400 / 20;
        var eventAt = Enumerable.Range(0, 60).Select(_ => rng.Next(10, windows - 10)).ToHashSet();
        var spikeAt = Enumerable.Range(0, 30).Select(_ => rng.Next(10, windows - 10)).ToHashSet();
        var stepAt = Enumerable.Range(0, 30).Select(_ => rng.Next(10, windows - 10)).ToHashSet();
        return Grid(windows, 4, (w, s) => s == 3 && w is >= 1000 and < 1300 ? 4
            : eventAt.Contains(w) ? (s == 0 ? 1 : 2)
            : s == 1 && (spikeAt.Contains(w) || spikeAt.Contains(w - 1)) ? 3
            : s == 2 && (stepAt.Contains(w) || stepAt.Contains(w - 1)) ? 5
            : 0);
    }

    [Fact]
    public void Transient_station_local_clusters_become_one_and_a_dead_stretch_stays_apart()
    {
        var (cluster, station, start) = RowsWithGlitchKinds();
        var candidate = new[] { false, true, true, true, true, true };
        var (map, clusters, joins) = NetworkCoincidence.Join(cluster, station, start, 6, candidate, Tolerance, NetworkCoincidence.DefaultThreshold,
            localThreshold: NetworkCoincidence.DefaultLocalThreshold);
        Assert.Equal(map[3], map[5]);
        Assert.Equal(map[1], map[2]);
        Assert.NotEqual(map[1], map[3]);
        Assert.NotEqual(map[4], map[3]); // local too, but one long episode: a dead channel, not a glitch
        Assert.NotEqual(map[4], map[1]);
        Assert.NotEqual(map[0], map[3]);
        Assert.Equal(4, clusters);
        var local = Assert.Single(joins, j => j.Local);
        Assert.Equal((3, 5), (local.A, local.B));
        Assert.InRange(local.Score, -1, NetworkCoincidence.DefaultLocalThreshold);
        Assert.Equal("1 join of clusters whose windows coincide across stations; 1 join of station-local clusters",
            NetworkCoincidence.Describe(joins));
        // Without the local threshold the two glitch kinds stay apart.
        (map, clusters, _) = NetworkCoincidence.Join(cluster, station, start, 6, candidate, Tolerance, NetworkCoincidence.DefaultThreshold);
        Assert.NotEqual(map[3], map[5]);
        Assert.Equal(5, clusters);
    }

    [Fact]
    public void A_refined_node_tells_local_clusters_by_the_root_event_windows()
    {
        // A node holding only the near records (1) and the spikes (3): within the node nothing coincides across
        // stations, but the root's event windows (every non-background row) show 1 at other stations and 3 nowhere.
        var (cluster, station, start) = RowsWithGlitchKinds();
        var events = EventWindows.Of(Enumerable.Range(0, cluster.Length).Where(i => cluster[i] != 0), station, start, Tolerance);
        var rows = Enumerable.Range(0, cluster.Length).Where(i => cluster[i] is 1 or 3 or 5).ToArray();
        var (map, _, joins) = NetworkCoincidence.Join(rows.Select(i => cluster[i]).ToArray(), rows.Select(i => station[i]).ToArray(),
            rows.Select(i => start[i]).ToArray(), 6, [false, true, false, true, false, true], Tolerance, NetworkCoincidence.DefaultThreshold,
            events, NetworkCoincidence.DefaultLocalThreshold);
        Assert.Equal(map[3], map[5]);
        Assert.NotEqual(map[1], map[3]);
        Assert.Single(joins);
    }
}
