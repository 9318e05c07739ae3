using System.Text.Json;
using Seiscat.Engine.Common;
using Seiscat.Engine.Io.Storage;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Io;

/// <summary>
/// Rows of features for fitting and prediction, read in blocks (bounded memory): a seiscat features.h5
/// (/features), a `seiscat scatter` out.h5 (/output/layer* flattened as [layer1 | layer2 | …]), or any 2-D numeric
/// dataset named as FILE.h5:/path. Window times and stations come along when the file has them.
/// </summary>
public sealed class FeatureSource : IDisposable
{
    private readonly H5File _file;
    private readonly H5Dataset[] _blocks;
    private readonly int[] _widths;

    public string Path { get; }
    public string Dataset { get; }
    public long Rows { get; }
    public int Columns { get; }
    public string? ConfigJson { get; }
    private readonly H5Dataset? _startDs, _stationDs, _gapDs;
    public bool HasTimes => _startDs is not null;
    public bool HasStations => _stationDs is not null && Stations.Length > 0;
    public bool HasGaps => _gapDs is not null;
    public string[] Stations { get; } = [];
    /// <summary>DAS: distance along the fibre per station (see FeaturesWriter); null otherwise.</summary>
    public double[]? StationDistanceM { get; }
    /// <summary>Window duration (features.h5 attribute window_ns), 0 when unknown.</summary>
    public long WindowNs { get; }
    /// <summary>Step between window starts (0 when the file does not say).</summary>
    public long StepNs { get; }
    /// <summary>The archive files the features were computed from (attribute <c>inputs</c>, a JSON list), or null when the
    /// file does not name them.</summary>
    public IReadOnlyList<string>? Inputs { get; }
    // Rows decoded from the memory map outside the HDF5 lock, when the matrix's layout allows (else H5Dread).
    private readonly RowChunkReader? _rowChunks;
    internal bool DecodesFromMap => _rowChunks is not null;

    private FeatureSource(string path, string dataset, H5File file, H5Dataset[] blocks)
    {
        Path = path; Dataset = dataset; _file = file; _blocks = blocks;
        Rows = blocks[0].Dims[0];
        _widths = blocks.Select(b => (int)b.Dims.Skip(1).Aggregate(1L, (a, v) => a * v)).ToArray();
        Columns = _widths.Sum();
        if (file.HasAttribute("config")) ConfigJson = file.ReadStringAttribute("config");
        if (blocks.Length == 1 && Environment.GetEnvironmentVariable("SEISCAT_FEATURE_READS") != "hdf5")
        {
            try { _rowChunks = RowChunkReader.TryCreate(path, blocks[0]); }
            catch (InvalidDataException e)
            {
                throw SeiscatException.InInput(path, dataset, e.Message, "the file is corrupt or truncated; recompute the features");
            }
        }
        H5Dataset? Column(string name)
        {
            if (file.KindOf(name) != H5ObjectKind.Dataset) return null;
            var d = file.OpenDataset(name);
            if (d.Rank == 1 && d.Dims[0] == Rows) return d;
            var shape = string.Join(", ", d.Dims);
            d.Dispose();
            throw SeiscatException.For(path, "/" + name, $"has shape ({shape}), not ({Rows},)",
                "the file is not a seiscat features file; pass FILE.h5:/dataset");
        }
        try
        {
            _startDs = Column("window_start_ns");
            _stationDs = Column("station_index");
            _gapDs = Column("gap_fraction");
            if (file.KindOf("stations") == H5ObjectKind.Dataset) Stations = file.ReadStringDataset("stations");
            if (file.KindOf("station_distance_m") == H5ObjectKind.Dataset) StationDistanceM = file.ReadDataset<double>("station_distance_m");
            if (file.HasAttribute("window_ns")) WindowNs = file.ReadInt64Attribute("window_ns");
            if (file.HasAttribute("step_ns")) StepNs = file.ReadInt64Attribute("step_ns");
            if (file.HasAttribute("inputs")) Inputs = ReadInputs(file.ReadStringAttribute("inputs"));
        }
        catch
        {
            _startDs?.Dispose();
            _stationDs?.Dispose();
            _gapDs?.Dispose();
            throw; // the caller disposes the blocks and the file
        }
    }

