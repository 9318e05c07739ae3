using Seiscat.Engine.Io;
using Seiscat.Engine.Linear;

namespace Seiscat.Engine.Mixture;

/// <summary>
/// Each station's background for the Events recipe: the median, over its windows, of their first-order levels and
/// second-order modulation (<see cref="EventFeatures.Levels"/>). Events are what departs from it, whatever the
/// station's gain, site and instrument. Estimated from up to <see cref="RunsPerStation"/> runs of
/// <see cref="RunLength"/> consecutive windows evenly spread over the station's record (so a day-long tremor episode
/// does not become the background); a station with fewer than <see cref="MinimumWindows"/> windows has too little
/// record to know its background and takes the median over all stations. Deterministic: depends only on the source.
/// </summary>
public sealed class UnitBackgrounds
{
    public const int RunLength = 32;
    public const int RunsPerStation = 32;
    public const int MinimumWindows = 100;

    private readonly double[][] _values;

    /// <summary>Station names in the source's order, and each one's background.</summary>
    /// <summary>What the units are, for messages: "channel" when every unit is named by a channel id (NET.STA.LOC.CHA),
    /// else "station".</summary>
    public string Noun => Stations.Count > 0 && Stations.All(u => u.Count(c => c == '.') == 3) ? "channel" : "station";

    public IReadOnlyList<string> Stations { get; }
    public IReadOnlyList<double[]> Values => _values;

    private UnitBackgrounds(IReadOnlyList<string> stations, double[][] values)
    {
        Stations = stations;
        _values = values;
    }

    public ReadOnlySpan<double> For(int station) => _values[station];

    /// <summary>The backgrounds of every station of the source, for a transform with <see cref="FeatureTransform.Background"/>.</summary>
    public static UnitBackgrounds Compute(FeatureSource source, FeatureTransform transform)
        => Compute(source, transform.Layout ?? throw new ArgumentException("the transform has no event features", nameof(transform)),
            transform.Options.Floor, Counts(source));

    /// <summary>
    /// The backgrounds when the source can have them — windows with station and time, most of them at stations with
    /// enough record — else null (pre-cut segments: the recipe then uses contrasts alone).
    /// </summary>
    public static UnitBackgrounds? TryCompute(FeatureSource source, ColumnLayout layout, double floor)
    {
        if (!source.HasStations || !source.HasTimes) return null;
        var counts = Counts(source);
        return counts.Where(c => c >= MinimumWindows).Sum() >= counts.Sum() / 2 ? Compute(source, layout, floor, counts) : null;
    }

    private static UnitBackgrounds Compute(FeatureSource source, ColumnLayout layout, double floor, long[] counts)
    {
        var events = new EventFeatures(layout);
        var stations = counts.Length;
        var length = events.BackgroundLength;
        // Which local windows (the i-th window of its station) are read: RunsPerStation runs spread evenly.
        var wanted = counts.Select(Runs).ToArray();
        var levels = counts.Select((_, s) => new List<double[]>()).ToArray();
        var seen = new long[stations];
        const int block = 4096;
        var starts = new long[block];
        var station = new int[block];
        var gaps = new float[block];
        var rows = new double[block * source.Columns];
        for (long first = 0; first < source.Rows; first += block)
        {
            var n = (int)Math.Min(block, source.Rows - first);
            source.ReadMeta(first, n, starts, station, gaps);
            var any = false;
            var local = new long[n];
            for (var i = 0; i < n; i++)
            {
                var s = station[i];
                local[i] = seen[s]++;
                any |= wanted[s].Contains(local[i]);
            }
            if (!any) continue;
            source.ReadRows(first, n, rows);
            for (var i = 0; i < n; i++)
            {
                if (!wanted[station[i]].Contains(local[i])) continue;
                var v = new double[length];
                events.Levels(rows.AsSpan(i * source.Columns, source.Columns), floor, v);
                levels[station[i]].Add(v);
            }
        }
        var pooled = levels.SelectMany(l => l).ToList();
        var global = Median(pooled, length);
        var values = Enumerable.Range(0, stations).Select(s => counts[s] >= MinimumWindows && levels[s].Count > 0 ? Median(levels[s],
            length) : global).ToArray();
        return new UnitBackgrounds(source.Stations.Length > 0 ? source.Stations : [""], values);
    }

    // The local indices read from a station of `count` windows.
    private static HashSet<long> Runs(long count)
    {
        var set = new HashSet<long>();
        if (count <= (long)RunLength * RunsPerStation)
        {
            for (long i = 0; i < count; i++) set.Add(i);
            return set;
        }
        for (var r = 0; r < RunsPerStation; r++)
        {
            var start = (count - RunLength) * r / (RunsPerStation - 1);
            for (var i = 0; i < RunLength; i++) set.Add(start + i);
        }
        return set;
    }

    private static long[] Counts(FeatureSource source)
    {
        var counts = new long[Math.Max(1, source.Stations.Length)];
        source.ForEachMeta((_, _, station) => counts[station]++);
        return counts;
    }

    private static double[] Median(List<double[]> rows, int length)
    {
        var result = new double[length];
        if (rows.Count == 0) return result;
        var column = new double[rows.Count];
        for (var j = 0; j < length; j++)
        {
            for (var i = 0; i < rows.Count; i++) column[i] = rows[i][j];
            Array.Sort(column);
            var m = column.Length;
            result[j] = (m & 1) == 1 ? column[m / 2] : (column[m / 2 - 1] + column[m / 2]) / 2;
        }
        return result;
    }

    /// <summary>
    /// The backgrounds a model's predictor uses on a source: the fit's own for the stations it saw (so every file of
    /// those stations is labelled on one scale), the source's for stations it did not; null when the model's transform
    /// takes no backgrounds. Deterministic and independent of shards: computed from the whole source.
    /// </summary>
    public static UnitBackgrounds? ForPrediction(ClusterModel model, FeatureSource source)
    {
        if (!model.Transform.Background) return null;
        var names = source.Stations.Length > 0 ? source.Stations : [""];
        var known = new Dictionary<string, double[]>();
        if (model.Backgrounds is { } fitted)
            for (var s = 0; s < fitted.Stations.Count; s++) known[fitted.Stations[s]] = fitted._values[s];
        UnitBackgrounds? own = null;
        var values = new double[names.Length][];
        for (var s = 0; s < names.Length; s++)
            values[s] = known.TryGetValue(names[s], out var v) ? v : (own ??= Compute(source, model.Transform))._values[s];
        return new UnitBackgrounds(names, values);
    }

    /// <summary>A table read back from model.h5 (the fit's, for provenance and for sources without station metadata).</summary>
    public static UnitBackgrounds FromTable(IReadOnlyList<string> stations, double[][] values) => new(stations, values);
}
