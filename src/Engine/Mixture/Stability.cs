namespace Seiscat.Engine.Mixture;

/// <summary>Agreement between clusterings.</summary>
public static class Stability
{
    /// <summary>Adjusted Rand index (Hubert &amp; Arabie 1985): 1 = identical partitions up to relabelling, ~0 = chance.</summary>
    public static double AdjustedRandIndex(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        if (a.Count != b.Count) throw new ArgumentException("label lists differ in length");
        var n = a.Count;
        var table = new Dictionary<(int, int), long>();
        var rows = new Dictionary<int, long>();
        var cols = new Dictionary<int, long>();
        for (var i = 0; i < n; i++)
        {
            table[(a[i], b[i])] = table.GetValueOrDefault((a[i], b[i])) + 1;
            rows[a[i]] = rows.GetValueOrDefault(a[i]) + 1;
            cols[b[i]] = cols.GetValueOrDefault(b[i]) + 1;
        }
        static double C2(long v) => v * (v - 1) / 2.0;
        var index = table.Values.Sum(C2);
        var sa = rows.Values.Sum(C2);
        var sb = cols.Values.Sum(C2);
        var expected = sa * sb / C2(n);
        var max = (sa + sb) / 2;
        return max == expected ? 1.0 : (index - expected) / (max - expected);
    }
}
