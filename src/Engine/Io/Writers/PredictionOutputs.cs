using System.Globalization;
using System.Text;
using Seiscat.Engine.Common;
using Seiscat.Engine.Common.Parts;

namespace Seiscat.Engine.Io.Writers;

/// <summary>What every prediction output carries besides its rows (stored as attributes in the .h5 form, so a merge
/// can rebuild the CSV and Parquet forms from .h5 shards).</summary>
public sealed record PredictionLayout(int Clusters, bool HasTimes, bool HasStations, bool HasGaps, string[] Stations, long WindowNs,
    string ModelSource, string Features)
{
    /// <summary>DAS: distance along the fibre per station; the window tables then add channel_index and fibre_distance_m.</summary>
    public double[]? StationDistanceM { get; init; }
    /// <summary>A cluster tree's label names ("0", "1.2", …; null for a flat model): the window tables then add leaf and
    /// top_cluster (the name's first number).</summary>
    public IReadOnlyList<string>? LabelNames { get; init; }

    /// <summary>Per label, its top-level cluster (from the names).</summary>
    public int[]? TopClusters => LabelNames?.Select(n => int.Parse(n.Split('.')[0], CultureInfo.InvariantCulture)).ToArray();
}

/// <summary>Consecutive predicted rows [First, First + Count): what the model computed and the window each row is.</summary>
public sealed class PredictionBlock(int capacity, int clusters)
{
    public long First;
    public int Count;
    public readonly long[] StartNs = new long[capacity];
    public readonly int[] Station = new int[capacity];
    public readonly float[] Gap = new float[capacity];
    public readonly int[] Cluster = new int[capacity];
    public readonly double[] Probability = new double[capacity];
    public readonly double[] LogLikelihood = new double[capacity];
    public readonly double[] Distance = new double[capacity];
    public readonly double[] Proba = new double[capacity * clusters];
    public int Capacity => capacity;
}

/// <summary>
/// The outputs of one predict or merge (at most one each of .csv, .parquet, .h5), fed blocks in row order. Each
/// output's bytes depend only on the rows, never on how they were split into blocks, parts or shards — which is what
/// makes resumed, sharded and merged outputs identical to a single uninterrupted run.
/// </summary>
public sealed class PredictionOutputs : IDisposable
{
    private readonly PredictionLayout _layout;
    private readonly PredictionWriter? _h5;
    private readonly WindowsParquetWriter? _parquet;
    private readonly AtomicOutput? _parquetOutput, _csvOutput;
    private readonly StreamWriter? _csv;
    private readonly int[]? _top;

