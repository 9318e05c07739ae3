namespace Seiscat.Engine.Evaluation;

/// <summary>One labelled class: where its windows went. Recovered: one cluster holds ≥ 70 % of the class's windows and
/// ≥ 70 % of that cluster's windows are of the class.</summary>
public sealed record ClassScore(string Class, long Windows, int MajorityCluster, double Purity, double ClusterPurity, bool Recovered);

/// <summary>One cluster: its windows and the class most of them belong to.</summary>
public sealed record ClusterScore(int Cluster, long Windows, string MajorityClass, double Purity);

/// <summary>The class × cluster table, rows in <see cref="Classes"/> order, columns by cluster number.</summary>
public sealed record ConfusionTable(IReadOnlyList<string> Classes, int Clusters, long[][] Counts);

/// <summary>
/// How well clusters recover labelled classes: partition scores (scikit-learn's definitions: adjusted Rand index,
/// normalised mutual information with the arithmetic mean, homogeneity, completeness, V-measure), each class's fate,
/// each cluster's make-up, the confusion table, and — when one class is the background ("noise") — the share of
/// background windows that sit in clusters whose majority is background.
/// </summary>
public sealed record EvaluationReport(
    long Windows,
    double AdjustedRand,
    double NormalizedMutualInfo,
    double Homogeneity,
    double Completeness,
    double VMeasure,
    int RecoveredClasses,
    int EventClasses,
    double? BackgroundInBackgroundClusters,
    IReadOnlyList<ClassScore> Classes,
    IReadOnlyList<ClusterScore> Clusters,
    ConfusionTable Confusion)
{
    public const double RecoveryShare = 0.7;

    /// <summary>Scores of a class × cluster table; <paramref name="classNames"/> names its rows, <paramref name="background"/>
    /// (when present among them) is the class that is not an event.</summary>
    public static EvaluationReport Of(Contingency table, IReadOnlyList<string> classNames, string? background = TruthIntervals.Background)
    {
        var classes = new List<ClassScore>();
        var present = Enumerable.Range(0, table.Classes).Where(c => table.ClassTotal(c) > 0).ToList();
        foreach (var c in present)
        {
            var total = table.ClassTotal(c);
            var best = 0;
            for (var k = 1; k < table.Clusters; k++) if (table[c, k] > table[c, best]) best = k;
            var share = (double)table[c, best] / total;
            var purity = table.ClusterTotal(best) > 0 ? (double)table[c, best] / table.ClusterTotal(best) : 0;
            classes.Add(new ClassScore(Name(c), total, best, share, purity, share >= RecoveryShare && purity >= RecoveryShare));
        }
        var clusters = new List<ClusterScore>();
        var backgroundClusters = new HashSet<int>();
        for (var k = 0; k < table.Clusters; k++)
        {
            var total = table.ClusterTotal(k);
            if (total == 0) continue;
            var best = 0;
            for (var c = 1; c < table.Classes; c++) if (table[c, k] > table[best, k]) best = c;
            clusters.Add(new ClusterScore(k, total, Name(best), (double)table[best, k] / total));
            if (Name(best) == background) backgroundClusters.Add(k);
        }
        double? backgroundShare = null;
        var bg = background is null ? -1 : Enumerable.Range(0, classNames.Count).FirstOrDefault(c => classNames[c] == background, -1);
        if (bg >= 0 && bg < table.Classes && table.ClassTotal(bg) > 0)
            backgroundShare = (double)backgroundClusters.Sum(k => table[bg, k]) / table.ClassTotal(bg);
        var events = classes.Where(c => c.Class != background).ToList();
        var counts = present.Select(c => Enumerable.Range(0, table.Clusters).Select(k => table[c, k]).ToArray()).ToArray();
        return new EvaluationReport(table.Total, table.AdjustedRand(), table.NormalizedMutualInformation(), table.Homogeneity(),
            table.Completeness(), table.VMeasure(), events.Count(c => c.Recovered), events.Count, backgroundShare, classes, clusters,
            new ConfusionTable(present.Select(Name).ToList(), table.Clusters, counts));

        string Name(int c) => c < classNames.Count ? classNames[c] : c.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
