using System.Globalization;
using System.Net;
using System.Text;
using ScottPlot;
using Seiscat.Engine;
using Seiscat.Engine.Matching;
using Seiscat.Engine.Pipeline;
using Seiscat.Engine.Templates;

namespace Seiscat.Cli.Report;

/// <summary>
/// The template and matching pages: each template with its aligned members (templates.html, written by `templates`
/// into the run's report folder), and for `match --report DIR` the detections per hour per group (where accelerating
/// precursors show), each group's correlation histogram with its threshold, and its strongest and weakest detections
/// overlaid on the template. Drawing only: the engine computed everything.
/// </summary>
internal static class MatchReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static string WriteTemplates(string dir, IReadOnlyList<Template> templates)
    {
        Directory.CreateDirectory(dir);
        var images = new ReportImages(dir);
        DrawTemplates(images, templates);
        return images.WritePage("templates.html", "seiscat templates", $"<p>{Plural.Of(templates.Count, "template")}: each the stack (black) of its aligned " +
            "members (grey), band-passed as matching sees them.</p>");
    }

    public static string Write(string dir, MatchRequest request, MatchResult result)
    {
        Directory.CreateDirectory(dir);
        var images = new ReportImages(dir);
        var templates = TemplateFile.Load(request.TemplatesPath).Templates;
        var groups = templates.GroupBy(t => t.Group).OrderBy(g => g.Key).ToList();
        var detections = result.Detections;

        if (detections.Count > 0)
        {
            var plot = new Plot();
            foreach (var g in groups)
            {
                var hours = detections.Where(d => d.Group == g.Key).GroupBy(d => d.TimeNs / 3_600_000_000_000L).OrderBy(h => h.Key).ToList();
                if (hours.Count == 0) continue;
                var first = hours[0].Key;
                var last = hours[^1].Key;
                var xs = new List<double>();
                var ys = new List<double>();
                var counts = hours.ToDictionary(h => h.Key, h => h.Count());
                for (var h = first; h <= last; h++)
                {
                    xs.Add(DateTime.UnixEpoch.AddHours(h).ToOADate());
                    ys.Add(counts.GetValueOrDefault(h));
                }
                var line = plot.Add.Scatter(xs.ToArray(), ys.ToArray());
                line.LegendText = $"group {g.Key} ({string.Join("+", g.Select(t => t.Name))}, cluster {g.First().Cluster})";
            }
            plot.Axes.DateTimeTicksBottom();
            plot.Title("Detections per hour");
            plot.XLabel("time (UTC)");
            plot.YLabel("detections per hour");
            plot.ShowLegend(Alignment.UpperLeft);
            images.Save(plot, "detections_per_hour.png", "Detections per UTC hour of each template group: a rising rate is what precursory " +
                "sequences look like.");
        }

        foreach (var trace in result.Traces.Where(t => t.Samples > 0).OrderBy(t => t.Group))
        {
            var plot = new Plot();
            var xs = Enumerable.Range(0, trace.Histogram.Length).Select(i => -1 + (i + 0.5) * 2.0 / trace.Histogram.Length).ToArray();
            var bars = plot.Add.Scatter(xs, trace.Histogram.Select(h => Math.Log10(h + 1)).ToArray());
            bars.LegendText = "correlation values";
            var threshold = plot.Add.VerticalLine(trace.MedianThreshold);
            threshold.LegendText = string.Create(C, $"threshold ({request.Threshold} × MAD ≈ {trace.MedianThreshold:0.000})");
            plot.Title($"Group {trace.Group} ({trace.Templates}): correlation histogram");
            plot.XLabel("mean normalised correlation");
            plot.YLabel("log10(samples + 1)");
            plot.ShowLegend(Alignment.UpperRight);
            images.Save(plot, $"histogram_{trace.Group}.png", string.Create(C,
                $"Group {trace.Group}: every sample of its correlation trace ({trace.Samples} samples) and the threshold it was held to."));
        }

        // The strongest and weakest detection of each group, read back in one pass over the archive.
        var shown = groups.Select(g => detections.Where(d => d.Group == g.Key).ToList()).Where(l => l.Count > 0)
            .SelectMany(l => new[] { (D: l.MaxBy(d => d.Correlation), What: "strongest"), (D: l.MinBy(d => d.Correlation), What: "weakest") }
                .DistinctBy(e => e.D)).ToList();
        var waveforms = shown.Count > 0 ? MatchJob.Waveforms(request, shown.Select(e => e.D).ToList()) : [];
        for (var i = 0; i < shown.Count; i++) Overlay(images, shown[i].D, shown[i].What, waveforms[i]);
        DrawTemplates(images, templates);
        var summary = new StringBuilder();
        summary.Append(C, $"<p>{Plural.Of(detections.Count, "detection")} by {Plural.Of(groups.Count, "template group")} over ")
            .Append(C, $"{Plural.Of(result.Blocks, "block")} of ")
            .Append(C, $"{TimeFormat.Duration(result.BlockSeconds)}; threshold {request.Threshold} × MAD, minimum separation ")
            .Append(C, $"{TimeFormat.Duration(request.MinSeparationSeconds)}; {Plural.Of(result.Gaps.Count, "gap")}.</p>");
        summary.Append("<table><tr><th>group</th><th>templates</th><th>cluster</th><th>detections</th><th>strongest</th></tr>");
        foreach (var g in groups)
        {
            var list = detections.Where(d => d.Group == g.Key).ToList();
            summary.Append(C, $"<tr><td>{g.Key}</td><td>{Encode(string.Join("+", g.Select(t => t.Name + " " + t.Station)))}</td>")
                .Append(C, $"<td>{g.First().Cluster}</td><td>{list.Count}</td><td>{(list.Count > 0 ? list.Max(d => d.Correlation) : 0):0.000}</td></tr>");
        }
        summary.Append("</table>");
        return images.WritePage("index.html", "seiscat match", summary.ToString());
    }

    private static void Overlay(ReportImages images, Detection d, string what, List<(Template Template, float[][] Data)> waveforms)
    {
        var plot = new Plot();
        var row = 0;
        var rows = waveforms.Sum(w => w.Data.Length);
        foreach (var (t, data) in waveforms)
            for (var c = 0; c < data.Length; c++, row++)
            {
                var y = rows - 1 - row;
                var xs = Enumerable.Range(0, t.Samples).Select(i => (i - t.OnsetSample) / t.Rate).ToArray();
                var a = plot.Add.Scatter(xs, Scaled(t.Waveform[c], y));
                a.MarkerSize = 0;
                a.Color = Colors.Black;
                var b = plot.Add.Scatter(xs, Scaled(data[c], y));
                b.MarkerSize = 0;
                b.Color = Colors.OrangeRed;
                if (row == 0)
                {
                    a.LegendText = "template";
                    b.LegendText = "record";
                }
            }
        plot.Title(string.Create(C,
            $"Group {d.Group}: {what} detection {TimeFormat.Iso(d.TimeNs)}, correlation {d.Correlation:0.000} ({d.MadMultiple:0.#} × MAD)"));
        plot.XLabel("seconds after the onset");
        plot.YLabel("station/component (each scaled to its peak)");
        plot.ShowLegend(Alignment.UpperRight);
        images.Save(plot, $"detection_{d.Group}_{what}.png", string.Create(C,
            $"Group {d.Group}, {what} detection ({d.Stations}, amplitude ratio {d.AmplitudeRatio:0.###}): band-passed record over the template."), 900,
            160 + 80 * rows);
    }

    private static void DrawTemplates(ReportImages images, IReadOnlyList<Template> templates)
    {
        foreach (var t in templates)
        {
            var plot = new Plot();
            var xs = Enumerable.Range(0, t.Samples).Select(i => (i - t.OnsetSample) / t.Rate).ToArray();
            for (var c = 0; c < t.Channels.Length; c++)
            {
                var y = t.Channels.Length - 1 - c;
                foreach (var member in t.Members)
                {
                    var m = plot.Add.Scatter(xs, Scaled(member[c], y));
                    m.MarkerSize = 0;
                    m.Color = Colors.Gray.WithAlpha(0.5);
                }
                var s = plot.Add.Scatter(xs, Scaled(t.Waveform[c], y));
                s.MarkerSize = 0;
                s.Color = Colors.Black;
                s.LineWidth = 1.5f;
                s.LegendText = c == 0 ? "stack" : null!;
            }
            plot.Title($"{t.Name}: cluster {t.Cluster} at {t.Station}, {t.Members.Length} members");
            plot.XLabel("seconds after the onset");
            plot.YLabel(string.Join(" / ", t.Channels.Reverse()));
            images.Save(plot, $"template_{t.Name}.png", string.Create(C,
                $"{t.Name}: members (grey) and stack (black), {t.LowHz:0.##}–{t.HighHz:0.##} Hz; member correlation with the stack " +
                $"{string.Join(", ", t.MemberCorrelation.Select(v => v.ToString("0.00", C)))}."), 900, 120 + 90 * t.Channels.Length);
        }
    }

    private static double[] Scaled(float[] x, double offset)
    {
        var peak = Math.Max(1e-30, x.Max(v => Math.Abs(v)));
        return x.Select(v => v / peak * 0.45 + offset).ToArray();
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
