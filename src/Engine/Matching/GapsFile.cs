using System.Globalization;
using Seiscat.Engine.Common;

namespace Seiscat.Engine.Matching;

/// <summary>A stretch where a station had no data (no detection can cross it).</summary>
public readonly record struct MatchGap(string Station, long StartNs, long EndNs);

/// <summary>
/// DETECTIONS.gaps.csv, beside a detections file (and beside each block of a match checkpoint): one row per stretch a
/// station did not record — station, start, end (ISO-8601 UTC), seconds — in time order, then by station.
/// </summary>
public static class GapsFile
{
    private const string Header = "station,start,end,seconds";

    /// <summary>The gaps file of a detections file: detections.csv → detections.gaps.csv.</summary>
    public static string PathFor(string detectionsPath) => Path.ChangeExtension(detectionsPath, null) + ".gaps.csv";

    public static void Write(string path, IEnumerable<MatchGap> gaps)
    {
        using var atomic = new AtomicOutput(path);
        var ordered = gaps.OrderBy(g => g.StartNs).ThenBy(g => g.Station, StringComparer.Ordinal);
        File.WriteAllLines(atomic.TempPath, new[] { Header }.Concat(ordered.Select(g => string.Create(CultureInfo.InvariantCulture,
            $"{g.Station},{TimeFormat.Iso(g.StartNs)},{TimeFormat.Iso(g.EndNs)},{(g.EndNs - g.StartNs) / 1e9:0.###}"))));
        atomic.Commit();
    }

    public static List<MatchGap> Read(string path)
    {
        var gaps = new List<MatchGap>();
        using var reader = new StreamReader(path);
        if (reader.ReadLine() != Header)
            throw SeiscatException.For(path, null, "is not a gaps file of `seiscat match`", "delete it and run `seiscat match` again");
        var line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            var f = text.Split(',');
            if (f.Length != 4) throw SeiscatException.For(path, null, $"line {line} is damaged", "delete it and run `seiscat match` again");
            gaps.Add(new MatchGap(f[0], TimeFormat.ParseInstant(f[1], $"{path} line {line}: gap start"),
                TimeFormat.ParseInstant(f[2], $"{path} line {line}: gap end")));
        }
        return gaps;
    }
}
