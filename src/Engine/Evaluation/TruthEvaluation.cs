using Seiscat.Engine.Io.Writers;

namespace Seiscat.Engine.Evaluation;

/// <summary>
/// Scores clusters against labelled intervals (truth.csv), streamed from predicted blocks: each window takes its class
/// from <see cref="TruthIntervals"/> (times as windows.csv writes them) and a class × cluster table accumulates, so
/// labelling a terabyte is scored in the same pass, in O(classes × clusters) memory.
/// </summary>
public sealed class TruthEvaluation(TruthIntervals truth, IReadOnlyList<string> stations, long windowNs) : IPredictionTap
{
    private readonly Contingency _table = new(truth.Classes.Count, 1);

    public void Add(PredictionBlock b, ReadOnlySpan<double> rows) => Add(b);

    public void Add(PredictionBlock b)
    {
        for (var i = 0; i < b.Count; i++)
        {
            var station = stations.Count > 0 ? stations[b.Station[i]] : "";
            var start = TimeFormat.AsWritten(b.StartNs[i]);
            var end = TimeFormat.AsWritten(b.StartNs[i] + windowNs);
            _table.Add(truth.ClassOf(station, start, end), b.Cluster[i]);
        }
    }

    public EvaluationReport Report() => EvaluationReport.Of(_table, truth.Classes);
}
