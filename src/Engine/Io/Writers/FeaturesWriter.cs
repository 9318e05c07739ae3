using Seiscat.Engine.Common;
using Seiscat.Engine.Common.Parts;
using Seiscat.Engine.Io.Storage;
using Seiscat.Native.Deflate;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Io.Writers;

/// <summary>How a features file was made (attributes and the per-station component lists).</summary>
public sealed record FeaturesProvenance(string Preprocess, string Gaps, string Layout, string InputsJson, IReadOnlyList<string> StationComponents,
    string Effort)
{
    /// <summary>DAS: each station's (channel's) distance along the fibre in metres (NaN where the file gives no spacing);
    /// null for seismometers.</summary>
    public double[]? StationDistanceM { get; init; }
}

/// <summary>
/// Streams a features.h5 (plain h5py can read it):
/// <code>
/// /features          float32 (n_windows, n_features)  chunked (64 rows × all columns), shuffle + deflate
/// /window_start_ns   int64   (n_windows,)   UTC ns of the window's first sample
/// /station_index     int32   (n_windows,)   index into /stations
/// /gap_fraction      float32 (n_windows,)   share of the window's samples that were missing (zero-filled)
/// /stations          vlen UTF-8 (n_stations,)
/// /station_distance_m float64 (n_stations,)   DAS only: distance along the fibre (locus × channel spacing; NaN if unknown)
/// /coefficients/{order,channel,j1,j2} int32, {f1_hz,f2_hz} float64 (n_features,); j2 = -1, f2 = NaN for first order
/// /coefficients/statistic int32 (n_features,) -1: the configured pooling; 0/1/2: the extra first-order avg/max/median
/// /coefficients/computed int32 (n_features,) 1 computed, 0 pruned (always 0): only with the configuration's "prune"
/// /station_components vlen UTF-8 (n_stations,)  the channel ids of each station, comma-separated, in column order
/// attrs: config (scattering JSON), window_ns, step_ns, preprocess, gap_policy, layout, inputs (JSON), n_windows,
///        seiscat_version, complete = 1 (written last)
/// </code>
/// Rows are appended in window order; the file appears under its final name only after <see cref="RowOutputFile.Complete"/>.
/// <para>
/// The features are stored one whole chunk at a time with H5Dwrite_chunk, already compressed (<see cref="ChunkEncoder"/>:
/// the bytes HDF5's own filters would produce). Two reasons. Compression, the writer's main cost, moves to the threads
/// that computed the rows (<see cref="AppendChunk"/>). And the bytes of a file depend only on its chunks, not on how
/// rows arrived, so joining shards or checkpoint parts copies their stored chunks unchanged (shard and part borders
/// fall on chunk borders: <see cref="Kind"/>'s alignment) and the result is the one-process file byte for byte.
/// </para>
/// </summary>
public sealed class FeaturesWriter : RowOutputFile
{
    /// <summary>Rows per chunk of /features: 64 rows of a few hundred coefficients are ~100 KB, in HDF5's sweet spot,
    /// and a sampled read (fit) inflates little beyond the row it wants.</summary>
    public const int RowsPerChunk = 64;

    /// <summary>Deflate level 1: coefficients are float32 whose low mantissa bits are noise, so deflate saves about a third
    /// at any level (shuffled rows of the default network with libdeflate: 0.647 of raw at level 1, 0.635 at 4) while
    /// level 4 costs 22 µs per window against 13 — the fast network takes ≈ 350 µs.</summary>
    public const int DeflateLevel = 1;

    /// <summary>Shards and parts of `features`: they start on chunk borders.</summary>
    public static readonly PartedKind Kind = new("features", "shard_first_window", "total_windows",
        ["config", "window_ns", "step_ns", "preprocess", "gap_policy", "layout", "inputs", "fftw_effort"], RowsPerChunk);

    private readonly H5Dataset _features, _start, _station, _gap;
    private readonly int _featureCount;
    private readonly float[] _pending;
    private readonly long[] _pendingStart = new long[RowsPerChunk];
    private readonly int[] _pendingStation = new int[RowsPerChunk];
    private readonly float[] _pendingGap = new float[RowsPerChunk];
    private ChunkEncoder? _encoder;
    private int _pendingRows;
    private long _rows;
    private bool _ended;

