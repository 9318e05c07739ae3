using Seiscat.Engine.Io;
using Seiscat.Engine.Kernels;

namespace Seiscat.Engine.Mixture;

/// <summary>Two clusters of a node joined because their windows coincide across stations (<see cref="NetworkCoincidence"/>).</summary>
/// <param name="A">The cluster whose windows were looked up (numbered before any join of the node).</param>
/// <param name="B">The cluster found at the other stations.</param>
/// <param name="Score">The share of A's windows with a window of B at another station at the same time, above chance:
/// (share − chance) / (1 − chance), where chance is the share of the record's time B covers.</param>
public sealed record CoincidenceJoin(int A, int B, double Score)
{
    /// <summary>A join of two station-local clusters (<see cref="NetworkCoincidence"/>): Score is then B's chance-corrected
    /// share of windows with any event window at another station, below the local threshold.</summary>
    public bool Local { get; init; }
}

/// <summary>The event windows a node's clusters are compared with to tell whether they are station-local: per station,
/// the sorted start times of the windows that are not background at the tree's root, and the share of the record's
/// time they cover (the chance of a coincidence).</summary>
public sealed record EventWindows(IReadOnlyDictionary<int, long[]> TimesByStation, double Chance)
{
    public static EventWindows Of(IEnumerable<int> rows, int[] station, long[] startNs, long toleranceNs)
    {
        var times = rows.GroupBy(i => station[i]).ToDictionary(g => g.Key, g => g.Select(i => startNs[i]).Order().ToArray());
        return new EventWindows(times, NetworkCoincidence.ChanceOf(times.Values.SelectMany(v => v), startNs, toleranceNs));
    }
}

/// <summary>
/// Joins the clusters of a node that hold one kind of source seen at different stations. A network records an
/// earthquake at every station within seconds, near stations loud and far ones faint; the mixture, which sees one
/// window at a time, puts the near records and the far records in different clusters (on the evaluation matrix at
/// event rates 0.1 and 0.05 the earthquakes split by signal-to-noise into two or three clusters, none holding 70 % of
/// them). A glitch, which is one station's, or two kinds of source, which occur at unrelated times, do not coincide
/// beyond chance. So two clusters are joined when most windows of one have a window of the other at another station
/// within half a window, more often than chance; joins chain (single linkage).
/// The converse joins the station-local clusters: a cluster whose windows almost never have an event window (one that
/// is not background) at another station at the same time holds what happens at one station only — instrument glitches,
/// a sensor's own noise. The mixture splits such windows by waveform (a one-sample spike and a decaying step land in two
/// pure clusters); every station-local cluster of a node that is also transient (its windows come in episodes of a few
/// overlapping windows, not a dead or noisy stretch of one channel) becomes one. On the evaluation matrix the glitch
/// clusters score −0.15 to 0.24 above chance and every cluster of earthquakes, repeaters or tremor 0.67 or more.
/// Without stations and start times (pre-cut segments, one station) nothing is joined.
/// </summary>
public static class NetworkCoincidence
{
    /// <summary>The chance-corrected share of coinciding windows from which two clusters are joined.</summary>
    public const double DefaultThreshold = 0.5;

    /// <summary>The chance-corrected share of windows with an event window at another station below which a cluster is
    /// station-local (between the glitches' ≤ 0.24 and the network sources' ≥ 0.67 on the evaluation matrix).</summary>
    public const double DefaultLocalThreshold = 0.4;

    /// <summary>Windows per episode (a run of overlapping windows at one station) up to which a cluster is transient: a
    /// glitch touches the two windows that overlap it, a dead or noisy stretch of a channel many in a row.</summary>
    public const double TransientEpisodeWindows = 4;

