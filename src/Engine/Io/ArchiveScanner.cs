using System.Text.RegularExpressions;
using Seiscat.Engine.Common;
using Seiscat.Engine.Io.Layouts;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Io;

/// <summary>
/// Turns paths (files, or folders searched recursively for .h5/.hdf5) into an <see cref="Archive"/>: one layout per
/// file (sniffed or forced), pieces grouped into stations (SEED NET.STA.LOC + band/instrument code; components in
/// code order, e.g. E, N, Z), pieces of a channel sorted by time. Metadata only: no samples are read.
/// </summary>
public static partial class ArchiveScanner
{
    /// <summary>Bytes of the file a path opens (a symbolic link's target, not the link).</summary>
    public static long LengthOf(string path)
    {
        var info = new FileInfo(path);
        return info.LinkTarget is null ? info.Length : (info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo)?.Length ?? info.Length;
    }

    public static Archive Open(IEnumerable<string> paths, LayoutOptions? options = null)
    {
        options ??= new LayoutOptions();
        var named = paths.Where(File.Exists).Select(Path.GetFullPath).ToHashSet(StringComparer.Ordinal);
        var files = Expand(paths);
        Hdf5Vetting.Ensure(files.Where(f => LengthOf(f) > 0 && H5File.IsHdf5(f)));
        var layouts = new SortedSet<string>(StringComparer.Ordinal);
        var pieces = new List<ChannelPiece>();
        var read = new List<string>();
        var warnings = new List<string>();
        foreach (var file in files)
        {
            using var h5 = OpenFile(file);
            // seiscat's own outputs (features.h5, model.h5, …) often sit beside the archive: not waveforms.
            if (!named.Contains(Path.GetFullPath(file)) && h5.HasAttribute("seiscat_version")) continue;
            read.Add(file);
            try
            {
                var layout = LayoutRegistry.Choose(h5, options);
                layouts.Add(layout.Name);
                pieces.AddRange(layout.Pieces(h5, options));
                warnings.AddRange(ExternalLinks(h5));
            }
            catch (Hdf5Exception e)
            {
                throw SeiscatException.For(file, e.ObjectPath, "unreadable HDF5 metadata: " + e.Hdf5Message,
                    "the file may be truncated or corrupt; check it with h5dump -H", e);
            }
        }
        if (pieces.Count == 0)
            throw SeiscatException.For(string.Join(", ", files.Take(3)) + (files.Count > 3 ? ", …" : ""), null, "no waveform datasets found",
                $"check {Setting.Layout.Ref()}/{Setting.Tag.Ref()}, or name datasets with {Setting.Dataset.Ref()} for the generic layout");
        var stations = ArchiveSelection.Apply(Group(pieces), options.Stations, options.Channels);
        return new Archive(string.Join("+", layouts), read, options.StackChannels > 1 ? ChannelStacking.Apply(stations, options.StackChannels) : stations)
        {
            Warnings = warnings,
        };
    }

    // No layout follows an external link: its samples would be located in another file than the one mapped. Each one is
    // named once, so a user knows which data the archive does not include.
    private static IEnumerable<string> ExternalLinks(H5File h5)
    {
        foreach (var relative in h5.ExternalLinkPaths())
        {
            var slash = relative.LastIndexOf('/');
            using var parent = slash < 0 ? null : h5.OpenGroup(relative[..slash]);
            var (target, objectPath) = (parent ?? h5).ExternalTarget(relative[(slash + 1)..]);
            yield return h5.AddressOf(relative) is null
                ? $"{h5.FilePath}:/{relative}: external link to {target}:{objectPath} leads nowhere (no such file or object); skipped"
                : $"{h5.FilePath}:/{relative}: external link to {target}:{objectPath} is not followed; add {target} to the archive to read it";
        }
    }

    public static IReadOnlyList<string> Expand(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var found = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => f.EndsWith(".h5", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".hdf5", StringComparison.OrdinalIgnoreCase))
                    .Where(f => !Path.GetFileName(f).StartsWith('.')) // our own temporary outputs
                    .Order(StringComparer.Ordinal).ToList();
                if (found.Count == 0) throw SeiscatException.For(path, null, "folder holds no .h5/.hdf5 files", "point at the archive's folder or files");
                files.AddRange(found);
            }
            else if (File.Exists(path)) files.Add(path);
            else throw SeiscatException.For(path, null, "no such file or folder", "check the path");
        }
        if (files.Count == 0) throw new SeiscatException("no input files given; name HDF5 files or folders");
        return files.Distinct().ToList();
    }

    private static H5File OpenFile(string file)
    {
        if (LengthOf(file) == 0)
            throw SeiscatException.For(file, null, "is empty (0 bytes)", "re-copy or regenerate the file");
        if (!H5File.IsHdf5(file))
            throw SeiscatException.For(file, null, "is not an HDF5 file (no HDF5 signature)", "pass .h5 files written by pyasdf, NoisePy, h5py or seiscat");
        try { return H5File.OpenRead(file); }
        catch (Hdf5Exception e)
        {
            throw SeiscatException.For(file, null, "cannot be opened: " + e.Hdf5Message,
            "the file may be truncated or corrupt; check it with h5dump -H", e);
        }
    }

    [GeneratedRegex(@"^([A-Za-z0-9]*)\.([A-Za-z0-9]*)\.([A-Za-z0-9]*)\.([A-Za-z0-9]{3})$")]
    private static partial Regex SeedId();

    /// <summary>NET.STA.LOC.CHA → "NET.STA.LOC.CH?" (components share band and instrument codes); other names stand alone.</summary>
    public static string StationKey(string channelId)
    {
        var m = SeedId().Match(channelId);
        return m.Success ? $"{m.Groups[1].Value}.{m.Groups[2].Value}.{m.Groups[3].Value}.{m.Groups[4].Value[..2]}?" : channelId;
    }

    private static List<UnitRecord> Group(List<ChannelPiece> pieces)
    {
        return pieces
            .GroupBy(p => StationKey(p.ChannelId), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var channels = g.GroupBy(p => p.ChannelId, StringComparer.Ordinal).OrderBy(c => c.Key, StringComparer.Ordinal).ToList();
                return new UnitRecord(g.Key, channels.Select(c => c.Key).ToList(),
                    channels.Select(c => (IReadOnlyList<ChannelPiece>)c.OrderBy(p => p.StartNs).ThenBy(p => p.File, StringComparer.Ordinal).ToList()).ToList());
            })
            .ToList();
    }
}
