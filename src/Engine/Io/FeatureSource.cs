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
    public string? ScatteringConfig { get; }
    public long[]? StartNs { get; }
    public int[]? StationIndex { get; }
    public string[] Stations { get; } = [];
    public float[]? GapFraction { get; }
    /// <summary>Window duration (features.h5 attribute window_ns), 0 when unknown.</summary>
    public long WindowNs { get; }

    private FeatureSource(string path, string dataset, H5File file, H5Dataset[] blocks)
    {
        Path = path; Dataset = dataset; _file = file; _blocks = blocks;
        Rows = blocks[0].Dims[0];
        _widths = blocks.Select(b => (int)b.Dims.Skip(1).Aggregate(1L, (a, v) => a * v)).ToArray();
        Columns = _widths.Sum();
        if (file.HasAttribute("config")) ScatteringConfig = file.ReadStringAttribute("config");
        if (file.KindOf("window_start_ns") == H5ObjectKind.Dataset) StartNs = file.OpenDataset("window_start_ns").ReadAll<long>();
        if (file.KindOf("station_index") == H5ObjectKind.Dataset) StationIndex = file.OpenDataset("station_index").ReadAll<int>();
        if (file.KindOf("stations") == H5ObjectKind.Dataset) Stations = file.OpenDataset("stations").ReadStrings();
        if (file.KindOf("gap_fraction") == H5ObjectKind.Dataset) GapFraction = file.OpenDataset("gap_fraction").ReadAll<float>();
        if (file.HasAttribute("window_ns")) WindowNs = file.ReadInt64Attribute("window_ns");
    }

    public static FeatureSource Open(string spec)
    {
        var (path, dataset) = DatasetPath.TrySplit(spec);
        if (!File.Exists(path)) throw SeiscatException.For(path, dataset, "no such file", "pass a features.h5, a scatter output, or FILE.h5:/dataset");
        if (!H5File.IsHdf5(path)) throw SeiscatException.For(path, dataset, "is not an HDF5 file", "pass a features.h5, a scatter output, or FILE.h5:/dataset");
        H5File file;
        try { file = H5File.OpenRead(path); }
        catch (Hdf5Exception e) { throw SeiscatException.For(path, dataset, "cannot be opened: " + e.Hdf5Message, "the file may be truncated", e); }
        try
        {
            H5Dataset[] blocks;
            if (dataset is not null)
            {
                if (file.KindOf(dataset) != H5ObjectKind.Dataset) throw SeiscatException.For(path, dataset, "no such dataset", "list the file with h5ls -r");
                blocks = [file.OpenDataset(dataset)];
                if (blocks[0].Rank != 2) throw SeiscatException.For(path, dataset, $"is {blocks[0].Rank}-D; expected rows × features", "pass a 2-D dataset");
            }
            else if (file.KindOf("features") == H5ObjectKind.Dataset) { dataset = "/features"; blocks = [file.OpenDataset("features")]; }
            else if (file.KindOf("output/layer1") == H5ObjectKind.Dataset)
            {
                dataset = "/output";
                var list = new List<H5Dataset>();
                for (var l = 1; file.KindOf($"output/layer{l}") == H5ObjectKind.Dataset; l++) list.Add(file.OpenDataset($"output/layer{l}"));
                blocks = list.ToArray();
            }
            else throw SeiscatException.For(path, null, "has neither /features nor /output/layer1", "pass FILE.h5:/path/to/a/2-D/dataset");
            foreach (var b in blocks)
                if (b.Type.Class is not (H5TypeClass.Float or H5TypeClass.Integer))
                    throw SeiscatException.For(path, b.ObjectPath, $"holds {b.Type}, not numbers", "pass a numeric feature matrix");
            return new FeatureSource(path, dataset!, file, blocks);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Rows [first, first + count) as doubles, row-major, into destination (count × Columns).</summary>
    public void ReadRows(long first, int count, Span<double> destination)
    {
        var offset = 0;
        var part = new double[count * _widths.Max()];
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

    public string StationOf(long row) => StationIndex is { } s && Stations.Length > 0 ? Stations[s[row]] : "";

    public void Dispose()
    {
        foreach (var b in _blocks) b.Dispose();
        _file.Dispose();
    }
}
