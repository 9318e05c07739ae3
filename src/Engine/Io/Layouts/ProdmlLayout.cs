using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Io.Layouts;

/// <summary>
/// PRODML DAS files (/Acquisition/Raw[N]/RawData, channels × time). Recognised so users get a clear message;
/// reading them is the subject of a later change (the pieces map naturally onto <see cref="ChannelPiece"/> rows).
/// </summary>
public sealed class ProdmlLayout : IArchiveLayout
{
    public string Name => "prodml";

    public bool Sniff(H5File file)
    {
        if (!file.Exists("Acquisition") || file.KindOf("Acquisition") != H5ObjectKind.Group) return false;
        using var acquisition = file.OpenGroup("Acquisition");
        return acquisition.ChildNames().Any(n => n.StartsWith("Raw[", StringComparison.Ordinal));
    }

    public IEnumerable<ChannelPiece> Pieces(H5File file, LayoutOptions options)
        => throw SeiscatException.For(file.FilePath, "/Acquisition", "PRODML DAS layout is recognised but not supported yet",
            $"read the RawData matrix with {Setting.Layout.Ref()} generic {Setting.Dataset.Ref()} '/Acquisition/Raw[0]/RawData' and give " +
                $"{Setting.Rate.Ref()} and {Setting.Start.Ref()}");
}
