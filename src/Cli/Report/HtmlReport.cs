using System.Globalization;
using System.Net;
using System.Text;
using Seiscat.Engine.Pipeline;
using Seiscat.Engine.Pipeline.Run;

namespace Seiscat.Cli.Report;

/// <summary>
/// report/index.html with the figures beside it (<see cref="ReportFigures"/>): the cluster table, the score against
/// truth.csv and the stability study when the run has them, then every figure with its caption. Built from the run's
/// typed results; plain HTML, readable without seiscat.
/// </summary>
internal static class HtmlReport
{
    public static string Write(RunResult run)
    {
        var dir = Path.Combine(run.Directory, "report");
        Directory.CreateDirectory(dir);
        var images = new ReportImages(dir);
        var (model, data) = (run.Model, run.Report);
        ReportFigures.Draw(images, model, data);

        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture,
            $"<p>{data.Windows} windows, {data.Clusters} clusters; model fitted on {Encode(model.Sampling)} ({Encode(model.Source)}); " +
                $"{Encode(Recipe(model))} reduced by {model.Transform.Options.Reduce.ToString().ToUpperInvariant()} to " +
                $"{model.Transform.OutputFeatures} dimensions{Combined(model)}.</p>");
        var names = model.LabelNames();
        Table(html, null, ["cluster", .. model.Branch is null ? Array.Empty<string>() : ["leaf of the tree"], "windows", "share", "mean probability"],
            Enumerable.Range(0, data.Clusters).Select(c => new[] { Invariant($"{c}") }
                .Concat(model.Branch is null ? [] : [names[c]])
                .Concat([
                    Invariant($"{data.Counts[c]}"), Invariant($"{100.0 * data.Counts[c] / Math.Max(1, data.Windows):0.0} %"),
                    Invariant($"{data.MeanProbability[c]:0.000}"),
                ]).ToArray()));
        if (model.Branch is not null) Tree(html, model, data);
        if (run.Evaluation is { } e)
        {
            html.Append("<h2>Against the planted classes (truth.csv)</h2>");
            html.Append(CultureInfo.InvariantCulture,
                $"<p>{Encode(EvaluateJob.Summary(e))}. A class is recovered when one cluster holds ≥ 70 % of its windows and ≥ 70 % of that cluster's " +
                    $"windows are of the class.</p>");
            Table(html, null, ["class", "windows", "majority cluster", "share of the class there", "share of the cluster that is the class", "recovered"],
                e.Classes.Select(c => new[]
                {
                    c.Class, Invariant($"{c.Windows}"), Invariant($"{c.MajorityCluster}"), Invariant($"{c.Purity:P0}"), Invariant($"{c.ClusterPurity:P0}"),
                    c.Recovered ? "yes" : "no",
                }));
            html.Append("<p>Confusion table: windows of each class (rows) in each cluster (columns).</p>");
            Table(html, null, ["class", .. Enumerable.Range(0, e.Confusion.Clusters).Select(k => Invariant($"cluster {k}"))],
                e.Confusion.Classes.Select((name, i) => new[] { name }.Concat(e.Confusion.Counts[i].Select(v => Invariant($"{v}"))).ToArray()));
        }
        if (run.Stability is { } s)
        {
            html.Append("<h2>Stability as the sample grows</h2>");
            Table(html, s.PlateauSize is { } plateau ? Invariant($"Plateau: about {plateau} windows ({s.Rule}).") : "No plateau within the sizes tried.",
                ["sample size", "fits", "mean pairwise ARI", "worst pairwise ARI", "held-out log-likelihood", "± std", "seconds"],
                s.Sizes.Select(r => new[]
                {
                    Invariant($"{r.SampleSize}"), Invariant($"{r.Repeats}"), Invariant($"{r.MeanPairwiseAri:0.###}"), Invariant($"{r.MinPairwiseAri:0.###}"),
                    Invariant($"{r.HeldOutLogLikelihood:0.###}"), Invariant($"{r.HeldOutLogLikelihoodStd:0.###}"), Invariant($"{r.Seconds:0.#}"),
                }));
        }
        return images.WritePage("index.html", "seiscat report", html.ToString());
    }

    // The cluster tree as nested lists: each node's clusters with their windows; a refined group names the windows that
    // were refitted and what its child made of them (the leaves are the table's clusters above).
    private static void Tree(StringBuilder html, Seiscat.Engine.Mixture.ClusterModel model, Seiscat.Engine.Pipeline.Report.ReportData data)
    {
        html.Append("<h2>Cluster tree</h2><p>Each level refits, on every window of the record that falls in them, the clusters of the level " +
            "above that are not background (less than 20 % of its windows). Leaves are named by their path; counts are windows of this run.</p>");
        var labels = 0;
        void Node(Seiscat.Engine.Mixture.ClusterModel node, string prefix)
        {
            html.Append("<ul>");
            var kept = node.Clusters - (node.Branch?.Parents.Length ?? 0);
            for (var c = 0; c < kept; c++, labels++)
                html.Append(CultureInfo.InvariantCulture, $"<li>{Encode(prefix + c)}: {data.Counts[labels]} windows</li>");
            if (node.Branch is { } b)
            {
                var first = labels;
                var count = 0L;
                for (var l = first; l < first + b.Model.Labels; l++) count += data.Counts[l];
                html.Append(CultureInfo.InvariantCulture,
                    $"<li>{Encode(prefix + kept)}: {count} windows — {Encode(b.Note)}; refitted into {b.Model.Clusters} clusters");
                Node(b.Model, prefix + kept + ".");
                html.Append("</li>");
            }
            html.Append("</ul>");
        }
        Node(model, "");
    }

    private static void Table(StringBuilder html, string? caption, IReadOnlyList<string> header, IEnumerable<string[]> rows)
    {
        if (caption is not null) html.Append("<p>").Append(Encode(caption)).Append("</p>");
        html.Append("<table><tr>");
        foreach (var h in header) html.Append("<th>").Append(Encode(h)).Append("</th>");
        html.Append("</tr>");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            foreach (var cell in row) html.Append("<td>").Append(Encode(cell)).Append("</td>");
            html.Append("</tr>");
        }
        html.Append("</table>");
    }

    // What the clusters were built on, in a seismologist's words (docs/clustering.md).
    private static string Recipe(Seiscat.Engine.Mixture.ClusterModel model) => model.Transform.Layout is null
        ? "features: log10 of every scattering coefficient,"
        : model.Transform.Background
            ? $"features: each band's transient contrast (max/mean) and, relative to {Backgrounds(model.Backgrounds)} own " +
                "background, its spectral shape and modulation,"
            : "features: each band's transient contrast (max/mean of its envelope),";

    private static string Backgrounds(Seiscat.Engine.Mixture.UnitBackgrounds? b)
        => b is null || b.Stations.Count == 1 ? $"its {b?.Noun ?? "station"}'s" : $"each of the {b.Stations.Count} {b.Noun}s'";

    private static string Combined(Seiscat.Engine.Mixture.ClusterModel model)
        => model.Mixture is { } g && g.K != model.Clusters ? Invariant($"; the mixture's {g.K} components combined into {model.Clusters} clusters") : "";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
