using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Io.Layouts;

/// <summary>
/// ASDF 1.0.x as written by pyasdf and NoisePy: /Waveforms/NET.STA/NET.STA.LOC.CHA__START__END__TAG datasets
/// with attributes starttime (int64 ns, UTC) and sampling_rate (Hz). Several datasets of a channel are pieces
/// separated by gaps. The start in the name is truncated to seconds: the attribute is authoritative.
/// </summary>
public sealed class AsdfLayout : IArchiveLayout
{
    public string Name => "asdf";

    public bool Sniff(H5File file)
        => file.HasAttribute("file_format") && file.ReadStringAttribute("file_format").Trim().Equals("ASDF", StringComparison.OrdinalIgnoreCase);

    public IEnumerable<ChannelPiece> Pieces(H5File file, LayoutOptions options)
    {
        if (!file.Exists("Waveforms"))
            return [];
        using var waveforms = file.OpenGroup("Waveforms");
        var candidates = new List<(string Path, string Channel, string Tag)>();
        var sensitivities = new Dictionary<string, IReadOnlyList<ChannelSensitivity>>(StringComparer.Ordinal);
        foreach (var station in waveforms.ChildNames())
        {
            if (waveforms.KindOf(station) != H5ObjectKind.Group) continue;
            using var g = waveforms.OpenGroup(station);
            if (options.ReadSensitivity && g.KindOf("StationXML") == H5ObjectKind.Dataset)
                sensitivities[station] = ReadStationXml(file, $"/Waveforms/{station}/StationXML");
            foreach (var name in g.ChildNames())
            {
                var parts = name.Split("__");
                if (parts.Length != 4) continue; // StationXML and other non-waveform entries
                candidates.Add(($"/Waveforms/{station}/{name}", parts[0], parts[3]));
            }
        }
        var tags = candidates.Select(c => c.Tag).Distinct().Order().ToList();
        string? tag = options.Tag;
        if (tag is null && tags.Count > 1)
            throw SeiscatException.For(file.FilePath, "/Waveforms", $"holds several waveform tags ({string.Join(", ", tags)})",
                $"choose one with {Setting.Tag.Ref()}");
        if (tag is not null && candidates.Count > 0 && !tags.Contains(tag))
            throw SeiscatException.For(file.FilePath, "/Waveforms", $"has no waveforms tagged '{tag}' (tags: {string.Join(", ", tags)})",
                $"pick an existing tag with {Setting.Tag.Ref()}");
        var pieces = new List<ChannelPiece>();
        foreach (var c in candidates.Where(c => tag is null || c.Tag == tag))
        {
            using var ds = OpenWaveform(file, c.Path);
            var piece = PieceReading.FromDataset(ds, c.Channel, PieceReading.RequireInt64(ds, "starttime"), PieceReading.RequireRate(ds, "sampling_rate"));
            var station = c.Path.Split('/')[2];
            if (sensitivities.TryGetValue(station, out var epochs)) piece = piece with { Sensitivity = StationXml.At(epochs, c.Channel, piece.StartNs) };
            pieces.Add(piece);
        }
        return pieces;
    }

    private static IReadOnlyList<ChannelSensitivity> ReadStationXml(H5File file, string path)
    {
        try
        {
            using var ds = file.OpenDataset(path);
            // pyasdf stores the document as int8: read bytes as stored, whatever their sign (UTF-8 beyond ASCII is < 0 as int8).
            var bytes = ds.Type.IsSigned ? System.Runtime.InteropServices.MemoryMarshal.AsBytes(ds.ReadAll<sbyte>().AsSpan()).ToArray() : ds.ReadAll<byte>();
            return StationXml.Sensitivities(System.Text.Encoding.UTF8.GetString(bytes).TrimEnd('\0'));
        }
        catch (Exception e) when (e is Hdf5Exception or FormatException)
        {
            throw SeiscatException.For(file.FilePath, path, "unreadable StationXML: " + e.Message,
                $"drop {Setting.Gain.Ref()} or repair the file's station metadata", e);
        }
    }

    private static H5Dataset OpenWaveform(H5File file, string path)
    {
        try { return file.OpenDataset(path); }
        catch (Hdf5Exception e)
        {
            throw SeiscatException.For(file.FilePath, path, "cannot open the waveform dataset: " + e.Hdf5Message,
            "the file may be corrupt; check it with h5dump -H", e);
        }
    }
}
