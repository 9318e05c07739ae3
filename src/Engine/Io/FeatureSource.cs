using Seiscat.Engine.Common;
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
    /// <summary>Window duration (features.h5 attribute window_ns), 0 when unknown.</summary>
    public long WindowNs { get; }

    private FeatureSource(string path, string dataset, H5File file, H5Dataset[] blocks)
    {
        Path = path; Dataset = dataset; _file = file; _blocks = blocks;
        Rows = blocks[0].Dims[0];
        _widths = blocks.Select(b => (int)b.Dims.Skip(1).Aggregate(1L, (a, v) => a * v)).ToArray();
        Columns = _widths.Sum();
        if (file.HasAttribute("config")) ConfigJson = file.ReadStringAttribute("config");
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
            if (file.HasAttribute("window_ns")) WindowNs = file.ReadInt64Attribute("window_ns");
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

    /// <summary>Per column: scattering order, channel and first-layer centre frequency (Hz); for matrices without
    /// coefficient metadata, every column counts as first order of channel 0.</summary>
    public (int[] Order, int[] Channel, double[] F1Hz) CoefficientPaths()
    {
        var order = _file.Exists("coefficients/order") ? _file.ReadDataset<int>("coefficients/order") : Enumerable.Repeat(1, Columns).ToArray();
        var channel = _file.Exists("coefficients/channel") ? _file.ReadDataset<int>("coefficients/channel") : new int[Columns];
        var f1 = _file.Exists("coefficients/f1_hz") ? _file.ReadDataset<double>("coefficients/f1_hz") : new double[Columns];
        return (order, channel, f1);
    }

    /// <summary>Rows [first, first + count) as doubles, row-major, into destination (count × Columns).</summary>
    public void ReadRows(long first, int count, Span<double> destination)
    {
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
        _startDs?.Dispose();
        _stationDs?.Dispose();
        _gapDs?.Dispose();
        foreach (var b in _blocks) b.Dispose();
        _file.Dispose();
    }
}
