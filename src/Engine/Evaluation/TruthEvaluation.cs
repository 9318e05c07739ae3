using Seiscat.Engine.Io.Writers;

namespace Seiscat.Engine.Evaluation;

public sealed record ClassScore(string Class, int Windows, int MajorityCluster, double Purity);

public sealed record TruthReport(int Windows, double AdjustedRand, IReadOnlyList<ClassScore> Classes);

/// <summary>
/// How well clusters recover labelled classes, streamed from predicted blocks: each window takes its class from
/// <see cref="TruthIntervals"/> (times as windows.csv writes them), and a class × cluster table accumulates. Reported:
/// the adjusted Rand index between clusters and classes and, per class present, its most common cluster (the lowest
/// on a tie) and the share of the class's windows in it.
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

    public TruthReport Report()
    {
        var scores = new List<ClassScore>();
        for (var c = 0; c < truth.Classes.Count; c++)
        {
            var total = _table.ClassTotal(c);
            if (total == 0) continue;
            var best = 0;
            for (var k = 1; k < _table.Clusters; k++) if (_table[c, k] > _table[c, best]) best = k;
            scores.Add(new ClassScore(truth.Classes[c], (int)total, best, (double)_table[c, best] / total));
        }
        return new TruthReport((int)_table.Total, _table.AdjustedRand(), scores);
    }
}
