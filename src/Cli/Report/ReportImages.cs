using System.Globalization;
using System.Net;
using System.Text;
using ScottPlot;
using Seiscat.Engine.Common;

namespace Seiscat.Cli.Report;

/// <summary>The report folder's images, each written through a temporary (a killed run never leaves a truncated PNG),
/// with the captions the page lists them under, and the plain HTML page that shows them.</summary>
internal sealed class ReportImages(string folder)
{
    private readonly List<(string File, string Caption)> _saved = [];

    public IReadOnlyList<(string File, string Caption)> Saved => _saved;

    /// <summary>Writes FOLDER/NAME: the title, <paramref name="body"/> (HTML), then every saved figure with its caption.</summary>
    public string WritePage(string name, string title, string body)
    {
        static string Encode(string text) => WebUtility.HtmlEncode(text);
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{Encode(title)}</title>")
            .Append("<style>body{font-family:sans-serif;max-width:960px;margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;")
            .Append(CultureInfo.InvariantCulture, $"padding:3px 8px;text-align:right}}img{{max-width:100%}}</style></head><body><h1>{Encode(title)}</h1>")
            .Append(body);
        foreach (var (file, caption) in _saved)
            html.Append(CultureInfo.InvariantCulture,
                $"<figure><img src=\"{file}\" alt=\"{Encode(caption)}\"><figcaption>{Encode(caption)}</figcaption></figure>");
        html.Append("</body></html>");
        var path = Path.Combine(folder, name);
        using var atomic = new AtomicOutput(path);
        File.WriteAllText(atomic.TempPath, html.ToString());
        atomic.Commit();
        return path;
    }

    public void Save(Plot plot, string name, string caption, int width = 900, int height = 360)
    {
        using var atomic = new AtomicOutput(Path.Combine(folder, name));
        File.WriteAllBytes(atomic.TempPath, plot.GetImageBytes(width, height, ImageFormat.Png));
        atomic.Commit();
        _saved.Add((name, caption));
    }
}
