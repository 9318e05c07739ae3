using System.Globalization;
using System.Text;
using Parquet;
using Parquet.Schema;
using Seiscat.Engine.Common;

namespace Seiscat.Engine.Matching;

/// <summary>
/// One detection of a template group: the onset time at the group's first station (UTC ns), the stations and templates
/// that voted, the mean correlation, the threshold it passed (threshold × MAD of its block's trace), its multiple of
/// the MAD, and the amplitude ratio to the template (geometric mean over stations and components of window norm ÷
/// template norm; log10 of it is a relative magnitude).
/// </summary>
public readonly record struct Detection(long TimeNs, int Group, int Cluster, string Stations, string Templates, double Correlation, double Threshold,
    double MadMultiple, double AmplitudeRatio);

/// <summary>
/// detections.csv / .parquet: one row per detection in time order, columns time (ISO-8601 UTC), time_ns, stations,
/// templates, group, cluster, correlation, threshold, mad_multiple, amplitude_ratio. The CSV form is also the checkpoint
/// part format, so the same reader serves resume, merge and the report.
/// </summary>
public static class DetectionsFile
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    private const string Header = "time,time_ns,stations,templates,group,cluster,correlation,threshold,mad_multiple,amplitude_ratio";

    public static bool IsParquet(string path) => path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);

    /// <summary>Checks an output name up front: .csv or .parquet.</summary>
    public static void CheckName(string path)
    {
        if (!path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) && !IsParquet(path))
            throw SeiscatException.For(path, null, "is neither .csv nor .parquet", "name the detections file detections.csv or detections.parquet");
    }

    public static void Write(string path, IReadOnlyList<Detection> rows)
    {
        using var atomic = new AtomicOutput(path);
        if (IsParquet(path)) WriteParquet(atomic.TempPath, rows).GetAwaiter().GetResult();
        else
        {
            var text = new StringBuilder(Header).Append('\n');
            foreach (var d in rows)
                text.Append(C, $"{TimeFormat.Iso(d.TimeNs)},{d.TimeNs},{d.Stations},{d.Templates},{d.Group},{d.Cluster},")
                    .Append(C, $"{d.Correlation:0.000000},{d.Threshold:0.000000},{d.MadMultiple:0.000},{d.AmplitudeRatio:0.000000}\n");
            File.WriteAllText(atomic.TempPath, text.ToString());
        }
        atomic.Commit();
    }

    /// <summary>A detection as the CSV holds it (correlation, threshold and amplitude to six decimals, the MAD multiple to
    /// three), so a run that resumed blocks from their CSV parts declusters exactly the values an uninterrupted run does.</summary>
    public static Detection AsWritten(Detection d) => d with
    {
        Correlation = Stored(d.Correlation, "0.000000"),
        Threshold = Stored(d.Threshold, "0.000000"),
        MadMultiple = Stored(d.MadMultiple, "0.000"),
        AmplitudeRatio = Stored(d.AmplitudeRatio, "0.000000"),
    };

    private static double Stored(double value, string format) => double.Parse(value.ToString(format, C), C);

    public static List<Detection> ReadCsv(string path)
    {
        var rows = new List<Detection>();
        using var reader = new StreamReader(path);
        if (reader.ReadLine() != Header) throw SeiscatException.For(path, null, "is not a detections CSV", "pass a detections.csv that `seiscat match` wrote");
        var line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            var f = text.Split(',');
            try
            {
                rows.Add(new Detection(long.Parse(f[1], C), int.Parse(f[4], C), int.Parse(f[5], C), f[2], f[3], double.Parse(f[6], C),
                    double.Parse(f[7], C), double.Parse(f[8], C), double.Parse(f[9], C)));
            }
            catch (Exception e) when (e is FormatException or IndexOutOfRangeException or OverflowException)
            {
                throw SeiscatException.For(path, null, $"line {line} is damaged", "delete the file and run `seiscat match` again");
            }
        }
        return rows;
    }

    private static async Task WriteParquet(string path, IReadOnlyList<Detection> rows)
    {
        DataField<string> time = new("time"), stations = new("stations"), templates = new("templates");
        DataField<long> timeNs = new("time_ns");
        DataField<int> group = new("group"), cluster = new("cluster");
        DataField<double> correlation = new("correlation"), threshold = new("threshold"), mad = new("mad_multiple"), amplitude = new("amplitude_ratio");
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(time, timeNs, stations, templates, group, cluster, correlation,
            threshold, mad, amplitude), stream);
        using var g = writer.CreateRowGroup();
        await g.WriteAsync(time, rows.Select(d => TimeFormat.Iso(d.TimeNs)).ToList());
        await g.WriteAsync<long>(timeNs, rows.Select(d => d.TimeNs).ToArray().AsMemory());
        await g.WriteAsync(stations, rows.Select(d => d.Stations).ToList());
        await g.WriteAsync(templates, rows.Select(d => d.Templates).ToList());
        await g.WriteAsync<int>(group, rows.Select(d => d.Group).ToArray().AsMemory());
        await g.WriteAsync<int>(cluster, rows.Select(d => d.Cluster).ToArray().AsMemory());
        await g.WriteAsync<double>(correlation, rows.Select(d => d.Correlation).ToArray().AsMemory());
        await g.WriteAsync<double>(threshold, rows.Select(d => d.Threshold).ToArray().AsMemory());
        await g.WriteAsync<double>(mad, rows.Select(d => d.MadMultiple).ToArray().AsMemory());
        await g.WriteAsync<double>(amplitude, rows.Select(d => d.AmplitudeRatio).ToArray().AsMemory());
    }

    /// <summary>
    /// Keeps, within each group, the strongest detection of every stretch shorter than <paramref name="separationNs"/>
    /// (strongest first; ties: the earlier), and returns them in time order.
    /// </summary>
    public static List<Detection> Decluster(IEnumerable<Detection> detections, long separationNs)
    {
        var kept = new List<Detection>();
        foreach (var group in detections.GroupBy(d => d.Group))
        {
            var chosen = new SortedSet<long>();
            foreach (var d in group.OrderByDescending(d => d.Correlation).ThenBy(d => d.TimeNs))
            {
                var near = chosen.GetViewBetween(d.TimeNs - separationNs + 1, d.TimeNs + separationNs - 1);
                if (near.Count > 0) continue;
                chosen.Add(d.TimeNs);
                kept.Add(d);
            }
        }
        return kept.OrderBy(d => d.TimeNs).ThenBy(d => d.Group).ToList();
    }
}
