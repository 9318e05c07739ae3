using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Io.Layouts;

/// <summary>The known layouts, in sniffing order (most specific first; generic last as the catch-all).</summary>
public static class LayoutRegistry
{
    public static IReadOnlyList<IArchiveLayout> All { get; } =
        [
            new AsdfLayout(), new ProdmlLayout(), new GdrLayout(), new DasMatrixLayout(), new MiniDasLayout(), new DasCfLayout(), new SimpleDasLayout(),
            new FebusLayout(), new XdasLayout(), new DasdaeLayout(), new RecognisedDasLayout(), new GenericLayout(),
        ];

    public static IArchiveLayout Choose(H5File file, LayoutOptions options)
    {
        if (options.Layout is { } forced)
            return All.FirstOrDefault(l => l.Name.Equals(forced, StringComparison.OrdinalIgnoreCase))
                ?? throw new SeiscatException($"unknown layout '{forced}'; use one of {string.Join(", ", All.Select(l => l.Name))}");
        return All.First(l => l.Sniff(file));
    }
}
