using ScottPlot;
using Seiscat.Engine.Common;

namespace Seiscat.Cli.Report;

/// <summary>The report folder's images, each written through a temporary (a killed run never leaves a truncated PNG),
/// with the captions the page lists them under.</summary>
internal sealed class ReportImages(string folder)
{
    private readonly List<(string File, string Caption)> _saved = [];

    public IReadOnlyList<(string File, string Caption)> Saved => _saved;

    public void Save(Plot plot, string name, string caption, int width = 900, int height = 360)
    {
        using var atomic = new AtomicOutput(Path.Combine(folder, name));
        File.WriteAllBytes(atomic.TempPath, plot.GetImageBytes(width, height, ImageFormat.Png));
        atomic.Commit();
        _saved.Add((name, caption));
    }
}
