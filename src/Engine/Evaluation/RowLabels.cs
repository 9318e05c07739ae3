using System.Globalization;
using System.Text.Json;
using Seiscat.Engine.Common;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Evaluation;

/// <summary>
/// One label per row, aligned with pre-cut segments (`seiscat scatter` → fit → predict): FILE.h5:/labels, integers or
/// strings. Integer labels are named by a `label_names` attribute (JSON object "id": "name", on the dataset or the
/// file's root) when there is one, else by their value.
/// </summary>
public sealed class RowLabels
{
    private readonly int[] _class;

    public IReadOnlyList<string> Classes { get; }
    public long Count => _class.Length;

    private RowLabels(int[] cls, IReadOnlyList<string> classes)
    {
        _class = cls;
        Classes = classes;
    }

    public int ClassOf(long row) => _class[row];

    public static RowLabels Load(string file, string dataset)
    {
        if (!File.Exists(file)) throw SeiscatException.For(file, dataset, "no such file", "pass FILE.h5:/labels");
        if (!H5File.IsHdf5(file)) throw SeiscatException.For(file, dataset, "is not an HDF5 file", "pass FILE.h5:/labels");
        Hdf5Vetting.Ensure([file]);
        using var f = H5File.OpenRead(file);
        if (f.KindOf(dataset) != H5ObjectKind.Dataset) throw SeiscatException.For(file, dataset, "no such dataset", "list the file with h5ls -r");
        using var ds = f.OpenDataset(dataset);
        if (ds.Rank != 1) throw SeiscatException.For(file, dataset, $"is {ds.Rank}-D", "pass one label per segment (a 1-D dataset)");
        string[] values;
        if (ds.Type.Class == H5TypeClass.String) values = ds.ReadStrings();
        else if (ds.Type.Class == H5TypeClass.Integer)
        {
            var ids = ds.ReadAll<long>();
            var names = Names(ds) ?? Names(f) ?? [];
            values = ids.Select(v => names.GetValueOrDefault(v.ToString(CultureInfo.InvariantCulture)) ?? v.ToString(CultureInfo.InvariantCulture)).ToArray();
        }
        else throw SeiscatException.For(file, dataset, $"holds {ds.Type}", "pass integer or string labels");
        var classes = values.Distinct().Order(StringComparer.Ordinal).ToList();
        var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        return new RowLabels(values.Select(v => index[v]).ToArray(), classes);
    }

    private static Dictionary<string, string>? Names(H5Object o)
    {
        if (!o.HasAttribute("label_names") || o.AttributeType("label_names").Class != H5TypeClass.String) return null;
        try { return JsonSerializer.Deserialize(o.ReadStringAttribute("label_names"), PlainJson.Default.DictionaryStringString); }
        catch (JsonException) { return null; }
    }
}
