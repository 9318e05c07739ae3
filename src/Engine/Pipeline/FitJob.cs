using Seiscat.Engine.Common;
using Seiscat.Engine.Io;
using Seiscat.Engine.Linear;
using Seiscat.Engine.Mixture;

namespace Seiscat.Engine.Pipeline;

/// <summary>
/// `fit`: a features file (or a scatter output, or FILE.h5:/2-D dataset) → model.h5. The sample, transform, mixture,
/// combining, cluster tree and join are <see cref="ModelFitting"/>'s; this stage opens the input, fits and saves.
/// </summary>
public static class FitJob
{
    public static (ClusterModel Model, FitReport Report) Run(string inputPath, string outPath, FitOptions options)
    {
        using var source = FeatureSource.Open(inputPath);
        var model = ModelFitting.Fit(source, options, out var report);
        model.Save(outPath);
        return (model, report);
    }

    /// <summary>A warning when the BIC chose the largest K it tried (the search ran to the top of its range, so a larger K
    /// may fit better); null otherwise.</summary>
    public static string? BicWarning(FitReport report)
    {
        var curve = report.BicCurve;
        if (curve.Count < 2 || report.Components != curve[^1].K) return null;
        var (low, high) = (curve[0].K, curve[^1].K);
        return FormattableString.Invariant(
            $"the BIC chose K = {high}, the top of the range it searched ({low}–{high}): a larger K may fit better; widen it with ") +
            FormattableString.Invariant($"{Setting.Clusters.Ref()} auto:{low}-{2 * high}");
    }

    /// <summary>One line on a fitted model: clusters, mixture, sample, kept and reduced features, time.</summary>
    public static string Describe(ClusterModel model, FitReport report, string output)
    {
        var g = model.Mixture;
        var mixture = g is null ? "k-means"
            : FormattableString.Invariant(
                $"GMM {g.Type.ToString().ToLowerInvariant()}, {g.Iterations} EM iterations, {(g.Converged ? "converged" : "NOT converged")}");
        if (model.ComponentCluster is { } map && g is not null && g.K != model.Clusters)
            mixture = FormattableString.Invariant($"{mixture}; its {g.K} components combined into {model.Clusters}");
        if (model.Joins.Count > 0) mixture = $"{mixture}; {NetworkCoincidence.Describe(model.Joins)}";
        var paper = NetworkKinds.Of(model.FeatureConfig) == NetworkKind.Paper;
        var backgrounds = Plural.Of(model.Backgrounds?.Stations.Count ?? 0, (model.Backgrounds?.Noun ?? "station") + " background");
        var recipe = paper && model.Transform.Options.Scale == ScaleKind.None ? "the paper network's features"
            : model.Transform.Layout is null ? "log features"
            : model.Transform.Background ? $"event features relative to {backgrounds}" : "event contrasts";
        return FormattableString.Invariant(
            $"wrote {output}: {report.Clusters} clusters ({mixture}) on {report.Sampled} of {report.Rows} rows of {recipe}, ") +
            FormattableString.Invariant($"{model.Transform.KeptColumns.Length} of {model.Transform.InputFeatures} features kept, ") +
            FormattableString.Invariant($"{model.Transform.OutputFeatures} reduced dimensions, {report.Seconds:0.0} s") +
            (model.Branch is null ? "" : FormattableString.Invariant(
                $"; a tree of {model.Depth} levels refines it into {model.Labels} labels ({string.Join(", ", model.LabelNames())})"));
    }
}
