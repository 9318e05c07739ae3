using System.Text.RegularExpressions;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Io.Layouts;

/// <summary>
/// Plain datasets: 1-D traces (one channel each) or 2-D arrays (channels × samples, or samples × channels with
/// <see cref="LayoutOptions.SamplesFirst"/>). Rate and start come from attributes on the dataset or its parent
/// groups, or from flags. Channel ids: NET.STA.LOC.CHA from network/station/location/channel attributes when
/// present, else the dataset name (2-D rows: name:index).
/// </summary>
public sealed class GenericLayout : IArchiveLayout
{
    public string Name => "generic";

    public bool Sniff(H5File file) => true;

    public IEnumerable<ChannelPiece> Pieces(H5File file, LayoutOptions options)
    {
        var patterns = options.Datasets.Select(Glob).ToList();
        // A dataset reached by several paths is one channel, named by the path that holds it (its first hard link):
        // soft links are aliases a pattern may name; external links lead to other files, read when they are in the archive.
        var tree = H5Tree.Walk(file, MaxDepth).ToList();
        var found = tree.Where(e => e is { Link: H5LinkKind.Hard, Kind: H5ObjectKind.Dataset }).Select(e => e.Path).ToList();
        var held = tree.Where(e => e is { Link: H5LinkKind.Hard, Address: not null }).ToDictionary(e => e.Address!.Value, e => e.Path);
        var aliases = tree.Where(e => e is { Link: H5LinkKind.Soft, Kind: H5ObjectKind.Dataset } && e.Address is { } a && held.ContainsKey(a))
            .Select(e => (e.Path, Target: held[e.Address!.Value])).ToList();
        var selected = found.Where(p => patterns.Count == 0 || patterns.Any(r => r.IsMatch(p)))
            .Concat(aliases.Where(a => patterns.Any(r => r.IsMatch(a.Path))).Select(a => a.Target))
            .Distinct(StringComparer.Ordinal).ToList();
        if (patterns.Count > 0 && selected.Count == 0)
            throw SeiscatException.For(file.FilePath, string.Join(",", options.Datasets), "no dataset matches",
                $"list the file's datasets with h5ls -r or seiscat inspect, then fix {Setting.Dataset.Ref()}");
        var pieces = new List<ChannelPiece>();
        foreach (var path in selected)
        {
            using var ds = file.OpenDataset(path);
            if (patterns.Count == 0 && !LooksLikeWaveform(ds)) continue;
            if (ds.Rank is < 1 or > 2)
                throw SeiscatException.For(file.FilePath, path, $"is {ds.Rank}-D", $"name 1-D traces or 2-D channel arrays with {Setting.Dataset.Ref()}");
            PieceReading.CheckType(ds);
            var rate = Lookup(file, ds, options.RateAttribute, o => PieceReading.CheckRate(o.ReadDoubleAttribute(options.RateAttribute), o.FilePath,
                o.ObjectPath))
                       ?? (options.Rate is { } r ? PieceReading.CheckRate(r, file.FilePath, path)
                           : throw SeiscatException.For(file.FilePath, path, $"no '{options.RateAttribute}' attribute on the dataset or its groups",
                               $"pass {Setting.Rate.Ref()} HZ or {Setting.RateAttribute.Ref()} NAME"));
            var start = Lookup(file, ds, options.StartAttribute, o => PieceReading.ReadStart(o, options.StartAttribute))
                        ?? Lookup(file, ds, "starttime", o => PieceReading.ReadStart(o, "starttime"))
                        ?? options.StartNs
                        ?? throw SeiscatException.For(file.FilePath, path,
                            $"no '{options.StartAttribute}' or 'starttime' attribute on the dataset or its groups",
                                $"pass {Setting.Start.Ref()} 2020-01-01T00:00:00Z or {Setting.StartAttribute.Ref()} NAME");
            if (ds.Rank == 1)
            {
                pieces.Add(PieceReading.FromDataset(ds, ChannelId(ds), start, rate));
                continue;
            }
            var channels = options.SamplesFirst ? ds.Dims[1] : ds.Dims[0];
            var name = ds.ObjectPath.TrimStart('/');
            var width = Math.Max(3, channels.ToString().Length);
            for (var row = 0; row < channels; row++)
                pieces.Add(PieceReading.FromDataset(ds, $"{name}:{row.ToString().PadLeft(width, '0')}", start, rate, row, options.SamplesFirst));
        }
        return pieces;
    }

    private static bool LooksLikeWaveform(H5Dataset ds)
        => ds.Rank is 1 or 2 && ds.ElementCount > 1 && ds.Type.Class is H5TypeClass.Float or H5TypeClass.Integer
           && !ds.ObjectPath.EndsWith("StationXML", StringComparison.Ordinal) && !(ds.Type.Class == H5TypeClass.Integer && ds.Type.Size == 1);

    private static string ChannelId(H5Dataset ds)
    {
        string[] codes = ["network", "station", "location", "channel"];
        if (codes.All(ds.HasAttribute))
            return string.Join('.', codes.Select(c => ds.ReadStringAttribute(c)));
        return ds.ObjectPath[(ds.ObjectPath.LastIndexOf('/') + 1)..];
    }

    private static T? Lookup<T>(H5File file, H5Dataset ds, string attribute, Func<H5Object, T> read) where T : struct
    {
        if (ds.HasAttribute(attribute)) return read(ds);
        var path = ds.ObjectPath;
        while (true)
        {
            var slash = path.LastIndexOf('/');
            if (slash < 0) return null;
            path = slash == 0 ? "/" : path[..slash];
            using var g = path == "/" ? null : file.OpenGroup(path);
            H5Object o = g is null ? file : g;
            if (o.HasAttribute(attribute)) return read(o);
            if (path == "/") return null;
        }
    }

    private const int MaxDepth = 16;

    private static Regex Glob(string pattern)
    {
        var p = pattern.StartsWith('/') ? pattern : "/" + pattern;
        var rx = "^" + Regex.Escape(p).Replace(@"\*\*", "\u0001").Replace(@"\*", "[^/]*").Replace(@"\?", "[^/]").Replace("\u0001", ".*") + "$";
        return new Regex(rx, RegexOptions.CultureInvariant);
    }
}
