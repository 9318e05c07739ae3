using System.Globalization;
using Seiscat.Engine.Mixture;

namespace Seiscat.Engine.Pipeline;

public sealed record ClassScore(string Class, int Windows, int MajorityCluster, double Purity);

public sealed record TruthReport(int Windows, double AdjustedRand, IReadOnlyList<ClassScore> Classes);

/// <summary>
/// How well clusters recover planted classes (synth's truth.csv: start,end,class,station): each window takes the class
/// of the truth row of its station that overlaps it most (gaps ignored; no overlap = "noise"); reported are the
/// adjusted Rand index between clusters and classes and, per class, the share of its windows in its most common cluster.
/// </summary>
public static class TruthEvaluation
{
    public static TruthReport Evaluate(string truthCsv, IReadOnlyList<(long StartNs, long EndNs, string Station, int Cluster)> windows)
    {
        var truth = File.ReadLines(truthCsv).Skip(1).Select(l => l.Split(',')).Where(f => f.Length >= 4 && f[2] != "gap")
            .Select(f => (Start: TimeFormat.ParseInstant(f[0], "truth start"), End: TimeFormat.ParseInstant(f[1], "truth end"), Class: f[2], Station: f[3]))
            .GroupBy(t => t.Station).ToDictionary(g => g.Key, g => g.OrderBy(t => t.Start).ToList());
        var classes = new List<string>();
        foreach (var w in windows)
        {
            var best = "noise";
            long bestOverlap = 0;
            if (truth.TryGetValue(w.Station, out var rows))
                foreach (var t in rows)
                {
                    if (t.Start >= w.EndNs) break;
                    var overlap = Math.Min(t.End, w.EndNs) - Math.Max(t.Start, w.StartNs);
                    if (overlap > bestOverlap) { bestOverlap = overlap; best = t.Class; }
                }
            classes.Add(best);
        }
        var names = classes.Distinct().Order(StringComparer.Ordinal).ToList();
        var classIds = classes.Select(c => names.IndexOf(c)).ToArray();
        var clusters = windows.Select(w => w.Cluster).ToArray();
        var scores = names.Select(name =>
        {
            var members = windows.Where((_, i) => classes[i] == name).GroupBy(w => w.Cluster).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).ToList();
            var total = members.Sum(g => g.Count());
            return new ClassScore(name, total, members[0].Key, (double)members[0].Count() / total);
        }).ToList();
        return new TruthReport(windows.Count, Stability.AdjustedRandIndex(clusters, classIds), scores);
    }

    /// <summary>truth.csv beside an input (a folder holding it, or a file's folder).</summary>
    public static string? Find(IEnumerable<string> inputs)
    {
        foreach (var p in inputs)
        {
            var dir = Directory.Exists(p) ? p : Path.GetDirectoryName(Path.GetFullPath(p));
            var candidate = dir is null ? null : Path.Combine(dir, "truth.csv");
            if (candidate is not null && File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>Reads windows.csv as written by <see cref="Prediction"/>.</summary>
    public static List<(long, long, string, int)> ReadWindows(string csv) => File.ReadLines(csv).Skip(1).Select(l => l.Split(','))
        .Select(f => (TimeFormat.ParseInstant(f[0], "window_start"), TimeFormat.ParseInstant(f[1], "window_end"), f[2], int.Parse(f[3], CultureInfo.InvariantCulture))).ToList();
}
