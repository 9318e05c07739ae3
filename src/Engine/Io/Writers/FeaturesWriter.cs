using Seiscat.Engine.Common.Parts;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Io.Writers;


/// <summary>How a features file was made (attributes and the per-station component lists).</summary>
public sealed record FeaturesProvenance(string Preprocess, string Gaps, string Layout, string InputsJson, IReadOnlyList<string> StationComponents,
    string Effort);

/// <summary>
/// Streams a features.h5 (plain h5py can read it):
/// <code>
/// /features          float32 (n_windows, n_features)  chunked (rows × all columns), shuffle + deflate
/// /window_start_ns   int64   (n_windows,)   UTC ns of the window's first sample
/// /station_index     int32   (n_windows,)   index into /stations
/// /gap_fraction      float32 (n_windows,)   share of the window's samples that were missing (zero-filled)
/// /stations          vlen UTF-8 (n_stations,)
/// /coefficients/{order,channel,j1,j2} int32, {f1_hz,f2_hz} float64 (n_features,); j2 = -1, f2 = NaN for first order
/// /coefficients/statistic int32 (n_features,) -1: the configured pooling; 0/1/2: the extra first-order avg/max/median
/// /coefficients/computed int32 (n_features,) 1 computed, 0 pruned (always 0): only with the configuration's "prune"
/// /station_components vlen UTF-8 (n_stations,)  the channel ids of each station, comma-separated, in column order
/// attrs: config (scattering JSON), window_ns, step_ns, preprocess, gap_policy, layout, inputs (JSON), n_windows,
///        seiscat_version, complete = 1 (written last)
/// </code>
/// Rows are appended in window order; the file appears under its final name only after <see cref="RowOutputFile.Complete"/>.
/// HDF5 lays out what it is given, so the bytes depend on how rows are appended: every route (one process, checkpoint
/// parts, shards, merge) appends in batches of <see cref="AppendBatch"/>, which makes them byte-identical.
/// </summary>
public sealed class FeaturesWriter : RowOutputFile
{
    public const int RowsPerChunk = 256;

    /// <summary>Rows per append on every route; shard borders fall on multiples of it.</summary>
    public const int AppendBatch = 32;

    /// <summary>Shards and parts of `features`.</summary>
    public static readonly PartedKind Kind = new("features", "shard_first_window", "total_windows",
        ["config", "window_ns", "step_ns", "preprocess", "gap_policy", "layout", "inputs", "fftw_effort"], AppendBatch);

    private readonly H5Dataset _features, _start, _station, _gap;
    private readonly int _featureCount;
    private long _rows;

    public FeaturesWriter(string path, FeatureColumns columns, IReadOnlyList<string> stations, string configJson, long windowNs, long stepNs)
        : base(path, Kind)
    {
        _featureCount = columns.Count;
        try
        {
            var rows = new H5DatasetOptions
            {
                ChunkDims = [RowsPerChunk, Math.Max(1, _featureCount)],
                MaxDims = [-1, _featureCount],
                Shuffle = true,
                DeflateLevel = 4
            };
            _features = File.CreateDataset<float>("features", [0, _featureCount], rows);
            H5DatasetOptions Column() => new() { ChunkDims = [4096], MaxDims = [-1], Shuffle = true, DeflateLevel = 4 };
            _start = File.CreateDataset<long>("window_start_ns", [0], Column());
            _station = File.CreateDataset<int>("station_index", [0], Column());
            _gap = File.CreateDataset<float>("gap_fraction", [0], Column());
            File.WriteStringDataset("stations", stations);
            File.WriteDataset<int>("coefficients/order", columns.Order, [_featureCount]);
            File.WriteDataset<int>("coefficients/channel", columns.Channel, [_featureCount]);
            File.WriteDataset<int>("coefficients/j1", columns.J1, [_featureCount]);
            File.WriteDataset<int>("coefficients/j2", columns.J2, [_featureCount]);
            File.WriteDataset<double>("coefficients/f1_hz", columns.F1Hz, [_featureCount]);
            File.WriteDataset<double>("coefficients/f2_hz", columns.F2Hz, [_featureCount]);
            File.WriteDataset<int>("coefficients/statistic", columns.Statistic, [_featureCount]);
            if (columns.Computed is { } computed) File.WriteDataset<int>("coefficients/computed", computed, [_featureCount]);
            File.WriteAttribute("config", configJson);
            File.WriteAttribute("window_ns", windowNs);
            File.WriteAttribute("step_ns", stepNs);
            File.WriteAttribute("seiscat_version", typeof(FeaturesWriter).Assembly.GetName().Version?.ToString() ?? "?");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public override long Rows => _rows;

    /// <summary>How the rows were made: preprocessing, gap policy, layout, input files (JSON list), components per station.</summary>
    public void SetProvenance(FeaturesProvenance p)
    {
        // FFTW's measured plans may round differently from machine to machine; the effort used is part of the provenance.
        File.WriteAttribute("fftw_effort", p.Effort);
        File.WriteAttribute("preprocess", p.Preprocess);
        File.WriteAttribute("gap_policy", p.Gaps);
        File.WriteAttribute("layout", p.Layout);
        File.WriteAttribute("inputs", p.InputsJson);
        File.WriteStringDataset("station_components", p.StationComponents);
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

    protected override IEnumerable<H5Dataset?> OpenDatasets() => [_features, _start, _station, _gap];
}