    public static FeatureSource Open(string spec)
    {
        var (path, dataset) = DatasetPath.TrySplit(spec);
        if (!File.Exists(path)) throw SeiscatException.For(path, dataset, "no such file", "pass a features.h5, a scatter output, or FILE.h5:/dataset");
        if (!H5File.IsHdf5(path)) throw SeiscatException.For(path, dataset, "is not an HDF5 file", "pass a features.h5, a scatter output, or FILE.h5:/dataset");
        Hdf5Vetting.Ensure([path]);
        H5File file;
        try { file = H5File.OpenRead(path); }
        catch (Hdf5Exception e) { throw SeiscatException.For(path, dataset, "cannot be opened: " + e.Hdf5Message, "the file may be truncated", e); }
        var blocks = new List<H5Dataset>();
        try
        {
            // A named dataset may be in any file; otherwise the file must be a features file or a scatter output.
            if (dataset is null) (FileFormat.Scatter.Mismatch(file) is null ? FileFormat.Scatter : FileFormat.Features).Ensure(file, path);
            if (dataset is not null)
            {
                if (file.KindOf(dataset) != H5ObjectKind.Dataset) throw SeiscatException.For(path, dataset, "no such dataset", "list the file with h5ls -r");
                blocks.Add(file.OpenDataset(dataset));
                if (blocks[0].Rank != 2) throw SeiscatException.For(path, dataset, $"is {blocks[0].Rank}-D; expected rows × features", "pass a 2-D dataset");
            }
            else if (file.KindOf("features") == H5ObjectKind.Dataset) { dataset = "/features"; blocks.Add(file.OpenDataset("features")); }
            else if (file.KindOf("output/layer1") == H5ObjectKind.Dataset)
            {
                dataset = "/output";
                for (var l = 1; file.KindOf($"output/layer{l}") == H5ObjectKind.Dataset; l++) blocks.Add(file.OpenDataset($"output/layer{l}"));
                foreach (var name in StatisticNames)
                {
                    var statistics = $"output/statistics/layer1_{name}";
                    if (file.KindOf(statistics) == H5ObjectKind.Dataset) blocks.Add(file.OpenDataset(statistics));
                }
            }
            else throw SeiscatException.For(path, null, "has neither /features nor /output/layer1", "pass FILE.h5:/path/to/a/2-D/dataset");
            foreach (var b in blocks)
                if (b.Type.Class is not (H5TypeClass.Float or H5TypeClass.Integer))
                    throw SeiscatException.For(path, b.ObjectPath, $"holds {b.Type}, not numbers", "pass a numeric feature matrix");
            return new FeatureSource(path, dataset!, file, [.. blocks]);
        }
        catch
        {
            foreach (var b in blocks) b.Dispose();
            file.Dispose();
            throw;
        }
    }

    // The extra first-order statistics `scatter` writes, in (int)Pooling order: avg 0, max 1, median 2.
    private static readonly string[] StatisticNames = ["avg", "max", "median"];

    /// <summary>Whether the columns are known scattering coefficients (a features file or a scatter output), not a
    /// plain matrix whose columns are anonymous.</summary>
    public bool DescribesCoefficients => _file.Exists("coefficients/order") || Dataset == "/output";

    /// <summary>
    /// What each column is: scattering order, channel, first- and second-layer filter, their centre frequencies (Hz),
    /// and the statistic (−1: the configured pooling; 0/1/2: the extra first-order avg/max/median). From
    /// /coefficients/* in a features.h5, from the layer shapes and banks of a `scatter` output; a plain matrix
    /// (FILE.h5:/dataset) has no structure: every column counts as a first-order path of channel 0.
    /// </summary>
    public FeatureColumns ColumnPaths()
    {
        if (_file.Exists("coefficients/order"))
        {
            var order = _file.ReadDataset<int>("coefficients/order");
            int[] Ints(string name, int fill) => _file.Exists(name) ? _file.ReadDataset<int>(name) : Enumerable.Repeat(fill, order.Length).ToArray();
            double[] Doubles(string name) => _file.Exists(name) ? _file.ReadDataset<double>(name) : new double[order.Length];
            return new FeatureColumns(order, Ints("coefficients/channel", 0), Ints("coefficients/j1", 0), Ints("coefficients/j2", -1),
                Doubles("coefficients/f1_hz"), Doubles("coefficients/f2_hz"), Ints("coefficients/statistic", -1));
        }
        var o = new List<int>(); var ch = new List<int>(); var j1 = new List<int>(); var j2 = new List<int>();
        var f1 = new List<double>(); var f2 = new List<double>(); var stat = new List<int>();
        if (Dataset == "/output")
        {
            double[] Centers(int layer) => _file.Exists($"bank/layer{layer}/centers_hz") ? _file.ReadDataset<double>($"bank/layer{layer}/centers_hz") : [];
            var c1 = Centers(1);
            var c2 = Centers(2);
            foreach (var b in _blocks)
            {
                var statistic = b.ObjectPath.StartsWith("/output/statistics/layer1_", StringComparison.Ordinal)
                    ? Array.IndexOf(StatisticNames, b.ObjectPath["/output/statistics/layer1_".Length..]) : -1;
                var layer = statistic >= 0 ? 1 : b.Rank - 2; // (n, C, J1[, J2 …])
                var channels = (int)b.Dims[1];
                var inner = (int)(b.ElementCount / Math.Max(1, b.Dims[0]) / channels);
                var jDims = b.Dims.Skip(2).Select(v => (int)v).ToArray();
                for (var c = 0; c < channels; c++)
                    for (var p = 0; p < inner; p++)
                    {
                        var a = layer == 1 ? p : p / jDims[^1];
                        var z = layer == 1 ? -1 : p % jDims[^1];
                        o.Add(layer); ch.Add(c); j1.Add(a); j2.Add(z); stat.Add(statistic);
                        f1.Add(a < c1.Length ? c1[a] : double.NaN);
                        f2.Add(z >= 0 && z < c2.Length ? c2[z] : double.NaN);
                    }
            }
        }
        else
            for (var j = 0; j < Columns; j++) { o.Add(1); ch.Add(0); j1.Add(j); j2.Add(-1); f1.Add(double.NaN); f2.Add(double.NaN); stat.Add(-1); }
        return new FeatureColumns([.. o], [.. ch], [.. j1], [.. j2], [.. f1], [.. f2], [.. stat]);
    }

