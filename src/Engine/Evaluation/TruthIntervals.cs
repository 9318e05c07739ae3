namespace Seiscat.Engine.Evaluation;

/// <summary>
/// Labelled intervals per station from a CSV of <c>start,end,class,station</c> (the truth.csv `synth` writes; ISO-8601
/// UTC times). A window takes the class of the interval of its station that overlaps it most (the earliest-starting
/// one on a tie); a window no interval overlaps is <see cref="Background"/>. Rows of class "gap" are ignored.
/// </summary>
public sealed class TruthIntervals
{
    public const string Background = "noise";

    private readonly Dictionary<string, Station> _stations;
    private readonly int _background;

    // Intervals sorted by start, and the running maximum of their ends: every interval before the first index whose
    // running maximum passes a window's start ends before the window, so the search starts there.
    private sealed record Station((long Start, long End, int Class)[] Rows, long[] MaxEnd);

    /// <summary>Class names, ordinal order; "noise" included.</summary>
    public IReadOnlyList<string> Classes { get; }

    private TruthIntervals(Dictionary<string, Station> stations, IReadOnlyList<string> classes)
    {
        _stations = stations;
        Classes = classes;
        _background = classes.ToList().IndexOf(Background);
    }

    public static TruthIntervals Load(string csv)
    {
        if (!File.Exists(csv)) throw SeiscatException.For(csv, null, "no such truth file", "pass a CSV of start,end,class,station");
        var rows = File.ReadLines(csv).Skip(1).Select(l => l.Split(',')).Where(f => f.Length >= 4 && f[2] != "gap")
            .Select(f => (Start: TimeFormat.ParseInstant(f[0], "truth start"), End: TimeFormat.ParseInstant(f[1], "truth end"), Class: f[2], Station: f[3]))
            .ToList();
        var names = rows.Select(r => r.Class).Append(Background).Distinct().Order(StringComparer.Ordinal).ToList();
        var stations = rows.GroupBy(r => r.Station).ToDictionary(g => g.Key, g =>
        {
            var sorted = g.OrderBy(r => r.Start).Select(r => (r.Start, r.End, names.IndexOf(r.Class))).ToArray();
            var maxEnd = new long[sorted.Length];
            for (var i = 0; i < sorted.Length; i++) maxEnd[i] = Math.Max(i > 0 ? maxEnd[i - 1] : long.MinValue, sorted[i].End);
            return new Station(sorted, maxEnd);
        });
        return new TruthIntervals(stations, names);
    }

    /// <summary>Index into <see cref="Classes"/> of the window [startNs, endNs) of a station.</summary>
    public int ClassOf(string station, long startNs, long endNs)
    {
        var best = _background;
        if (!_stations.TryGetValue(station, out var s)) return best;
        long bestOverlap = 0;
        var i = FirstEndingAfter(s.MaxEnd, startNs);
        for (; i < s.Rows.Length; i++)
        {
            var t = s.Rows[i];
            if (t.Start >= endNs) break;
            var overlap = Math.Min(t.End, endNs) - Math.Max(t.Start, startNs);
            if (overlap > bestOverlap) { bestOverlap = overlap; best = t.Class; }
        }
        return best;
    }

    private static int FirstEndingAfter(long[] maxEnd, long t)
    {
        int lo = 0, hi = maxEnd.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (maxEnd[mid] > t) hi = mid; else lo = mid + 1;
        }
        return lo;
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
}
