using Parquet;
using Parquet.Schema;

namespace Seiscat.Engine.Io.Writers;

/// <summary>
/// Per-window results as Parquet (pandas/pyarrow/polars read it): one row group per <see cref="RowsPerGroup"/>
/// windows, so memory stays bounded. Columns: window_start, window_end (ISO-8601 UTC), window_start_ns, station,
/// cluster, probability, log_likelihood, distance, gap_fraction; DAS adds channel_index, fibre_distance_m; a cluster
/// tree adds leaf and top_cluster.
/// </summary>
public sealed class WindowsParquetWriter : IDisposable
{
    public const int RowsPerGroup = 65536;
    private static readonly DataField<string> Start = new("window_start");
    private static readonly DataField<string> End = new("window_end");
    private static readonly DataField<long> StartNs = new("window_start_ns");
    private static readonly DataField<string> Station = new("station");
    private static readonly DataField<int> Cluster = new("cluster");
    private static readonly DataField<double> Probability = new("probability");
    private static readonly DataField<double> LogLikelihood = new("log_likelihood");
    private static readonly DataField<double> Distance = new("distance");
    private static readonly DataField<float> Gap = new("gap_fraction");
    private static readonly DataField<long?> ChannelIndex = new("channel_index");
    private static readonly DataField<double> FibreDistance = new("fibre_distance_m");
    private static readonly DataField<string> Leaf = new("leaf");
    private static readonly DataField<int> TopCluster = new("top_cluster");
    private readonly bool _fibre, _tree;
    private readonly List<string> _leaf = [];
    private readonly List<int> _topCluster = [];
    private readonly List<long?> _locus = [];
    private readonly List<double> _metres = [];

    private readonly FileStream _stream;
    private readonly ParquetWriter _writer;
    private readonly List<string> _start = [], _end = [], _station = [];
    private readonly List<long> _startNs = [];
    private readonly List<int> _cluster = [];
    private readonly List<double> _probability = [], _ll = [], _distance = [];
    private readonly List<float> _gap = [];

    /// <param name="fibre">DAS: add channel_index and fibre_distance_m (NaN where the spacing is unknown).</param>
    /// <param name="tree">A cluster tree's labels: add leaf (the label's name, e.g. "1.2") and top_cluster.</param>
    public WindowsParquetWriter(string path, bool fibre = false, bool tree = false)
    {
        _fibre = fibre;
        _tree = tree;
        _stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        Field[] fields = [Start, End, StartNs, Station, Cluster, Probability, LogLikelihood, Distance, Gap];
        if (fibre) fields = [.. fields, ChannelIndex, FibreDistance];
        if (tree) fields = [.. fields, Leaf, TopCluster];
        _writer = ParquetWriter.CreateAsync(new ParquetSchema(fields), _stream).GetAwaiter().GetResult();
    }

    public void Add(long startNs, long windowNs, string station, int cluster, double probability, double logLikelihood, double distance, float gap,
        long? channelIndex = null, double fibreDistanceM = double.NaN, string? leaf = null, int topCluster = 0)
    {
        if (_tree)
        {
            _leaf.Add(leaf ?? "");
            _topCluster.Add(topCluster);
        }
        if (_fibre)
        {
            _locus.Add(channelIndex);
            _metres.Add(fibreDistanceM);
        }
        _start.Add(TimeFormat.Iso(startNs));
        _end.Add(windowNs > 0 ? TimeFormat.Iso(startNs + windowNs) : "");
        _startNs.Add(startNs);
        _station.Add(station);
        _cluster.Add(cluster);
        _probability.Add(probability);
        _ll.Add(logLikelihood);
        _distance.Add(distance);
        _gap.Add(gap);
        if (_start.Count >= RowsPerGroup) Flush();
    }

    private void Flush()
    {
        if (_start.Count == 0) return;
        using (var group = _writer.CreateRowGroup())
        {
            group.WriteAsync(Start, _start).GetAwaiter().GetResult();
            group.WriteAsync(End, _end).GetAwaiter().GetResult();
            group.WriteAsync<long>(StartNs, _startNs.ToArray().AsMemory()).GetAwaiter().GetResult();
            group.WriteAsync(Station, _station).GetAwaiter().GetResult();
            group.WriteAsync<int>(Cluster, _cluster.ToArray().AsMemory()).GetAwaiter().GetResult();
            group.WriteAsync<double>(Probability, _probability.ToArray().AsMemory()).GetAwaiter().GetResult();
            group.WriteAsync<double>(LogLikelihood, _ll.ToArray().AsMemory()).GetAwaiter().GetResult();
            group.WriteAsync<double>(Distance, _distance.ToArray().AsMemory()).GetAwaiter().GetResult();
            group.WriteAsync<float>(Gap, _gap.ToArray().AsMemory()).GetAwaiter().GetResult();
            if (_fibre)
            {
                group.WriteAsync<long>(ChannelIndex, _locus.ToArray().AsMemory()).GetAwaiter().GetResult();
                group.WriteAsync<double>(FibreDistance, _metres.ToArray().AsMemory()).GetAwaiter().GetResult();
            }
            if (_tree)
            {
                group.WriteAsync(Leaf, _leaf).GetAwaiter().GetResult();
                group.WriteAsync<int>(TopCluster, _topCluster.ToArray().AsMemory()).GetAwaiter().GetResult();
            }
        }
        _leaf.Clear(); _topCluster.Clear();
        _locus.Clear(); _metres.Clear();
        _start.Clear(); _end.Clear(); _startNs.Clear(); _station.Clear(); _cluster.Clear();
        _probability.Clear(); _ll.Clear(); _distance.Clear(); _gap.Clear();
    }

    /// <summary>Writes the last row group and the footer.</summary>
    public void Complete()
    {
        Flush();
        _writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _stream.Flush(flushToDisk: true);
    }

    public void Dispose() => _stream.Dispose();
}
