using Seiscat.Engine.Io.Writers;

namespace Seiscat.Engine.Templates;

/// <summary>
/// A prediction tap that keeps, for every (cluster, station), the <c>keep</c> gap-free windows nearest the cluster
/// centre (ties: the earlier row), and counts every cluster's windows. Memory: clusters × stations × keep. The rule
/// (<see cref="Precedes"/>) is also the report's for its representative windows.
/// </summary>
public sealed class NearestWindows(int clusters, int stations, int keep) : IPredictionTap
{
    public readonly record struct Window(long Row, long StartNs, double Distance);

    private readonly PriorityQueue<Window, (double, long)>[] _queues =
        Enumerable.Range(0, clusters * stations).Select(_ => new PriorityQueue<Window, (double, long)>(Farthest)).ToArray();

    // The queue's head is the farthest kept window, the first to give way to a nearer one.
    private static readonly Comparer<(double, long)> Farthest = Comparer<(double, long)>.Create((a, b) => b.CompareTo(a));

    public long[] Counts { get; } = new long[clusters];
    public int Clusters => clusters;
    public int Stations => stations;
    public int Keep => keep;

    /// <summary>A tap's result as stored (<see cref="CandidatesFile"/>): every kept window with its cluster and station,
    /// and the counts.</summary>
    internal static NearestWindows Restore(int clusters, int stations, int keep, long[] counts,
        IEnumerable<(int Cluster, int Station, Window Window)> kept)
    {
        var tap = new NearestWindows(clusters, stations, keep);
        counts.CopyTo(tap.Counts, 0);
        foreach (var (c, s, w) in kept) tap._queues[c * stations + s].Enqueue(w, (w.Distance, w.Row));
        return tap;
    }

    /// <summary>Every kept window with its cluster and station, nearest first within each (cluster, station).</summary>
    internal IEnumerable<(int Cluster, int Station, Window Window)> All()
    {
        for (var c = 0; c < clusters; c++)
            for (var s = 0; s < stations; s++)
                foreach (var w in Of(c, s)) yield return (c, s, w);
    }

    /// <summary>Whether window a is a better example of its cluster than window b: no missing data first (a zero-filled
    /// stretch is not what the cluster looks like), then nearer the centre, then the earlier row.</summary>
    public static bool Precedes(float gapA, double distanceA, long rowA, float gapB, double distanceB, long rowB)
        => (gapA > 0) != (gapB > 0) ? gapB > 0 : (distanceA, rowA).CompareTo((distanceB, rowB)) < 0;

    public void Add(PredictionBlock b, ReadOnlySpan<double> rows)
    {
        for (var i = 0; i < b.Count; i++)
        {
            var c = b.Cluster[i];
            Counts[c]++;
            if (b.Gap[i] > 0) continue;
            var q = _queues[c * stations + b.Station[i]];
            var key = (b.Distance[i], b.First + i);
            if (q.Count < keep) q.Enqueue(new Window(b.First + i, b.StartNs[i], b.Distance[i]), key);
            else if (q.TryPeek(out _, out var worst) && key.CompareTo(worst) < 0)
                q.EnqueueDequeue(new Window(b.First + i, b.StartNs[i], b.Distance[i]), key);
        }
    }

    /// <summary>The kept windows of a cluster at a station, nearest first.</summary>
    public IReadOnlyList<Window> Of(int cluster, int station)
        => _queues[cluster * stations + station].UnorderedItems.Select(e => e.Element).OrderBy(w => w.Distance).ThenBy(w => w.Row).ToList();
}
