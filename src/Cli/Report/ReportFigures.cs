using System.Globalization;
using ScottPlot;
using Seiscat.Engine;
using Seiscat.Engine.Mixture;
using Seiscat.Engine.Pipeline.Report;

namespace Seiscat.Cli.Report;

/// <summary>
/// The report's figures (PNG, ScottPlot) from the run's typed results: cluster occurrence per UTC hour, hour-of-day
/// profiles, the 2-D projection, mean first-order spectra per cluster, each cluster's most representative waveform and
/// scalogram, the BIC curve. Data gathering is the engine's (<see cref="ReportData"/>); this file only draws.
/// </summary>
internal static class ReportFigures
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static void Draw(ReportImages images, ClusterModel model, ReportData data)
    {
        Timeline(images, data);
        if (data.StationHours is { Count: > 0 } grid && data.StationNames.Count > 3) StationTime(images, data, grid);
        if (data.FibreTime is { } fibre) FibreImage(images, data, fibre);
        Projection(images, model, data);
        Spectra(images, data);
        Representatives(images, data);
        Bic(images, model);
        if (model.ComponentCluster is { } map && model.Merges.Count > 0) Dendrogram(images, model, map);
    }

    private static void Timeline(ReportImages images, ReportData data)
    {
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
            images.Save(plot, "timeline.png", "Windows per hour in each cluster (UTC).");

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
            images.Save(daily, "hour_of_day.png", "When each cluster occurs in the day (share of its windows per UTC hour).");
        }
    }

    private static void Projection(ReportImages images, ClusterModel model, ReportData data)
    {
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
            images.Save(plot, "projection.png", $"Each dot a window (up to 5000 shown), coloured by cluster.", 700, 560);
        }
    }

    private static void Spectra(ReportImages images, ReportData data)
    {
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
            var ticks = new[] { 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100 }.Where(f => f >= data.SpectrumFrequencies.Min() / 1.5
                && f <= data.SpectrumFrequencies.Max() * 1.5).ToArray();
            plot.Axes.Bottom.SetTicks(ticks.Select(Math.Log10).ToArray(), ticks.Select(f => f.ToString("0.##", C)).ToArray());
            plot.Title("Mean first-order scattering spectrum (first component)");
            plot.XLabel("centre frequency (Hz)");
            plot.YLabel("log10 coefficient (counts)");
            plot.ShowLegend(Alignment.UpperRight);
            images.Save(plot, "spectra.png", "Average first-order coefficients of each cluster: which frequencies carry its energy.");

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
            hplot.Axes.Left.SetTicks(Enumerable.Range(0, data.Clusters).Select(c => (double)c).ToArray(), Enumerable.Range(0,
                data.Clusters).Select(c => c.ToString(C)).ToArray());
            images.Save(hplot, "centroids.png", "Mean first-order coefficients per cluster, all channels side by side.", 900, 300 + 20 * data.Clusters);
        }
    }

    private static void Representatives(ReportImages images, ReportData data)
    {
        foreach (var rep in data.Representatives)
        {
            var (c, channels, samples, rate) = (rep.Cluster, rep.Channels, rep.Samples, rep.Rate);
            if (samples.Length == 0) continue;
            var plot = new Plot();
            for (var ch = 0; ch < samples.Length; ch++)
            {
                var x = samples[ch];
                var mean = x.Length > 0 ? x.Average(v => (double)v) : 0;
                var scale = Math.Max(1e-12, x.Max(v => Math.Abs(v - mean)));
                var line = plot.Add.Scatter(Enumerable.Range(0, x.Length).Select(i => i / rate).ToArray(),
                    x.Select(v => (v - mean) / scale * 0.45 + (samples.Length - 1 - ch)).ToArray());
                line.MarkerSize = 0;
                line.LegendText = $"{channels[ch]} (±{scale:0.#} counts)";
            }
            plot.Title($"Cluster {c}: most representative window, {rep.Station} {TimeFormat.Iso(rep.StartNs)}");
            plot.XLabel("seconds after window start");
            plot.YLabel("component (normalised)");
            plot.ShowLegend(Alignment.UpperRight);
            images.Save(plot, $"waveform_{c}.png",
                $"Cluster {c}: window closest to the cluster centre (distance {rep.Distance:0.00}), demeaned, each trace scaled to its peak.", 900, 320);
            if (rep.Section is { } section) RecordSection(images, rep, section);
            if (rep.Scalogram is { } scalogram)
            {
                var (values, centers) = (scalogram.Values, scalogram.CentersHz);
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
                images.Save(splot, $"scalogram_{c}.png",
                    $"Cluster {c}: first-layer scattering scalogram of the representative window ({channels[0]}).", 900, 320);
            }
        }
    }

    private static void Bic(ReportImages images, ClusterModel model)
    {
        if (model.Selection is { } sel)
        {
            var plot = new Plot();
            plot.Add.Scatter(sel.K.Select(k => (double)k).ToArray(), sel.Bic);
            plot.Title("Model selection");
            plot.XLabel("number of clusters K");
            plot.YLabel("BIC (lower is better)");
            var chosen = model.Mixture?.K ?? model.Clusters;
            images.Save(plot, "bic.png", chosen == model.Clusters ? $"BIC per K; K = {chosen} was chosen."
                : $"BIC per K; K = {chosen} components were chosen, then combined into {model.Clusters} clusters (below).", 600, 320);
        }
    }

    // Many stations (or channels): one row each, one column per time bin (whole hours, as many as fit), each
    // cell coloured by the cluster most of its windows fell in, in the timeline's colours — where and when each kind of
    // signal occurs across the network at a glance.
    private static void StationTime(ReportImages images, ReportData data, IReadOnlyDictionary<(int Station, long Hour), int[]> grid)
    {
        const int maxRows = 300;
        var stations = grid.Keys.Select(k => k.Station).Distinct().Order().ToList();
        var shown = stations.Take(maxRows).ToList();
        var height = Math.Clamp(160 + 14 * shown.Count, 320, 1400);
        // Square cells that do not overlap: the row height sets the cell size, the plot width (≈ 950 px) the columns.
        var cellPx = Math.Clamp((height - 140.0) / shown.Count, 2, 14);
        var maxColumns = (long)Math.Clamp(950 / cellPx, 20, 600);
        var row = shown.Select((st, r) => (st, r)).ToDictionary(x => x.st, x => shown.Count - 1 - x.r); // first station on top
        var (first, last) = (grid.Keys.Min(k => k.Hour), grid.Keys.Max(k => k.Hour));
        var hoursPerColumn = Math.Max(1, (last - first + maxColumns) / maxColumns);
        var cells = new Dictionary<(int Row, long Column), long[]>();
        foreach (var ((st, hour), counts) in grid)
        {
            if (!row.TryGetValue(st, out var r)) continue;
            var key = (r, (hour - first) / hoursPerColumn);
            if (!cells.TryGetValue(key, out var sum)) cells[key] = sum = new long[data.Clusters];
            for (var c = 0; c < counts.Length; c++) sum[c] += counts[c];
        }
        var marked = MostOverRepresented(data);
        var plot = new Plot();
        var byCluster = cells.ToLookup(e => marked(e.Value));
        for (var c = 0; c < data.Clusters; c++)
        {
            var mine = byCluster[c].ToList();
            if (mine.Count == 0) continue;
            var xs = mine.Select(e => DateTime.UnixEpoch.AddHours(first + (e.Key.Column + 0.5) * hoursPerColumn).ToOADate()).ToArray();
            Cells(plot, c, xs, mine.Select(e => (double)e.Key.Row).ToArray(), cellPx);
        }
        plot.Axes.DateTimeTicksBottom();
        var every = Math.Max(1, shown.Count / 40);
        var ticks = Enumerable.Range(0, shown.Count).Where(r => r % every == 0).ToArray();
        plot.Axes.Left.SetTicks(ticks.Select(r => (double)row[shown[r]]).ToArray(), ticks.Select(r => data.StationNames[shown[r]]).ToArray());
        plot.Title("Clusters by station and time");
        plot.XLabel(hoursPerColumn == 1 ? "time (UTC), one column per hour" : $"time (UTC), one column per {hoursPerColumn} hours");
        plot.ShowLegend(Edge.Right);
        var note = stations.Count > shown.Count ? $" The first {shown.Count} of {stations.Count} stations are shown." : "";
        images.Save(plot, "stations_time.png", "Per station and time bin, the cluster most over-represented among its windows (its count ÷ its " +
            "share of all windows), so events show where they occur; empty: no windows." + note, 1100, height);
    }

    // One cluster's cells of an image as filled squares in the timeline's colours.
    private static void Cells(Plot plot, int cluster, double[] xs, double[] ys, double cellPx)
    {
        var sp = plot.Add.Scatter(xs, ys);
        sp.LineWidth = 0;
        sp.MarkerShape = MarkerShape.FilledSquare;
        sp.MarkerSize = (float)cellPx;
        sp.Color = new ScottPlot.Palettes.Category10().GetColor(cluster);
        sp.LegendText = $"cluster {cluster}";
    }

    // A cell shows its most over-represented cluster (windows there ÷ the cluster's share of all windows): the most
    // common cluster (usually noise) wins only where nothing else occurs, so events stand out where they happen.
    private static Func<long[], int> MostOverRepresented(ReportData data)
    {
        var share = data.Counts.Select(n => Math.Max(1, n) / (double)Math.Max(1, data.Windows)).ToArray();
        return counts =>
        {
            var best = 0;
            for (var c = 1; c < counts.Length; c++)
                if (counts[c] / share[c] > counts[best] / share[best]) best = c;
            return best;
        };
    }

    // DAS: cluster per (time bin, channel bin), coloured like the timeline: the channel × time picture of what happens
    // where along the fibre (vehicles as slanted stripes, events as hyperbolae, a noisy section as a band).
    private static void FibreImage(ReportImages images, ReportData data, FibreTime grid)
    {
        var marked = MostOverRepresented(data);
        var times = grid.Cells.Keys.Select(k => k.Time).ToList();
        var (first, last) = (times.Min(), times.Max());
        // Square cells that tile the plot (≈ 950 × 700 px): time bins and channel bins are joined in groups until they fit.
        var timeGroup = Math.Max(1, (last - first + 1 + 633) / 634); // at least 1.5 px per column
        var columns = (last - first) / timeGroup + 1;
        var cellPx = Math.Clamp(950.0 / columns, 1.5, 14);
        var channelGroup = Math.Max(1, (int)Math.Ceiling(grid.BinPositions.Length * cellPx / 700));
        var cells = new Dictionary<(long Time, int Channel), int[]>();
        foreach (var ((t, ch), counts) in grid.Cells)
        {
            var key = ((t - first) / timeGroup, ch / channelGroup);
            if (!cells.TryGetValue(key, out var sum)) cells[key] = sum = new int[data.Clusters];
            for (var c = 0; c < counts.Length; c++) sum[c] += counts[c];
        }
        var positions = Enumerable.Range(0, (grid.BinPositions.Length + channelGroup - 1) / channelGroup)
            .Select(g => grid.BinPositions.Skip(g * channelGroup).Take(channelGroup).Average()).ToArray();
        var binNs = grid.BinNs * timeGroup;
        var binSeconds = binNs / 1e9;
        var plot = new Plot();
        var byCluster = cells.ToLookup(e => marked(e.Value.Select(v => (long)v).ToArray()));
        for (var c = 0; c < data.Clusters; c++)
        {
            var mine = byCluster[c].ToList();
            if (mine.Count == 0) continue;
            var xs = mine.Select(e => DateTime.UnixEpoch.AddTicks((grid.FirstNs + first * grid.BinNs + (long)((e.Key.Time + 0.5) * binNs)) / 100).ToOADate())
                .ToArray();
            Cells(plot, c, xs, mine.Select(e => positions[e.Key.Channel]).ToArray(), cellPx);
        }
        plot.Axes.DateTimeTicksBottom();
        plot.Axes.InvertY(); // the fibre's start on top, as record sections are drawn
        plot.Title("Clusters along the fibre and in time");
        plot.XLabel(string.Create(C, $"time (UTC), one column per {binSeconds:0.###} s"));
        plot.YLabel(grid.InMetres ? "distance along the fibre (m)" : "channel index");
        plot.ShowLegend(Edge.Right);
        images.Save(plot, "fibre_time.png", "Per channel bin and time bin, the cluster most over-represented among its windows (its count ÷ its share " +
            "of all windows): where along the fibre and when each kind of signal occurs; empty: no windows.", 1100, 760);
    }

    // DAS: the representative window across the fibre, one wiggle per channel (each scaled to its own peak), so a
    // cluster's moveout (an event's hyperbola, a vehicle's slope) is visible.
    private static void RecordSection(ReportImages images, RepresentativeWindow rep, RecordSection section)
    {
        var plot = new Plot();
        var n = section.Traces.Length;
        var spacing = n > 1 ? Math.Abs(section.Positions[^1] - section.Positions[0]) / (n - 1) : 1;
        for (var k = 0; k < n; k++)
        {
            var x = section.Traces[k];
            var mean = x.Length > 0 ? x.Average(v => (double)v) : 0;
            var scale = Math.Max(1e-12, x.Max(v => Math.Abs(v - mean)));
            var line = plot.Add.Scatter(Enumerable.Range(0, x.Length).Select(i => i / section.Rate).ToArray(),
                x.Select(v => section.Positions[k] + (v - mean) / scale * 0.6 * spacing).ToArray());
            line.MarkerSize = 0;
            line.LineWidth = 0.7f;
            line.Color = Colors.Black;
        }
        plot.Axes.InvertY();
        plot.Title($"Cluster {rep.Cluster}: record section at {TimeFormat.Iso(rep.StartNs)} (representative channel {rep.Station})");
        plot.XLabel("seconds after window start");
        plot.YLabel(section.InMetres ? "distance along the fibre (m)" : "channel index");
        images.Save(plot, $"section_{rep.Cluster}.png", $"Cluster {rep.Cluster}: the representative window at {n} channels spread along the fibre, " +
            "each demeaned and scaled to its own peak.", 900, 700);
    }

    // The components' merge hierarchy (ComponentMerging): leaves are mixture components, each join drawn at its rank;
    // the dashed line is where the entropy threshold stopped the joining, i.e. the clusters.
    private static void Dendrogram(ReportImages images, ClusterModel model, int[] map)
    {
        var k0 = map.Length;
        var trees = Enumerable.Range(0, k0).Select(k => (Leaves: new List<int> { k }, Height: 0.0, Node: -1)).ToList();
        var joins = new List<(int Left, int Right, double Height)>(); // node ids: leaves 0..k0-1, joins k0..
        var ids = Enumerable.Range(0, k0).ToList();
        for (var s = 0; s < model.Merges.Count; s++)
        {
            var step = model.Merges[s];
            var (a, b) = (step.A, step.B);
            joins.Add((ids[a], ids[b], s + 1));
            trees[a] = ([.. trees[a].Leaves, .. trees[b].Leaves], s + 1, k0 + s);
            ids[a] = k0 + s;
            trees.RemoveAt(b);
            ids.RemoveAt(b);
        }
        var order = trees.SelectMany(t => t.Leaves).ToList();
        var x = new double[k0 + joins.Count];
        var height = new double[k0 + joins.Count];
        for (var i = 0; i < order.Count; i++) x[order[i]] = i;
        var plot = new Plot();
        for (var j = 0; j < joins.Count; j++)
        {
            var (l, r, h) = joins[j];
            x[k0 + j] = (x[l] + x[r]) / 2;
            height[k0 + j] = h;
            plot.Add.Line(x[l], height[l], x[l], h).Color = Colors.Black;
            plot.Add.Line(x[r], height[r], x[r], h).Color = Colors.Black;
            plot.Add.Line(x[l], h, x[r], h).Color = Colors.Black;
        }
        var cut = k0 - (model.Clusters + model.Joins.Count) + 0.5; // the entropy's cut, before any join across stations
        var line = plot.Add.HorizontalLine(cut);
        line.LinePattern = LinePattern.Dashed;
        line.Color = Colors.Red;
        plot.Axes.Bottom.SetTicks(order.Select(k => (double)k).Select((_, i) => (double)i).ToArray(),
            order.Select(k => $"c{k}→{map[k]}").ToArray());
        plot.Title("Mixture components combined into clusters");
        plot.XLabel("component → cluster");
        plot.YLabel("join (in order)");
        images.Save(plot, "dendrogram.png",
            $"The BIC mixture's {k0} components joined pair by pair, the pair sharing the most windows first (entropy of the " +
                $"assignment); below the dashed line the joins that were made: {model.Clusters} clusters.", 600, 320);
    }
}