    /// <summary>Rows [first, first + count) as doubles, row-major, into destination (count × Columns).</summary>
    public void ReadRows(long first, int count, Span<double> destination)
    {
        // A corrupt chunk, whichever reader meets it, is a refusal naming the file (fuzzed feature files).
        try { ReadRowsUnchecked(first, count, destination); }
        catch (Exception e) when (e is InvalidDataException or Hdf5Exception)
        {
            throw SeiscatException.InInput(Path, Dataset, $"rows {first}..{first + count - 1} cannot be read: " +
                (e is Hdf5Exception h ? h.Hdf5Message : e.Message), "the file is corrupt; recompute the features (or restore the file)", e);
        }
    }

    private void ReadRowsUnchecked(long first, int count, Span<double> destination)
    {
        if (_rowChunks is { } chunks)
        {
            chunks.ReadRows(first, count, destination);
            return;
        }
        if (_blocks.Length == 1) // HDF5 converts straight into the destination: no staging copy
        {
            var ds = _blocks[0];
            var start = new long[ds.Rank];
            var cnt = (long[])ds.Dims.Clone();
            start[0] = first;
            cnt[0] = count;
            ds.ReadHyperslab(destination[..(count * Columns)], start, cnt);
            return;
        }
        // Several layers side by side: staged per layer in a pooled buffer (a fresh one per call would churn the
        // large-object heap, which the GC returns late: seen as RSS).
        var part = System.Buffers.ArrayPool<double>.Shared.Rent(count * _widths.Max());
        try
        {
            var offset = 0;
            for (var b = 0; b < _blocks.Length; b++)
            {
                var ds = _blocks[b];
                var start = new long[ds.Rank];
                var cnt = (long[])ds.Dims.Clone();
                start[0] = first;
                cnt[0] = count;
                ds.ReadHyperslab<double>(part.AsSpan(0, count * _widths[b]), start, cnt);
                for (var i = 0; i < count; i++)
                    part.AsSpan(i * _widths[b], _widths[b]).CopyTo(destination.Slice(i * Columns + offset, _widths[b]));
                offset += _widths[b];
            }
        }
        finally { System.Buffers.ArrayPool<double>.Shared.Return(part); }
    }

    /// <summary>Every row's window start and station index, in row order, streamed in blocks (O(block) memory).</summary>
    public void ForEachMeta(Action<long, long, int> visit)
    {
        const int block = 65536;
        var starts = new long[block];
        var stations = new int[block];
        var gaps = new float[block];
        for (long first = 0; first < Rows; first += block)
        {
            var count = (int)Math.Min(block, Rows - first);
            ReadMeta(first, count, starts, stations, gaps);
            for (var i = 0; i < count; i++) visit(first + i, starts[i], stations[i]);
        }
    }

    /// <summary>Window start (ns, or the row number when the file has no times), station index (0 when none) and gap
    /// fraction (0 when none) of rows [first, first + count).</summary>
    public void ReadMeta(long first, int count, Span<long> startNs, Span<int> station, Span<float> gap)
    {
        if (_startDs is { } s) s.ReadHyperslab(startNs[..count], [first], [count]);
        else for (var i = 0; i < count; i++) startNs[i] = first + i;
        if (_stationDs is { } st) st.ReadHyperslab(station[..count], [first], [count]);
        else station[..count].Clear();
        if (_gapDs is { } g) g.ReadHyperslab(gap[..count], [first], [count]);
        else gap[..count].Clear();
        if (Stations.Length > 0)
            foreach (var v in station[..count])
                if ((uint)v >= (uint)Stations.Length)
                    throw SeiscatException.For(Path, "/station_index", $"holds {v}, but /stations has {Stations.Length} names",
                        "the file is corrupt; recompute the features");
    }

    public void Dispose()
    {
        _rowChunks?.Dispose();
        _startDs?.Dispose();
        _stationDs?.Dispose();
        _gapDs?.Dispose();
        foreach (var b in _blocks) b.Dispose();
        _file.Dispose();
    }

    private IReadOnlyList<string> ReadInputs(string json)
    {
        try { return JsonSerializer.Deserialize(json, PlainJson.Default.IReadOnlyListString) ?? []; }
        catch (JsonException) { throw SeiscatException.For(Path, "/", "has a damaged inputs attribute", "recompute the features"); }
    }
}
