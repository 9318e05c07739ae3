namespace Seiscat.Engine.Evaluation;

/// <summary>
/// Counts of (class, cluster) pairs — all that partition-agreement scores need, so labelling a terabyte streams
/// into a table of classes × clusters instead of holding every label. Classes and clusters are small integers.
/// </summary>
public sealed class Contingency
{
    private long[,] _counts;

    public Contingency(int classes, int clusters) => _counts = new long[Math.Max(classes, 1), Math.Max(clusters, 1)];

    public int Classes => _counts.GetLength(0);
    public int Clusters => _counts.GetLength(1);
    public long Total { get; private set; }

    public long this[int cls, int cluster] => _counts[cls, cluster];

    public void Add(int cls, int cluster)
    {
        if (cls >= Classes || cluster >= Clusters) Grow(Math.Max(Classes, cls + 1), Math.Max(Clusters, cluster + 1));
        _counts[cls, cluster]++;
        Total++;
    }

    private void Grow(int classes, int clusters)
    {
        var next = new long[classes, clusters];
        for (var a = 0; a < Classes; a++)
            for (var b = 0; b < Clusters; b++) next[a, b] = _counts[a, b];
        _counts = next;
    }

    public long ClassTotal(int cls)
    {
        long s = 0;
        for (var b = 0; b < Clusters; b++) s += _counts[cls, b];
        return s;
    }

    public long ClusterTotal(int cluster)
    {
        long s = 0;
        for (var a = 0; a < Classes; a++) s += _counts[a, cluster];
        return s;
    }

    /// <summary>
    /// Adjusted Rand index (Hubert &amp; Arabie 1985): 1 = identical partitions up to relabelling, ≈ 0 = chance. The
    /// pair counts are integers held exactly in doubles (below 2⁵³), so the sums do not depend on their order.
    /// </summary>
    public double AdjustedRand()
    {
        static double C2(long v) => v * (v - 1) / 2.0;
        double index = 0, sa = 0, sb = 0;
        for (var a = 0; a < Classes; a++)
            for (var b = 0; b < Clusters; b++) index += C2(_counts[a, b]);
        for (var a = 0; a < Classes; a++) sa += C2(ClassTotal(a));
        for (var b = 0; b < Clusters; b++) sb += C2(ClusterTotal(b));
        var expected = sa * sb / C2(Total);
        var max = (sa + sb) / 2;
        return max == expected ? 1.0 : (index - expected) / (max - expected);
    }

    /// <summary>The table of two label lists (values ≥ 0).</summary>
    public static Contingency Of(IReadOnlyList<int> classes, IReadOnlyList<int> clusters)
    {
        if (classes.Count != clusters.Count) throw new ArgumentException("label lists differ in length");
        var table = new Contingency(classes.Count == 0 ? 1 : classes.Max() + 1, clusters.Count == 0 ? 1 : clusters.Max() + 1);
        for (var i = 0; i < classes.Count; i++) table.Add(classes[i], clusters[i]);
        return table;
    }
}