    /// <param name="place">When the .h5 is a shard or checkpoint part: its place in the whole.</param>
    public PredictionOutputs(IReadOnlyList<string> paths, PredictionLayout layout, ShardPlace? place = null)
    {
        _layout = layout;
        _top = layout.TopClusters;
        var (h5, parquet, csv) = Classify(paths);
        try
        {
            if (h5 is not null)
            {
                _h5 = new PredictionWriter(h5, layout);
                if (place is { } at) _h5.SetPlace(at);
            }
            if (parquet is not null)
            {
                _parquetOutput = new AtomicOutput(parquet);
                _parquet = new WindowsParquetWriter(_parquetOutput.TempPath, fibre: layout.StationDistanceM is not null, tree: layout.LabelNames is not null);
            }
            if (csv is not null)
            {
                _csvOutput = new AtomicOutput(csv);
                _csv = new StreamWriter(_csvOutput.TempPath, false, new UTF8Encoding(false), 1 << 16);
                _csv.Write("window_start,window_end,station,cluster,probability,log_likelihood,distance,gap_fraction" +
                    (layout.StationDistanceM is null ? "" : ",channel_index,fibre_distance_m") + (layout.LabelNames is null ? "\n" : ",leaf,top_cluster\n"));
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Sorts output paths by extension; refuses unknown formats and two of a kind.</summary>
    public static (string? H5, string? Parquet, string? Csv) Classify(IReadOnlyList<string> paths)
    {
        string? h5 = null, parquet = null, csv = null;
        foreach (var path in paths)
        {
            ref var slot = ref path.EndsWith(".h5", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".hdf5", StringComparison.OrdinalIgnoreCase) ? ref h5
                : ref path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) ? ref parquet
                : ref path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? ref csv
                : ref Unknown(path);
            if (slot is not null) throw SeiscatException.For(path, null, "a second output of the same format",
                "name one .csv, one .parquet and one .h5 at most");
            slot = path;
        }
        if (paths.Count == 0) throw new SeiscatException($"predict needs an output: {Setting.Output.Ref()} labels.csv, labels.parquet or labels.h5");
        return (h5, parquet, csv);
    }

    private static ref string? Unknown(string path)
        => throw SeiscatException.For(path, null, "unknown output format", "name the output .csv, .parquet or .h5");

    /// <summary>Bytes these outputs buffer at most (whole HDF5 chunks, Parquet row groups).</summary>
    public static long BufferBytes(int clusters) => (long)PredictionWriter.RowsPerChunk * (48 + 4L * clusters) + (long)WindowsParquetWriter.RowsPerGroup * 200;

    public void Add(PredictionBlock b)
    {
        var stations = _layout.Stations;
        var names = _layout.LabelNames;
        var top = _top;
        _h5?.Append(b);
        for (var i = 0; i < b.Count; i++)
        {
            var station = _layout.HasStations ? stations[b.Station[i]] : "";
            var (locus, metres) = Fibre(station, b.Station[i]);
            _parquet?.Add(b.StartNs[i], _layout.WindowNs, station, b.Cluster[i], b.Probability[i], b.LogLikelihood[i], b.Distance[i], b.Gap[i], locus, metres,
                names?[b.Cluster[i]], top is null ? 0 : top[b.Cluster[i]]);
            if (_csv is { } csv)
            {
                var start = b.StartNs[i];
                csv.Write(_layout.HasTimes ? TimeFormat.Iso(start) : start.ToString(CultureInfo.InvariantCulture));
                csv.Write(',');
                csv.Write(_layout.HasTimes && _layout.WindowNs > 0 ? TimeFormat.Iso(start + _layout.WindowNs) : "");
                csv.Write(',');
                csv.Write(station);
                csv.Write(string.Create(CultureInfo.InvariantCulture,
                    $",{b.Cluster[i]},{b.Probability[i]:G6},{b.LogLikelihood[i]:G9},{b.Distance[i]:G6},{b.Gap[i]:G4}"));
                if (_layout.StationDistanceM is not null)
                    csv.Write(string.Create(CultureInfo.InvariantCulture,
                        $",{locus},{(double.IsNaN(metres) ? "" : metres.ToString("0.###", CultureInfo.InvariantCulture))}"));
                if (names is not null) csv.Write(string.Create(CultureInfo.InvariantCulture, $",{names[b.Cluster[i]]},{top![b.Cluster[i]]}"));
                csv.Write('\n');
            }
        }
    }

    // A DAS channel's locus (from its id) and distance along the fibre; NaN/empty for seismometers.
    private (long? Locus, double Metres) Fibre(string station, int index)
        => _layout.StationDistanceM is { } d ? (ArchiveSelection.DasLocus(station), index < d.Length ? d[index] : double.NaN) : (null, double.NaN);

    /// <summary>Finishes every output and renames them into place (the .h5 first; a kill in between leaves the others
    /// unwritten, never half-written).</summary>
    public void Complete()
    {
        _h5?.Complete();
        if (_parquet is not null)
        {
            _parquet.Complete();
            _parquet.Dispose();
            _parquetOutput!.Commit();
        }
        if (_csv is not null)
        {
            _csv.Flush();
            _csv.Dispose();
            _csvOutput!.Commit();
        }
    }

    public void Dispose()
    {
        _h5?.Dispose();
        CloseAbandoned(_parquet);
        _parquetOutput?.Dispose();
        CloseAbandoned(_csv);
        _csvOutput?.Dispose();
    }

    /// <summary>
    /// Closes a buffered writer (no-op after Complete). After a failed write (disk full, EFBIG) closing flushes the same
    /// unwritable buffer and fails again; that second error is dropped so the temporary is still deleted and the first
    /// error is the one reported.
    /// </summary>
    private static void CloseAbandoned(IDisposable? writer)
    {
        try { writer?.Dispose(); }
        catch (Exception e) when (e is IOException or ArgumentOutOfRangeException) { } // .NET raises EFBIG as the latter
    }
}
