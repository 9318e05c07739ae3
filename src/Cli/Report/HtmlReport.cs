using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using ScottPlot;
using Seiscat.Engine;
using Seiscat.Engine.Common;
using Seiscat.Engine.Mixture;
using Seiscat.Engine.Pipeline;
using Seiscat.Engine.Scattering;

namespace Seiscat.Cli.Report;

/// <summary>
/// report/index.html with PNG plots beside it: cluster occurrence per UTC hour, hour-of-day profiles, the 2-D
/// projection, mean first-order spectra per cluster, the most representative waveform of each cluster, the BIC curve
/// and the evaluation / stability tables when the run has them. Everything readable without seiscat.
/// </summary>
internal static class HtmlReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static string Write(string runDir, ClusterModel model, ReportData data)
    {
        var dir = Path.Combine(runDir, "report");
        Directory.CreateDirectory(dir);
        var images = new List<(string File, string Caption)>();
        void Save(Plot plot, string name, string caption, int width = 900, int height = 360)
        {
            // Through a temporary like every output: a killed run never leaves a truncated image under its name.
            using var atomic = new AtomicOutput(Path.Combine(dir, name));
            File.WriteAllBytes(atomic.TempPath, plot.GetImageBytes(width, height, ImageFormat.Png));
            atomic.Commit();
            images.Add((name, caption));
        }

        if (data.PerHour.Count > 0)
        {
            var plot = new Plot();
            var hours = data.PerHour.Keys.Select(h => DateTime.UnixEpoch.AddHours(h).ToOADate()).ToArray();
            for (var c = 0; c < data.Clusters; c++)
            {
                var line = plot.Add.Scatter(hours, data.PerHour.Values.Select(v => (double)v[c]).ToArray());
                line.LegendText = $"cluster {c}";
            }
            plot.Axes.DateTimeTicksBottom();
            plot.Title("Cluster occurrence");
            plot.XLabel("time (UTC)");
            plot.YLabel("windows per hour");
            plot.ShowLegend(Alignment.UpperRight);
            Save(plot, "timeline.png", "Windows per hour in each cluster (UTC).");

            var daily = new Plot();
            var hx = Enumerable.Range(0, 24).Select(h => (double)h).ToArray();
            for (var c = 0; c < data.Clusters; c++)
            {
                var total = Math.Max(1, data.Counts[c]);
                var line = daily.Add.Scatter(hx, Enumerable.Range(0, 24).Select(h => 100.0 * data.HourOfDay[c, h] / total).ToArray());
                line.LegendText = $"cluster {c}";
            }
            daily.Title("Hour of day");
            daily.XLabel("hour of day (UTC)");
            daily.YLabel("% of the cluster's windows");
            daily.ShowLegend(Alignment.UpperRight);
            Save(daily, "hour_of_day.png", "When each cluster occurs in the day (share of its windows per UTC hour).");
        }

        if (data.Projection.Count > 0)
        {
            var plot = new Plot();
            for (var c = 0; c < data.Clusters; c++)
            {
                var pts = data.Projection.Where(p => p.Cluster == c).ToList();
                if (pts.Count == 0) continue;
                var sp = plot.Add.Scatter(pts.Select(p => p.X).ToArray(), pts.Select(p => p.Y).ToArray());
                sp.LineWidth = 0;
                sp.MarkerSize = 3;
                sp.LegendText = $"cluster {c}";
            }
            var kind = model.Transform.Options.Reduce.ToString().ToUpperInvariant();
            plot.Title($"Windows in the first two {kind} components");
            plot.XLabel($"{kind} 1 (standardised units)");
            plot.YLabel($"{kind} 2 (standardised units)");
            plot.ShowLegend(Alignment.UpperRight);
            Save(plot, "projection.png", $"Each dot a window (up to 5000 shown), coloured by cluster.", 700, 560);
        }

        if (data.SpectrumFrequencies.Length > 0)
        {
            var plot = new Plot();
            var per = data.SpectrumFrequencies.Length;
            for (var c = 0; c < data.Clusters; c++)
            {
                // Channel 0's first-order coefficients against centre frequency (log axis).
                var ys = Enumerable.Range(0, per).Select(j => data.MeanSpectrum[c, j]).ToArray();
                var line = plot.Add.Scatter(data.SpectrumFrequencies.Select(Math.Log10).ToArray(), ys);
                line.LegendText = $"cluster {c}";
            }
            var ticks = new[] { 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100 }.Where(f => f >= data.SpectrumFrequencies.Min() / 1.5 && f <= data.SpectrumFrequencies.Max() * 1.5).ToArray();
            plot.Axes.Bottom.SetTicks(ticks.Select(Math.Log10).ToArray(), ticks.Select(f => f.ToString("0.##", C)).ToArray());
            plot.Title("Mean first-order scattering spectrum (first component)");
            plot.XLabel("centre frequency (Hz)");
            plot.YLabel("log10 coefficient (counts)");
            plot.ShowLegend(Alignment.UpperRight);
            Save(plot, "spectra.png", "Average first-order coefficients of each cluster: which frequencies carry its energy.");

            // ScottPlot draws row 0 at the top: cluster c goes in row K−1−c so it sits at y = c.
            var heat = new double[data.Clusters, data.MeanSpectrum.GetLength(1)];
            for (var c = 0; c < data.Clusters; c++)
                for (var j = 0; j < heat.GetLength(1); j++) heat[data.Clusters - 1 - c, j] = data.MeanSpectrum[c, j];
            var hplot = new Plot();
            var hm = hplot.Add.Heatmap(heat);
            hplot.Add.ColorBar(hm).Label = "mean log10 coefficient";
            hplot.Title("Cluster centroids, first order (columns: channel × frequency, high to low)");
            hplot.XLabel($"coefficient ({data.Channels} channel(s) × {per} wavelets)");
            hplot.YLabel("cluster");
            hplot.Axes.Left.SetTicks(Enumerable.Range(0, data.Clusters).Select(c => (double)c).ToArray(), Enumerable.Range(0, data.Clusters).Select(c => c.ToString(C)).ToArray());
            Save(hplot, "centroids.png", "Mean first-order coefficients per cluster, all channels side by side.", 900, 300 + 20 * data.Clusters);
        }

        for (var c = 0; c < data.Clusters; c++)
        {
            var (channels, samples, rate) = data.Waveform(c);
            if (samples.Length == 0) continue;
            var plot = new Plot();
            for (var ch = 0; ch < samples.Length; ch++)
            {
                var x = samples[ch];
                var mean = x.Length > 0 ? x.Average(v => (double)v) : 0;
                var scale = Math.Max(1e-12, x.Max(v => Math.Abs(v - mean)));
                var line = plot.Add.Scatter(Enumerable.Range(0, x.Length).Select(i => i / rate).ToArray(), x.Select(v => (v - mean) / scale * 0.45 + (samples.Length - 1 - ch)).ToArray());
                line.MarkerSize = 0;
                line.LegendText = $"{channels[ch]} (±{scale:0.#} counts)";
            }
            var (row, distance, start, station) = data.Representative[c];
            plot.Title($"Cluster {c}: most representative window, {station} {TimeFormat.Iso(start)}");
            plot.XLabel("seconds after window start");
            plot.YLabel("component (normalised)");
            plot.ShowLegend(Alignment.UpperRight);
            Save(plot, $"waveform_{c}.png", $"Cluster {c}: window closest to the cluster centre (distance {distance:0.00}), demeaned, each trace scaled to its peak.", 900, 320);
            if (Scalogram(model, samples[0], rate) is { } scalogram)
            {
                var (values, centers) = scalogram;
                var splot = new Plot();
                var hm = splot.Add.Heatmap(values);
                hm.Extent = new CoordinateRect(0, samples[0].Length / rate, 0, centers.Length);
                splot.Add.ColorBar(hm).Label = "log10 |x * psi| (counts)";
                var every = Math.Max(1, centers.Length / 8);
                var rows = Enumerable.Range(0, centers.Length).Where(j => j % every == 0).ToArray();
                // Row 0 (highest frequency) is drawn at the top, i.e. at y = J − 0.5.
                splot.Axes.Left.SetTicks(rows.Select(j => centers.Length - j - 0.5).ToArray(), rows.Select(j => centers[j].ToString("0.##", C)).ToArray());
                splot.Title($"Cluster {c}: first-order scalogram, {channels[0]}");
                splot.XLabel("seconds after window start");
                splot.YLabel("centre frequency (Hz)");
                Save(splot, $"scalogram_{c}.png", $"Cluster {c}: first-layer scattering scalogram of the representative window ({channels[0]}).", 900, 320);
            }
        }

        if (model.Selection is { } sel)
        {
            var plot = new Plot();
            plot.Add.Scatter(sel.K.Select(k => (double)k).ToArray(), sel.Bic);
            plot.Title("Model selection");
            plot.XLabel("number of clusters K");
            plot.YLabel("BIC (lower is better)");
            Save(plot, "bic.png", $"BIC per K; K = {model.Clusters} was chosen.", 600, 320);
        }

        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>seiscat report</title><style>body{font-family:sans-serif;max-width:960px;margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}img{max-width:100%}</style></head><body>");
        html.Append("<h1>seiscat report</h1>");
        html.Append(CultureInfo.InvariantCulture, $"<p>{data.Windows} windows, {data.Clusters} clusters; model fitted on {WebUtility.HtmlEncode(model.Sampling)} ({WebUtility.HtmlEncode(model.Source)}); features reduced by {model.Transform.Options.Reduce.ToString().ToUpperInvariant()} to {model.Transform.OutputFeatures} dimensions.</p>");
        html.Append("<table><tr><th>cluster</th><th>windows</th><th>share</th><th>mean probability</th></tr>");
        for (var c = 0; c < data.Clusters; c++)
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{c}</td><td>{data.Counts[c]}</td><td>{100.0 * data.Counts[c] / Math.Max(1, data.Windows):0.0} %</td><td>{data.MeanProbability[c]:0.000}</td></tr>");
        html.Append("</table>");
        AppendJsonTable(html, Path.Combine(runDir, "evaluation.json"), "Against the planted classes (truth.csv)");
        AppendJsonTable(html, Path.Combine(runDir, "stability.json"), "Stability as the sample grows");
        foreach (var (file, caption) in images)
            html.Append(CultureInfo.InvariantCulture, $"<figure><img src=\"{file}\" alt=\"{WebUtility.HtmlEncode(caption)}\"><figcaption>{WebUtility.HtmlEncode(caption)}</figcaption></figure>");
        html.Append("</body></html>");
        var index = Path.Combine(dir, "index.html");
        using (var atomic = new AtomicOutput(index))
        {
            File.WriteAllText(atomic.TempPath, html.ToString());
            atomic.Commit();
        }
        return index;
    }

    /// <summary>log10 of the first layer's |x ⋆ ψ_j| (J × ≤ 600 time columns, averaged), with the network the features used.</summary>
    private static (double[,] Values, double[] Centers)? Scalogram(ClusterModel model, float[] x, double rate)
    {
        if (string.IsNullOrEmpty(model.FeatureConfig)) return null;
        ScatteringConfig cfg;
        try { cfg = ScatteringConfig.Parse(model.FeatureConfig); }
        catch (SeiscatException) { return null; }
        if (Math.Abs(cfg.SamplingRate - rate) > 1e-9 * rate || cfg.Bins != x.Length) return null; // decimated features: skip
        var plan = new ScatteringPlan(cfg with { Pooling = Pooling.None, Layers = [cfg.Layers[0]], TaperAlpha = null });
        using var network = new ScatteringNetwork(plan);
        var output = new float[plan.OutputLength(1)];
        var demeaned = x.Select(v => v - x.Average()).ToArray();
        network.Transform(demeaned, 1, output);
        var j = plan.Banks[0].Count;
        var n = cfg.Bins;
        var columns = Math.Min(600, n);
        var values = new double[j, columns];
        for (var r = 0; r < j; r++)
            for (var c = 0; c < columns; c++)
            {
                int a = c * n / columns, b = (c + 1) * n / columns;
                double sum = 0;
                for (var t = a; t < b; t++) sum += output[r * n + t];
                values[r, c] = Math.Log10(Math.Max(sum / Math.Max(1, b - a), 1e-12));
            }
        return (values, plan.Banks[0].CentersHz.ToArray());
    }

    // evaluation.json (classes) and stability.json (sizes) as small tables.
    private static void AppendJsonTable(StringBuilder html, string path, string title)
    {
        if (!File.Exists(path)) return;
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        var rows = root.TryGetProperty("classes", out var cls) ? cls : root.TryGetProperty("sizes", out var sz) ? sz : default;
        if (rows.ValueKind != JsonValueKind.Array || rows.GetArrayLength() == 0) return;
        html.Append(CultureInfo.InvariantCulture, $"<h2>{WebUtility.HtmlEncode(title)}</h2>");
        if (root.TryGetProperty("adjusted_rand", out var ari)) html.Append(CultureInfo.InvariantCulture, $"<p>Adjusted Rand index {ari.GetDouble():0.000}</p>");
        html.Append("<table><tr>");
        foreach (var p in rows[0].EnumerateObject()) html.Append(CultureInfo.InvariantCulture, $"<th>{WebUtility.HtmlEncode(p.Name)}</th>");
        html.Append("</tr>");
        foreach (var row in rows.EnumerateArray())
        {
            html.Append("<tr>");
            foreach (var p in row.EnumerateObject())
                html.Append(CultureInfo.InvariantCulture, $"<td>{WebUtility.HtmlEncode(p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetDouble().ToString("0.###", CultureInfo.InvariantCulture) : p.Value.ToString())}</td>");
            html.Append("</tr>");
        }
        html.Append("</table>");
    }
}