    /// <summary>
    /// Joins of the clusters of <paramref name="cluster"/> (rows' cluster, station, start time) among the
    /// <paramref name="candidate"/> clusters. Returns each cluster's joined cluster (numbered in order of first
    /// appearance, so a node without joins keeps its numbers), the joined count and the joins made.
    /// </summary>
    /// <param name="events">The windows that tell a station-local cluster (null: the candidate clusters' own windows).</param>
    /// <param name="localThreshold">Below it a candidate cluster is station-local; null: no local joins.</param>
    public static (int[] Map, int Clusters, List<CoincidenceJoin> Joins) Join(int[] cluster, int[] station, long[] startNs, int k,
        bool[] candidate, long toleranceNs, double threshold, EventWindows? events = null, double? localThreshold = null)
    {
        var parent = Enumerable.Range(0, k).ToArray();
        var joins = new List<CoincidenceJoin>();
        if (toleranceNs > 0 && station.Length > 0 && HasTwoStations(station))
        {
            // Per candidate cluster, its windows' start times per station and the chance of meeting one of them.
            var rows = new List<int>[k];
            for (var c = 0; c < k; c++) rows[c] = [];
            for (var i = 0; i < cluster.Length; i++) if (candidate[cluster[i]]) rows[cluster[i]].Add(i);
            var windows = new EventWindows[k];
            for (var c = 0; c < k; c++)
                windows[c] = candidate[c] ? EventWindows.Of(rows[c], station, startNs, toleranceNs) : new(new Dictionary<int, long[]>(), 0);
            var pairs = new List<CoincidenceJoin>();
            for (var a = 0; a < k; a++)
                for (var b = a + 1; b < k; b++)
                {
                    if (!candidate[a] || !candidate[b] || rows[a].Count == 0 || rows[b].Count == 0) continue;
                    var ab = Above(Share(rows[a], station, startNs, windows[b].TimesByStation, toleranceNs), windows[b].Chance);
                    var ba = Above(Share(rows[b], station, startNs, windows[a].TimesByStation, toleranceNs), windows[a].Chance);
                    pairs.Add(ab >= ba ? new CoincidenceJoin(a, b, ab) : new CoincidenceJoin(b, a, ba));
                }
            // Strongest first; ties in cluster order, so the result does not depend on enumeration details.
            foreach (var p in pairs.OrderByDescending(p => p.Score).ThenBy(p => Math.Min(p.A, p.B)).ThenBy(p => Math.Max(p.A, p.B)))
            {
                if (p.Score < threshold) break;
                var (ra, rb) = (Find(parent, p.A), Find(parent, p.B));
                if (ra == rb) continue;
                parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
                joins.Add(p);
            }
            if (localThreshold is { } local) JoinLocal(rows, station, startNs, k, candidate, toleranceNs, local,
                events ?? EventWindows.Of(rows.Where((_, c) => candidate[c]).SelectMany(r => r), station, startNs, toleranceNs), parent, joins);
        }
        var map = new int[k];
        var number = new Dictionary<int, int>();
        for (var c = 0; c < k; c++)
        {
            var root = Find(parent, c);
            if (!number.TryGetValue(root, out var n)) number[root] = n = number.Count;
            map[c] = n;
        }
        return (map, number.Count, joins);
    }

    // Every candidate cluster (after the joins above) whose windows have an event window at another station no more
    // often than `local` above chance, and come in short episodes, is joined to the first such cluster.
    private static void JoinLocal(List<int>[] rows, int[] station, long[] startNs, int k, bool[] candidate, long toleranceNs, double local,
        EventWindows events, int[] parent, List<CoincidenceJoin> joins)
    {
        var members = new Dictionary<int, List<int>>();
        for (var c = 0; c < k; c++)
            if (candidate[c] && rows[c].Count > 0)
            {
                var root = Find(parent, c);
                if (!members.TryGetValue(root, out var list)) members[root] = list = [];
                list.AddRange(rows[c]);
            }
        int? first = null;
        foreach (var (root, list) in members.OrderBy(e => e.Key))
        {
            var score = Above(Share(list, station, startNs, events.TimesByStation, toleranceNs), events.Chance);
            if (score >= local || WindowsPerEpisode(list, station, startNs, toleranceNs) > TransientEpisodeWindows) continue;
            if (first is not { } f) { first = root; continue; }
            parent[root] = f;
            joins.Add(new CoincidenceJoin(f, root, score) { Local = true });
        }
    }

    // Mean windows per episode: per station, starts closer than a window length (twice the tolerance) are one episode.
    private static double WindowsPerEpisode(List<int> rows, int[] station, long[] startNs, long toleranceNs)
    {
        var episodes = 0;
        foreach (var g in rows.GroupBy(i => station[i]))
        {
            var t = g.Select(i => startNs[i]).Order().ToArray();
            episodes++;
            for (var j = 1; j < t.Length; j++) if (t[j] - t[j - 1] >= 2 * toleranceNs) episodes++;
        }
        return rows.Count / (double)Math.Max(1, episodes);
    }

    /// <summary>The share of the record's time (first to last start, widened by the tolerance) that windows at
    /// <paramref name="times"/> cover within the tolerance.</summary>
    internal static double ChanceOf(IEnumerable<long> times, long[] allStartNs, long toleranceNs)
    {
        if (allStartNs.Length == 0) return 0;
        long first = long.MaxValue, last = long.MinValue;
        foreach (var t in allStartNs) { first = Math.Min(first, t); last = Math.Max(last, t); }
        return Coverage(times.Order().ToArray(), toleranceNs) / (double)Math.Max(1, last - first + 2 * toleranceNs);
    }

