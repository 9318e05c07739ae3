using Seiscat.Engine.Evaluation;
using Seiscat.Engine.Io;

namespace Seiscat.Engine.Pipeline;

/// <summary>`seiscat evaluate`: a prediction output scored against labelled intervals or per-row labels.</summary>
public static class EvaluateJob
{
    /// <summary>Labels from intervals (truth.csv: start, end, class, station): each window takes the class of the interval
    /// of its station that overlaps it most.</summary>
    public static EvaluationReport AgainstIntervals(string predictions, string truthCsv)
    {
        var truth = TruthIntervals.Load(truthCsv);
        var table = new Contingency(truth.Classes.Count, 1);
        PredictionFile.ForEach(predictions, w => table.Add(truth.ClassOf(w.Station, TimeFormat.AsWritten(w.StartNs), TimeFormat.AsWritten(w.EndNs)),
            w.Cluster));
        return EvaluationReport.Of(table, truth.Classes);
    }

    /// <summary>One line: the scores and how many event classes were recovered.</summary>
    public static string Summary(EvaluationReport r) => FormattableString.Invariant(
        $"adjusted Rand index {r.AdjustedRand:0.000}, NMI {r.NormalizedMutualInfo:0.000}, {r.RecoveredClasses} of {r.EventClasses} event classes recovered") +
        (r.BackgroundInBackgroundClusters is { } b ? FormattableString.Invariant($", {b:P1} of noise in noise clusters") : "") +
        FormattableString.Invariant($" ({r.Windows} windows)");

    /// <summary>A line per class: where its windows went.</summary>
    public static IEnumerable<string> Describe(EvaluationReport r) => r.Classes.Select(c => FormattableString.Invariant(
        $"  {c.Class,-11} {c.Windows,7} windows, {c.Purity,4:P0} in cluster {c.MajorityCluster,2} ({c.ClusterPurity:P0} of it){(c.Recovered ? "  " +
            "recovered" : "")}"));

    /// <summary>Labels aligned row by row with the predictions (pre-cut segments).</summary>
    public static EvaluationReport AgainstRows(string predictions, string labelsFile, string labelsDataset)
    {
        var labels = RowLabels.Load(labelsFile, labelsDataset);
        var table = new Contingency(labels.Classes.Count, 1);
        var rows = PredictionFile.ForEach(predictions, w =>
        {
            if (w.Row >= labels.Count)
                throw SeiscatException.For(labelsFile, labelsDataset, $"holds {labels.Count} labels but {predictions} has more rows",
                    "pass the labels of the segments the predictions were made from");
            table.Add(labels.ClassOf(w.Row), w.Cluster);
        });
        if (rows != labels.Count)
            throw SeiscatException.For(labelsFile, labelsDataset, $"holds {labels.Count} labels but {predictions} has {rows} rows",
                "pass the labels of the segments the predictions were made from");
        return EvaluationReport.Of(table, labels.Classes, background: labels.Classes.Contains(TruthIntervals.Background) ? TruthIntervals.Background : null);
    }
}