    public FeaturesWriter(string path, FeatureColumns columns, IReadOnlyList<string> stations, string configJson, long windowNs, long stepNs)
        : base(path, Kind, FileFormat.Features)
    {
        _featureCount = columns.Count;
        _pending = new float[RowsPerChunk * _featureCount];
        try
        {
            var rows = new H5DatasetOptions
            {
                ChunkDims = [RowsPerChunk, Math.Max(1, _featureCount)],
                MaxDims = [-1, _featureCount],
                Shuffle = true,
                DeflateLevel = DeflateLevel
            };
            _features = File.CreateDataset<float>("features", [0, _featureCount], rows);
            H5DatasetOptions Column() => new() { ChunkDims = [4096], MaxDims = [-1], Shuffle = true, DeflateLevel = DeflateLevel };
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

    public override long Rows => _rows + _pendingRows;

    /// <summary>An encoder for chunks of <paramref name="featureCount"/> columns (one per thread).</summary>
    public static ChunkEncoder NewEncoder(int featureCount) => new(RowsPerChunk * featureCount * sizeof(float), sizeof(float), DeflateLevel);

    /// <summary>Bytes an encoder of <see cref="NewEncoder"/> holds.</summary>
    public static long NewEncoderBytes(int featureCount) => ChunkEncoder.BytesFor(RowsPerChunk * featureCount * sizeof(float));

    /// <summary>The most bytes one stored chunk of <paramref name="featureCount"/> columns takes.</summary>
    public static int StoredChunkBound(int featureCount) => DeflateCompressor.Bound(RowsPerChunk * featureCount * sizeof(float));

    protected override void ReleaseResources() => _encoder?.Dispose();

    /// <summary>
    /// Encodes the first <paramref name="count"/> rows of <paramref name="chunkRows"/> (room for a whole chunk) as one
    /// chunk for <see cref="AppendChunk"/>; rows past <paramref name="count"/> are zeroed first (the last, partial chunk).
    /// </summary>
    public static ReadOnlySpan<byte> EncodeChunk(ChunkEncoder encoder, Span<float> chunkRows, int count)
    {
        var used = chunkRows.Length / RowsPerChunk * count;
        chunkRows[used..].Clear();
        return encoder.Encode<float>(chunkRows);
    }

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
        if (p.StationDistanceM is { } distance) File.WriteDataset<double>("station_distance_m", distance, [distance.Length]);
    }

    /// <summary>Appends <c>startNs.Length</c> windows; <paramref name="rows"/> holds them row-major. Whole chunks are
    /// encoded and stored as they fill.</summary>
    public void Append(ReadOnlySpan<float> rows, ReadOnlySpan<long> startNs, ReadOnlySpan<int> station, ReadOnlySpan<float> gapFraction)
    {
        var n = startNs.Length;
        if (rows.Length != (long)n * _featureCount || station.Length != n || gapFraction.Length != n)
            throw new ArgumentException("row, time, station and gap arrays disagree in length");
        for (var i = 0; i < n;)
        {
            if (_pendingRows == 0) ThrowIfEnded();
            var m = Math.Min(n - i, RowsPerChunk - _pendingRows);
            rows.Slice(i * _featureCount, m * _featureCount).CopyTo(_pending.AsSpan(_pendingRows * _featureCount));
            startNs.Slice(i, m).CopyTo(_pendingStart.AsSpan(_pendingRows));
            station.Slice(i, m).CopyTo(_pendingStation.AsSpan(_pendingRows));
            gapFraction.Slice(i, m).CopyTo(_pendingGap.AsSpan(_pendingRows));
            _pendingRows += m;
            i += m;
            if (_pendingRows == RowsPerChunk) FlushRows();
        }
    }

    /// <summary>
    /// Appends one chunk's windows whose features are already encoded (<see cref="EncodeChunk"/>, or a chunk read
    /// unchanged from another features file with the same columns): a whole chunk, or fewer rows as the file's last.
    /// Only at a chunk border (nothing pending from <see cref="Append"/>).
    /// </summary>
    public void AppendChunk(ReadOnlySpan<byte> stored, ReadOnlySpan<long> startNs, ReadOnlySpan<int> station, ReadOnlySpan<float> gapFraction)
    {
        var n = startNs.Length;
        if (n is < 1 or > RowsPerChunk || station.Length != n || gapFraction.Length != n)
            throw new ArgumentException("a chunk holds 1 to RowsPerChunk windows, with as many times, stations and gaps");
        if (_pendingRows != 0) throw new InvalidOperationException("an encoded chunk can only follow whole chunks");
        ThrowIfEnded();
        Store(stored, startNs, station, gapFraction);
    }

    protected override void FlushRows()
    {
        if (_pendingRows == 0) return;
        _encoder ??= NewEncoder(_featureCount);
        var n = _pendingRows;
        var stored = EncodeChunk(_encoder, _pending, n);
        _pendingRows = 0;
        Store(stored, _pendingStart.AsSpan(0, n), _pendingStation.AsSpan(0, n), _pendingGap.AsSpan(0, n));
    }

    // Every route (rows, encoded chunks, merged chunks) ends here with the same calls for the same chunk, which is what
    // keeps their files identical.
    private void Store(ReadOnlySpan<byte> stored, ReadOnlySpan<long> startNs, ReadOnlySpan<int> station, ReadOnlySpan<float> gapFraction)
    {
        var n = startNs.Length;
        var total = _rows + n;
        _features.SetExtent([total, _featureCount]);
        _features.WriteChunk([_rows, 0], 0, stored);
        _start.SetExtent([total]);
        _start.WriteHyperslab(startNs, [_rows], [n]);
        _station.SetExtent([total]);
        _station.WriteHyperslab(station, [_rows], [n]);
        _gap.SetExtent([total]);
        _gap.WriteHyperslab(gapFraction, [_rows], [n]);
        _rows = total;
        _ended = n < RowsPerChunk;
    }

    private void ThrowIfEnded()
    {
        if (_ended) throw new InvalidOperationException("a partial chunk ends a features file; nothing can follow it");
    }

    protected override IEnumerable<H5Dataset?> OpenDatasets() => [_features, _start, _station, _gap];
}
