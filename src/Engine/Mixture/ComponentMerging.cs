namespace Seiscat.Engine.Mixture;

/// <summary>One step of the merge hierarchy: groups <see cref="A"/> and <see cref="B"/> (numbered as in the step before)
/// joined, with the entropy decrease it bought in total and per window of the pair.</summary>
public readonly record struct MergeStep(int Groups, int A, int B, double EntropyDecrease, double PerWindow);

/// <summary>
/// Combining mixture components into clusters (Baudry, Raftery, Celeux, Lo &amp; Gottardo 2010, "Combining mixture
/// components for clustering"): a Gaussian mixture chosen by BIC models the density, and a non-Gaussian cluster (an
/// earthquake family whose windows spread with magnitude, noise that changes with the hour) takes several
/// components. Components whose windows they share — overlapping posteriors — belong together: at each step the pair
/// whose union most lowers the entropy of the posterior assignment, −Σ τ log τ, is joined (their posteriors add).
/// Well-separated components, however small (a rare event class), are never cheaper to join than overlapping ones.
/// Joining stops when the best step's decrease per window of the pair falls below a threshold: the remaining groups
/// barely share windows. The whole hierarchy is kept for the report's dendrogram.
/// </summary>
public static class ComponentMerging
{
    public const double DefaultThreshold = 0.05;

    /// <summary>
    /// Merges the K0 components given the posteriors <paramref name="tau"/> (n × k0, rows sum to 1) of the fitted
    /// sample. Returns each component's cluster (clusters numbered by their lowest component) and every step taken
    /// down to one group (those past the threshold included: the cut is where the threshold stopped the joining).
    /// </summary>
    public static (int[] ComponentCluster, int Clusters, IReadOnlyList<MergeStep> Steps) Merge(double[] tau, int n, int k0, double threshold)
    {
        var groups = Enumerable.Range(0, k0).Select(k => new List<int> { k }).ToList();
        var t = new double[k0][];
        for (var k = 0; k < k0; k++)
        {
            t[k] = new double[n];
            for (var i = 0; i < n; i++) t[k][i] = tau[i * k0 + k];
        }
        var columns = t.ToList();
        var steps = new List<MergeStep>();
        int[]? cut = null;
        while (columns.Count > 1)
        {
            (double Decrease, int A, int B, double Weight) best = (double.NegativeInfinity, -1, -1, 0);
            for (var a = 0; a < columns.Count; a++)
                for (var b = a + 1; b < columns.Count; b++)
                {
                    double d = 0, w = 0;
                    var (ta, tb) = (columns[a], columns[b]);
                    for (var i = 0; i < n; i++)
                    {
                        d += PLogP(ta[i] + tb[i]) - PLogP(ta[i]) - PLogP(tb[i]);
                        w += ta[i] + tb[i];
                    }
                    if (d > best.Decrease) best = (d, a, b, w);
                }
            var perWindow = best.Weight > 0 ? best.Decrease / best.Weight : 0;
            if (cut is null && perWindow < threshold) cut = Assignment(groups, k0);
            steps.Add(new MergeStep(columns.Count, best.A, best.B, best.Decrease, perWindow));
            var (x, y) = (columns[best.A], columns[best.B]);
            var merged = new double[n];
            for (var i = 0; i < n; i++) merged[i] = x[i] + y[i];
            columns[best.A] = merged;
            columns.RemoveAt(best.B);
            groups[best.A].AddRange(groups[best.B]);
            groups.RemoveAt(best.B);
        }
        cut ??= Assignment(groups, k0);
        return (cut, cut.Max() + 1, steps);
    }

    // Components → clusters numbered in order of each group's lowest component.
    private static int[] Assignment(List<List<int>> groups, int k0)
    {
        var map = new int[k0];
        var ordered = groups.OrderBy(g => g.Min()).ToList();
        for (var c = 0; c < ordered.Count; c++)
            foreach (var k in ordered[c]) map[k] = c;
        return map;
    }

    private static double PLogP(double p) => p > 0 ? p * Math.Log(p) : 0;
}
