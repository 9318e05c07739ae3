using Seiscat.Engine.Pipeline;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Io.Writers;

/// <summary>Per-column description of the feature matrix (one entry per scattering path and channel).</summary>
public sealed record FeatureColumns(int[] Order, int[] Channel, int[] J1, int[] J2, double[] F1Hz, double[] F2Hz)
{
    public int Count => Order.Length;
}

/// <summary>
/// Streams a features.h5 (plain h5py can read it):
/// <code>
/// /features          float32 (n_windows, n_features)  chunked (rows × all columns), shuffle + deflate
/// /window_start_ns   int64   (n_windows,)   UTC ns of the window's first sample
/// /station_index     int32   (n_windows,)   index into /stations
/// /gap_fraction      float32 (n_windows,)   share of the window's samples that were missing (zero-filled)
/// /stations          vlen UTF-8 (n_stations,)
/// /coefficients/{order,channel,j1,j2} int32, {f1_hz,f2_hz} float64 (n_features,); j2 = -1, f2 = NaN for first order
/// /station_components vlen UTF-8 (n_stations,)  the channel ids of each station, comma-separated, in column order
/// attrs: config (scattering JSON), window_ns, step_ns, preprocess, gap_policy, layout, inputs (JSON), n_windows,
///        seiscat_version, complete = 1 (written last)
/// </code>
/// Rows are appended in window order; the file appears under its final name only after <see cref="Complete"/>.
/// </summary>
public sealed class FeaturesWriter : IDisposable
{
    public const int RowsPerChunk = 256;

    private readonly AtomicOutput _output;
    private readonly H5File _file;
    private readonly H5Dataset _features, _start, _station, _gap;
    private readonly int _featureCount;
    private long _rows;

    public FeaturesWriter(string path, FeatureColumns columns, IReadOnlyList<string> stations, string configJson, long windowNs, long stepNs)
    {
        _output = new AtomicOutput(path);
        _featureCount = columns.Count;
        _file = H5File.Create(_output.TempPath);
        var rows = new H5DatasetOptions { ChunkDims = [RowsPerChunk, Math.Max(1, _featureCount)], MaxDims = [-1, _featureCount], Shuffle = true, DeflateLevel = 4 };
        _features = _file.CreateDataset<float>("features", [0, _featureCount], rows);
        H5DatasetOptions Column() => new() { ChunkDims = [4096], MaxDims = [-1], Shuffle = true, DeflateLevel = 4 };
        _start = _file.CreateDataset<long>("window_start_ns", [0], Column());
        _station = _file.CreateDataset<int>("station_index", [0], Column());
        _gap = _file.CreateDataset<float>("gap_fraction", [0], Column());
        _file.WriteStringDataset("stations", stations);
        _file.WriteDataset<int>("coefficients/order", columns.Order, [_featureCount]);
        _file.WriteDataset<int>("coefficients/channel", columns.Channel, [_featureCount]);
        _file.WriteDataset<int>("coefficients/j1", columns.J1, [_featureCount]);
        _file.WriteDataset<int>("coefficients/j2", columns.J2, [_featureCount]);
        _file.WriteDataset<double>("coefficients/f1_hz", columns.F1Hz, [_featureCount]);
        _file.WriteDataset<double>("coefficients/f2_hz", columns.F2Hz, [_featureCount]);
        _file.WriteAttribute("config", configJson);
        _file.WriteAttribute("window_ns", windowNs);
        _file.WriteAttribute("step_ns", stepNs);
        _file.WriteAttribute("seiscat_version", typeof(FeaturesWriter).Assembly.GetName().Version?.ToString() ?? "?");
    }

    public long Rows => _rows;

    /// <summary>How the rows were made: preprocessing, gap policy, layout, input files (JSON list), components per station.</summary>
    public void SetProvenance(string preprocess, string gapPolicy, string layout, string inputsJson, IReadOnlyList<string> stationComponents, string fftwEffort)
    {
        // FFTW's measured plans may round differently from machine to machine; the effort used is part of the provenance.
        _file.WriteAttribute("fftw_effort", fftwEffort);
        _file.WriteAttribute("preprocess", preprocess);
        _file.WriteAttribute("gap_policy", gapPolicy);
        _file.WriteAttribute("layout", layout);
        _file.WriteAttribute("inputs", inputsJson);
        _file.WriteStringDataset("station_components", stationComponents);
    }

    /// <summary>Appends <c>startNs.Length</c> windows; <paramref name="rows"/> holds them row-major.</summary>
    public void Append(ReadOnlySpan<float> rows, ReadOnlySpan<long> startNs, ReadOnlySpan<int> station, ReadOnlySpan<float> gapFraction)
    {
        var n = startNs.Length;
        if (n == 0) return;
        if (rows.Length != (long)n * _featureCount || station.Length != n || gapFraction.Length != n)
            throw new ArgumentException("row, time, station and gap arrays disagree in length");
        var total = _rows + n;
        _features.SetExtent([total, _featureCount]);
        _features.WriteHyperslab(rows, [_rows, 0], [n, _featureCount]);
        _start.SetExtent([total]);
        _start.WriteHyperslab(startNs, [_rows], [n]);
        _station.SetExtent([total]);
        _station.WriteHyperslab(station, [_rows], [n]);
        _gap.SetExtent([total]);
        _gap.WriteHyperslab(gapFraction, [_rows], [n]);
        _rows = total;
    }

    /// <summary>This file holds windows [first, first + Rows) of <paramref name="total"/>: shard i of n (see FeaturesMerge).</summary>
    public void SetShard(int index, int count, long first, long total)
    {
        _file.WriteAttribute("shard_index", (long)index);
        _file.WriteAttribute("shard_count", (long)count);
        _file.WriteAttribute("shard_first_window", first);
        _file.WriteAttribute("total_windows", total);
    }

    /// <summary>Marks the file complete, closes it and renames it into place.</summary>
    public void Complete()
    {
        _file.WriteAttribute("n_windows", _rows);
        _file.WriteAttribute("complete", 1L);
        _file.Flush();
        CloseHandles();
        _output.Commit();
    }

    private void CloseHandles()
    {
        _features.Dispose();
        _start.Dispose();
        _station.Dispose();
        _gap.Dispose();
        _file.Dispose();
    }

    public void Dispose()
    {
        CloseHandles();
        _output.Dispose();
    }
}
