using System.Globalization;
using Parquet;
using Parquet.Schema;
using Seiscat.Engine.Common;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Io;

/// <summary>One labelled window of a prediction output: its row, cluster, span in UTC ns (or row numbers when the
/// features had no times) and station ("" when none).</summary>
public readonly record struct PredictedWindow(long Row, int Cluster, long StartNs, long EndNs, string Station);

/// <summary>
/// Reads the per-window labels `predict` wrote, in row order, from any of its formats: the .h5 (window_start_ns,
/// station_index + stations, cluster; window_ns attribute), the .csv (window_start, window_end, station, cluster) or
/// the .parquet (window_start_ns, window_end, station, cluster). Streams: memory does not grow with the rows.
/// </summary>
public static class PredictionFile
{
    public static long ForEach(string path, Action<PredictedWindow> visit)
    {
        if (!File.Exists(path)) throw SeiscatException.For(path, null, "no such file", "pass the windows.h5, .csv or .parquet that predict or run wrote");
        if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) return Csv(path, visit);
        if (path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)) return ParquetRows(path, visit);
        return Hdf5(path, visit);
    }

    private static long Hdf5(string path, Action<PredictedWindow> visit)
    {
        if (!H5File.IsHdf5(path)) throw SeiscatException.For(path, null, "is not HDF5, CSV or Parquet",
            "pass the windows.h5, .csv or .parquet that predict or run wrote");
        Hdf5Vetting.Ensure([path]);
        using var f = H5File.OpenRead(path);
        FileFormat.Prediction.Ensure(f, path);
        if (f.KindOf("cluster") != H5ObjectKind.Dataset)
            throw SeiscatException.For(path, "/cluster", "missing: not a prediction file", "pass the .h5 that seiscat predict wrote");
        using var cluster = f.OpenDataset("cluster");
        var n = cluster.Dims[0];
        var windowNs = f.HasAttribute("window_ns") ? f.ReadInt64Attribute("window_ns") : 0;
        var stations = f.KindOf("stations") == H5ObjectKind.Dataset ? f.ReadStringDataset("stations") : [];
        using var starts = f.KindOf("window_start_ns") == H5ObjectKind.Dataset ? f.OpenDataset("window_start_ns") : null;
        using var station = f.KindOf("station_index") == H5ObjectKind.Dataset ? f.OpenDataset("station_index") : null;
        const int block = 65536;
        var c = new int[block];
        var t = new long[block];
        var s = new int[block];
        for (long first = 0; first < n; first += block)
        {
            var m = (int)Math.Min(block, n - first);
            cluster.ReadHyperslab<int>(c.AsSpan(0, m), [first], [m]);
            if (starts is not null) starts.ReadHyperslab<long>(t.AsSpan(0, m), [first], [m]);
            if (station is not null) station.ReadHyperslab<int>(s.AsSpan(0, m), [first], [m]);
            for (var i = 0; i < m; i++)
            {
                var start = starts is null ? first + i : t[i];
                var name = station is not null && (uint)s[i] < (uint)stations.Length ? stations[s[i]] : "";
                visit(new PredictedWindow(first + i, c[i], start, start + windowNs, name));
            }
        }
        return n;
    }

    private static long Csv(string path, Action<PredictedWindow> visit)
    {
        long row = 0;
        using var reader = new StreamReader(path);
        var header = reader.ReadLine()?.Split(',') ?? [];
        int Column(string name) => Array.IndexOf(header, name) is var i and >= 0 ? i
            : throw SeiscatException.For(path, null, $"has no '{name}' column", "pass the windows.csv that predict or run wrote");
        var (start, end, station, cluster) = (Column("window_start"), Column("window_end"), Column("station"), Column("cluster"));
        while (reader.ReadLine() is { } line)
        {
            var f = line.Split(',');
            if (f.Length < header.Length) throw SeiscatException.For(path, null, $"line {row + 2} has {f.Length} fields, the header {header.Length}",
                "the file is truncated");
            var t0 = TimeFormat.ParseInstant(f[start], "window_start");
            var t1 = f[end].Length > 0 ? TimeFormat.ParseInstant(f[end], "window_end") : t0;
            if (!int.TryParse(f[cluster], NumberStyles.Integer, CultureInfo.InvariantCulture, out var k))
                throw SeiscatException.For(path, null, $"line {row + 2}: cluster '{f[cluster]}' is not a number", "the file is damaged");
            visit(new PredictedWindow(row++, k, t0, t1, f[station]));
        }
        return row;
    }

    private static long ParquetRows(string path, Action<PredictedWindow> visit) => ParquetRowsAsync(path, visit).GetAwaiter().GetResult();

    private static async Task<long> ParquetRowsAsync(string path, Action<PredictedWindow> visit)
    {
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.GetDataFields();
        DataField Field(string name) => fields.FirstOrDefault(f => f.Name == name)
            ?? throw SeiscatException.For(path, null, $"has no '{name}' column", "pass the windows.parquet that predict or run wrote");
        var (startF, endF, stationF, clusterF) = (Field("window_start_ns"), Field("window_end"), Field("station"), Field("cluster"));
        long row = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var n = (int)group.RowCount;
            var starts = new long[n];
            var ends = new string[n];
            var stations = new string[n];
            var clusters = new int[n];
            await group.ReadAsync<long>(startF, starts);
            await group.ReadAsync(endF, ends);
            await group.ReadAsync(stationF, stations);
            await group.ReadAsync<int>(clusterF, clusters);
            for (var i = 0; i < n; i++)
            {
                var end = string.IsNullOrEmpty(ends[i]) ? starts[i] : TimeFormat.ParseInstant(ends[i], "window_end");
                visit(new PredictedWindow(row++, clusters[i], starts[i], end, stations[i] ?? ""));
            }
        }
        return row;
    }
}
