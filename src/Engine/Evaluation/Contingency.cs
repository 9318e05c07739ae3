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

    /// <summary>Mutual information between classes and clusters (natural log), as scikit-learn's mutual_info_score.</summary>
    public double MutualInformation()
    {
        if (Total == 0) return 0;
        var n = (double)Total;
        double mi = 0;
        for (var a = 0; a < Classes; a++)
        {
            var ra = ClassTotal(a);
            for (var b = 0; b < Clusters; b++)
            {
                var v = _counts[a, b];
                if (v == 0) continue;
                var term = v / n * (Math.Log(v) - Math.Log(n)) + v / n * (-Math.Log(ra * (double)ClusterTotal(b)) + 2 * Math.Log(n));
                if (Math.Abs(term) >= 2.220446049250313e-16) mi += term; // numpy's eps, as scikit-learn drops tiny terms
            }
        }
        return Math.Max(mi, 0);
    }

    /// <summary>Entropy of the classes (natural log).</summary>
    public double ClassEntropy() => Entropy(Enumerable.Range(0, Classes).Select(ClassTotal));

    /// <summary>Entropy of the clusters (natural log).</summary>
    public double ClusterEntropy() => Entropy(Enumerable.Range(0, Clusters).Select(ClusterTotal));

    private static double Entropy(IEnumerable<long> counts)
    {
        var c = counts.Where(v => v > 0).ToList();
        if (c.Count == 0) return 1.0; // scikit-learn's convention for no labels
        double sum = c.Sum();
        return -c.Sum(v => v / sum * (Math.Log(v) - Math.Log(sum)));
    }

    /// <summary>1 when every cluster holds one class only (scikit-learn's homogeneity_score).</summary>
    public double Homogeneity()
    {
        var h = ClassEntropy();
        return h == 0 ? 1.0 : MutualInformation() / h;
    }

    /// <summary>1 when every class lies in one cluster (scikit-learn's completeness_score).</summary>
    public double Completeness()
    {
        var h = ClusterEntropy();
        return h == 0 ? 1.0 : MutualInformation() / h;
    }

    /// <summary>Harmonic mean of homogeneity and completeness (β = 1).</summary>
    public double VMeasure()
    {
        var (h, c) = (Homogeneity(), Completeness());
        return h + c == 0 ? 0 : 2 * h * c / (h + c);
    }

    /// <summary>Mutual information over the arithmetic mean of the two entropies (scikit-learn's default).</summary>
    public double NormalizedMutualInformation()
    {
        var classes = Enumerable.Range(0, Classes).Count(a => ClassTotal(a) > 0);
        var clusters = Enumerable.Range(0, Clusters).Count(b => ClusterTotal(b) > 0);
        if (classes == clusters && classes <= 1) return 1.0; // both unsplit: a perfect match
        var mi = MutualInformation();
        if (mi == 0) return 0;
        return mi / Math.Max((ClassEntropy() + ClusterEntropy()) / 2, double.Epsilon);
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