    /// <summary>How a node's joins are told in fit's output ("2 joins of clusters whose windows coincide across stations;
    /// 1 join of station-local clusters").</summary>
    public static string Describe(IReadOnlyList<CoincidenceJoin> joins)
    {
        var local = joins.Count(j => j.Local);
        var network = joins.Count - local;
        var parts = new List<string>();
        if (network > 0) parts.Add($"{network} {(network == 1 ? "join" : "joins")} of clusters whose windows coincide across stations");
        if (local > 0) parts.Add($"{local} {(local == 1 ? "join" : "joins")} of station-local clusters");
        return string.Join("; ", parts);
    }

    private static bool HasTwoStations(int[] station)
    {
        foreach (var s in station) if (s != station[0]) return true;
        return false;
    }

    private static double Above(double share, double chance) => chance >= 1 ? 0 : (share - chance) / (1 - chance);

    // The share of `rows` with a window of the other cluster at another station starting within the tolerance.
    private static double Share(List<int> rows, int[] station, long[] startNs, IReadOnlyDictionary<int, long[]> other, long tolerance)
    {
        var hits = 0;
        foreach (var i in rows)
        {
            foreach (var (s, ts) in other)
            {
                if (s == station[i]) continue;
                var j = Array.BinarySearch(ts, startNs[i] - tolerance);
                if (j < 0) j = ~j;
                if (j < ts.Length && ts[j] <= startNs[i] + tolerance) { hits++; break; }
            }
        }
        return rows.Count == 0 ? 0 : hits / (double)rows.Count;
    }

    // Length of the union of [t − tolerance, t + tolerance] over sorted times.
    private static long Coverage(long[] sorted, long tolerance)
    {
        long covered = 0, end = long.MinValue;
        foreach (var t in sorted)
        {
            var (a, b) = (t - tolerance, t + tolerance);
            if (a > end) { covered += b - a; end = b; }
            else if (b > end) { covered += b - end; end = b; }
        }
        return covered;
    }

    private static int Find(int[] parent, int c)
    {
        while (parent[c] != c) c = parent[c] = parent[parent[c]];
        return c;
    }
}

/// <summary>
/// What a node's fit needs to join clusters across stations: its rows' start times, the tolerance (half a window) and
/// which clusters may join — at the root only those that are not background (below <see cref="ClusterTree.BackgroundShare"/>
/// of the rows, never the largest: background windows coincide everywhere), in a refined group every cluster.
/// </summary>
internal sealed record Coincidence(long[] StartNs, long ToleranceNs, bool Everyone)
{
    /// <summary>The root's event windows, which tell a refined node's station-local clusters (null at the root, whose
    /// own non-background clusters are them).</summary>
    public EventWindows? Events { get; init; }

    /// <summary>A refined group's coincidences: its rows are the root's event windows.</summary>
    public static Coincidence? OfGroup(FeatureSource source, int[] stations, long[] startNs)
        => Of(source, startNs, everyone: true) is { } c
            ? c with { Events = EventWindows.Of(Enumerable.Range(0, startNs.Length), stations, startNs, c.ToleranceNs) }
            : null;

    /// <summary>
    /// Null when the rows have no stations or start times, the window length is unknown, or the stations are the
    /// channels of a fibre (positions known): a fibre's channels record every passing source together — traffic, a
    /// dead or noisy section at all times — so coincidence along it does not tell kinds apart (synth --das, five
    /// seeds: 2 (worst 2) of 4 classes recovered without the join, 1 (0) with it).
    /// </summary>
    public static Coincidence? Of(FeatureSource source, long[] startNs, bool everyone)
        => source.HasTimes && source.HasStations && source.StationDistanceM is null && source.WindowNs > 0
            ? new Coincidence(startNs, source.WindowNs / 2, everyone)
            : null;

    public Coincidence Subset(int[] rows) => this with { StartNs = rows.Select(i => StartNs[i]).ToArray() };

    /// <summary>The joins of a merged mixture's clusters: <paramref name="responsibility"/> is m × components.</summary>
    public (int[] ComponentCluster, int Clusters, IReadOnlyList<CoincidenceJoin> Joins) Join(double[] responsibility, int m, int components,
        int[] componentCluster, int k, int[] stations, double threshold, double? localThreshold)
    {
        var cluster = new int[m];
        var count = new int[k];
        var sum = new double[k];
        for (var i = 0; i < m; i++)
        {
            Array.Clear(sum);
            for (var c = 0; c < components; c++) sum[componentCluster[c]] += responsibility[i * components + c];
            var best = Reductions.ArgMax(sum);
            cluster[i] = best;
            count[best]++;
        }
        var candidate = Everyone ? Enumerable.Repeat(true, k).ToArray() : ClusterTree.NotBackground(count.Select(c => c / (double)m).ToArray());
        var (map, joined, joins) = NetworkCoincidence.Join(cluster, stations, StartNs, k, candidate, ToleranceNs, threshold, Events,
            localThreshold);
        return (componentCluster.Select(c => map[c]).ToArray(), joined, joins);
    }
}
