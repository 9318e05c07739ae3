using Seiscat.Engine.Common;
using Seiscat.Engine.Common.Parts;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Io.Writers;

/// <summary>
/// Streams a prediction .h5 (h5py/pandas read it):
/// <code>
/// /cluster          int32   (n,)
/// /probability      float64 (n,)     posterior of the chosen cluster
/// /log_likelihood   float64 (n,)
/// /distance         float64 (n,)     Euclidean distance to the cluster centre in the reduced space
/// /proba            float32 (n, K)   every posterior
/// /window_start_ns  int64   (n,)     when the features had window times
/// /station_index    int32   (n,)  + /stations vlen UTF-8, when the features had stations
/// /station_distance_m float64 (n_stations,)  DAS: distance along the fibre per station
/// /gap_fraction     float32 (n,)     when the features had it
/// /top_cluster      int32   (n,)  + /label_names vlen UTF-8 (K,), a cluster tree's: each label's path ("0", "1.2")
/// attrs: n_clusters, window_ns, model_source, features, seiscat_version, n_windows, complete = 1 (last);
///        shards and checkpoint parts add shard_index, shard_count, shard_first_row, total_rows
/// </code>
/// Rows are buffered and written one whole chunk at a time, so the file's bytes depend only on its rows, not on how
/// the caller split them (blocks, parts, shards). Values are kept at the precision the CSV and Parquet forms need, so
/// <c>seiscat merge</c> can rebuild those from .h5 shards exactly.
/// </summary>
public sealed class PredictionWriter : RowOutputFile
{
    public const int RowsPerChunk = 65536;
    private const int ProbaRowsPerChunk = 16384;

    /// <summary>Shards and parts of `predict`. Rows may split anywhere: the writer's bytes depend only on its rows.</summary>
    public static readonly PartedKind Kind = new("predict", "shard_first_row", "total_rows",
        ["n_clusters", "window_ns", "model_source", "features", "seiscat_version"], Alignment: 1);

    private readonly H5Dataset _cluster, _probability, _logLikelihood, _distance, _proba;
    private readonly H5Dataset? _start, _station, _gap, _topCluster;
    private readonly int[]? _top;
    private readonly int[] _bTop = new int[RowsPerChunk];
    private readonly int _k;
    private readonly long[] _bStart = new long[RowsPerChunk];
    private readonly int[] _bStation = new int[RowsPerChunk], _bCluster = new int[RowsPerChunk];
    private readonly float[] _bGap = new float[RowsPerChunk], _bProba;
    private readonly double[] _bProbability = new double[RowsPerChunk], _bLogLikelihood = new double[RowsPerChunk], _bDistance = new double[RowsPerChunk];
    private int _buffered;
    private long _rows;

    public PredictionWriter(string path, PredictionLayout layout) : base(path, Kind, FileFormat.Prediction)
    {
        _k = layout.Clusters;
        _bProba = new float[RowsPerChunk * _k];
        try
        {
            H5DatasetOptions Column() => new() { ChunkDims = [RowsPerChunk], MaxDims = [-1], Shuffle = true, DeflateLevel = 4 };
            _cluster = File.CreateDataset<int>("cluster", [0], Column());
            _probability = File.CreateDataset<double>("probability", [0], Column());
            _logLikelihood = File.CreateDataset<double>("log_likelihood", [0], Column());
            _distance = File.CreateDataset<double>("distance", [0], Column());
            _proba = File.CreateDataset<float>("proba", [0, _k], new H5DatasetOptions
            {
                ChunkDims = [ProbaRowsPerChunk, _k],
                MaxDims = [-1, _k],
                Shuffle = true,
                DeflateLevel = 4
            });
            if (layout.HasTimes) _start = File.CreateDataset<long>("window_start_ns", [0], Column());
            if (layout.HasStations)
            {
                _station = File.CreateDataset<int>("station_index", [0], Column());
                File.WriteStringDataset("stations", layout.Stations);
                if (layout.StationDistanceM is { } d) File.WriteDataset<double>("station_distance_m", d, [d.Length]);
            }
            if (layout.HasGaps) _gap = File.CreateDataset<float>("gap_fraction", [0], Column());
            if (layout.LabelNames is { } names)
            {
                _top = layout.TopClusters;
                _topCluster = File.CreateDataset<int>("top_cluster", [0], Column());
                File.WriteStringDataset("label_names", names);
            }
            File.WriteAttribute("n_clusters", (long)_k);
            File.WriteAttribute("window_ns", layout.WindowNs);
            File.WriteAttribute("model_source", layout.ModelSource);
            File.WriteAttribute("features", layout.Features);
            File.WriteAttribute("seiscat_version", typeof(PredictionWriter).Assembly.GetName().Version?.ToString() ?? "?");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>True when the file is a prediction .h5 (as opposed to a features shard).</summary>
    public static bool IsPrediction(H5File f) => FileFormat.Prediction.Mismatch(f) is null
        && f.KindOf("cluster") == H5ObjectKind.Dataset && f.KindOf("proba") == H5ObjectKind.Dataset;

    public override long Rows => _rows + _buffered;

    public void Append(PredictionBlock b)
    {
        for (var i = 0; i < b.Count;)
        {
            var m = Math.Min(b.Count - i, RowsPerChunk - _buffered);
            b.StartNs.AsSpan(i, m).CopyTo(_bStart.AsSpan(_buffered));
            b.Station.AsSpan(i, m).CopyTo(_bStation.AsSpan(_buffered));
            b.Gap.AsSpan(i, m).CopyTo(_bGap.AsSpan(_buffered));
            b.Cluster.AsSpan(i, m).CopyTo(_bCluster.AsSpan(_buffered));
            b.Probability.AsSpan(i, m).CopyTo(_bProbability.AsSpan(_buffered));
            b.LogLikelihood.AsSpan(i, m).CopyTo(_bLogLikelihood.AsSpan(_buffered));
            b.Distance.AsSpan(i, m).CopyTo(_bDistance.AsSpan(_buffered));
            var src = b.Proba.AsSpan(i * _k, m * _k);
            var dst = _bProba.AsSpan(_buffered * _k, m * _k);
            for (var j = 0; j < src.Length; j++) dst[j] = (float)src[j];
            _buffered += m;
            i += m;
            if (_buffered == RowsPerChunk) FlushRows();
        }
    }

    protected override void FlushRows()
    {
        var m = _buffered;
        if (m == 0) return;
        var total = _rows + m;
        void Put<T>(H5Dataset ds, T[] buffer) where T : unmanaged
        {
            ds.SetExtent([total]);
            ds.WriteHyperslab<T>(buffer.AsSpan(0, m), [_rows], [m]);
        }
        Put(_cluster, _bCluster);
        Put(_probability, _bProbability);
        Put(_logLikelihood, _bLogLikelihood);
        Put(_distance, _bDistance);
        _proba.SetExtent([total, _k]);
        _proba.WriteHyperslab<float>(_bProba.AsSpan(0, m * _k), [_rows, 0], [m, _k]);
        if (_start is not null) Put(_start, _bStart);
        if (_station is not null) Put(_station, _bStation);
        if (_gap is not null) Put(_gap, _bGap);
        if (_topCluster is not null)
        {
            for (var i = 0; i < m; i++) _bTop[i] = _top![_bCluster[i]];
            Put(_topCluster, _bTop);
        }
        _rows = total;
        _buffered = 0;
    }

    protected override IEnumerable<H5Dataset?> OpenDatasets()
        => [_cluster, _probability, _logLikelihood, _distance, _proba, _start, _station, _gap, _topCluster];
}
