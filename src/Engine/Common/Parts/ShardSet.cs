using System.Globalization;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Common.Parts;

/// <summary>
/// The shard (or checkpoint part) files of one parted output, opened, checked and in order: each complete, all from
/// the same run (the kind's attributes agree), none missing or repeated, together covering every row. A merge then
/// only copies rows. Refusals name the file and what to do.
/// </summary>
public sealed class ShardSet : IDisposable
{
    private readonly List<H5File> _open;

    /// <summary>The shards in row order.</summary>
    public IReadOnlyList<H5File> Files { get; }
    public H5File First => Files[0];
    public long Total { get; }

    private ShardSet(List<H5File> open, IReadOnlyList<H5File> ordered, long total)
    {
        _open = open;
        Files = ordered;
        Total = total;
    }

    /// <param name="isKind">True when a file holds this kind of output (a features shard, a prediction shard).</param>
    /// <param name="signature">Optional: text every shard must share beyond attributes (columns, station names).</param>
    /// <param name="vet">The files to vet in a child process before libhdf5 opens them (default: all). A run assembling the
    /// checkpoint parts it has just written passes only the parts an earlier run left: vetting costs a process start
    /// (≈ 0.6 s, 4 % of a 35 000-window `features` run), and a file this process wrote is not foreign input.</param>
    public static ShardSet Open(IReadOnlyList<string> paths, PartedKind kind, Func<H5File, bool> isKind, Func<H5File, string>? signature = null,
        IReadOnlyList<string>? vet = null)
    {
        if (paths.Count == 0) throw new SeiscatException("merge needs the shard files");
        var open = new List<H5File>(paths.Count);
        try
        {
            foreach (var p in paths)
                if (!File.Exists(p)) throw SeiscatException.For(p, null, "no such shard file",
                    $"pass the .h5 files written with {kind.Command} {Setting.Shard.Ref()}");
            Hdf5Vetting.Ensure((vet ?? paths).Where(H5File.IsHdf5));
            foreach (var p in paths)
            {
                try { open.Add(H5File.OpenRead(p)); }
                catch (Hdf5Exception e)
                {
                    throw SeiscatException.For(p, null, "cannot be opened: " + e.Hdf5Message,
                    "the shard may be truncated; rerun it", e);
                }
            }
            foreach (var f in open)
                if (!isKind(f) || !f.HasAttribute(PartedKind.IndexAttribute) || Attribute(f, PartedKind.CompleteAttribute) != "1")
                    throw SeiscatException.For(f.FilePath, null, $"is not a complete shard of `seiscat {kind.Command} {Setting.Shard.Ref()}`",
                        "rerun that shard");
            var ordered = open.OrderBy(f => f.ReadInt64Attribute(PartedKind.IndexAttribute)).ToList();
            var first = ordered[0];
            var same = kind.SameAttributes.Concat([PartedKind.CountAttribute, kind.TotalAttribute]).ToList();
            foreach (var f in ordered.Skip(1))
            {
                foreach (var name in same)
                    if (Attribute(f, name) != Attribute(first, name))
                        throw SeiscatException.For(f.FilePath, name, $"differs from {first.FilePath}", $"merge only shards of the same {kind.Command} run");
                if (signature is not null && signature(f) != signature(first))
                    throw SeiscatException.For(f.FilePath, null, $"has other columns or stations than {first.FilePath}",
                        $"merge only shards of the same {kind.Command} run");
            }
            var total = first.ReadInt64Attribute(kind.TotalAttribute);
            var count = (int)first.ReadInt64Attribute(PartedKind.CountAttribute);
            if (ordered.Count != count) throw new SeiscatException($"merge got {ordered.Count} of {Plural.Of(count, "shard")}; pass all of them");
            long expected = 0;
            foreach (var f in ordered)
            {
                var at = f.ReadInt64Attribute(kind.FirstAttribute);
                if (at != expected)
                    throw SeiscatException.For(f.FilePath, null, $"starts at row {at}, expected {expected} (a shard is missing or repeated)",
                        "pass each shard once");
                expected += f.ReadInt64Attribute(PartedKind.RowsAttribute);
            }
            if (expected != total) throw new SeiscatException($"shards hold {expected} rows of {total}; a shard is incomplete");
            return new ShardSet(open, ordered, total);
        }
        catch
        {
            foreach (var f in open) f.Dispose();
            throw;
        }
    }

    /// <summary>A string or integer attribute as text ("" when absent), for comparing shards.</summary>
    public static string Attribute(H5File f, string name) => !f.HasAttribute(name) ? ""
        : f.AttributeType(name).Class == H5TypeClass.String ? f.ReadStringAttribute(name)
        : f.ReadInt64Attribute(name).ToString(CultureInfo.InvariantCulture);

    public void Dispose()
    {
        foreach (var f in _open) f.Dispose();
    }
}
