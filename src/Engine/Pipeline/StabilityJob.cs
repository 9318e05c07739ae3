using Seiscat.Engine.Io;
using Seiscat.Engine.Mixture;

namespace Seiscat.Engine.Pipeline;

public sealed record StabilityRow(long SampleSize, int Repeats, double MeanPairwiseAri, double MinPairwiseAri, double HeldOutLogLikelihood,
    double HeldOutLogLikelihoodStd, double Seconds);

public sealed record StabilityResult(long Rows, long HeldOut, int Clusters, IReadOnlyList<StabilityRow> Sizes, long? PlateauSize, string Rule);

/// <summary>
/// How stable is the clustering as the fitting sample grows? For each size, <c>repeats</c> independent fits (own
/// sample and seed); each labels one common held-out set. Reported: the mean and worst adjusted Rand index between
/// the repeats' held-out labels (1 = the same partition every time) and the mean held-out log-likelihood per window.
/// The plateau is the smallest size whose ARI is within 0.02 of the best size's and whose log-likelihood is within
/// 0.05 of the best's (per window): fitting on more windows than that buys little.
/// </summary>
public static class StabilityJob
{
    public static StabilityResult Run(FeatureSource source, IReadOnlyList<long> sizes, int repeats, FitOptions baseOptions, long heldOut,
        IProgress<string>? log = null)
    {
        if (repeats < 2) throw new SeiscatException($"{Setting.Repeats.Ref()} must be at least 2 (stability compares fits)");
        // A flat model is compared at a fixed K; a cluster tree is refitted whole (its leaves are the labels compared).
        if (baseOptions.AutoRange is not null && baseOptions.Levels <= 1)
            throw new SeiscatException($"stability compares fits with a fixed number of clusters; pass {Setting.Clusters.Ref()} K");
        var n = source.Rows;
        var held = ModelFitting.Choose(source, Math.Min(heldOut, n), SamplingStrategy.Uniform, baseOptions.Seed + 1_000_003);
        var d = source.Columns;
        var xh = new double[held.Length * d];
        var stations = new int[held.Length];
        ModelFitting.ReadRows(source, held, xh, stations);
        var rows = new List<StabilityRow>();
        foreach (var size in sizes.Where(s => s > 0).Distinct().Order())
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var effective = Math.Min(size, n);
            var labels = new List<int[]>();
            var lls = new List<double>();
            for (var r = 0; r < repeats; r++)
            {
                var options = baseOptions with { SampleCount = effective, SampleFraction = null, Seed = baseOptions.Seed + (ulong)(r * 7919 + 1) };
                var model = ModelFitting.Fit(source, options, out _);
                var predictor = new ClusterModel.Predictor(model, UnitBackgrounds.ForPrediction(model, source));
                var m = held.Length;
                var cluster = new int[m];
                var probability = new double[m];
                var ll = new double[m];
                predictor.Predict(xh, m, stations, cluster, probability, ll, new double[m]);
                labels.Add(cluster);
                lls.Add(ll.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average());
            }
            var aris = new List<double>();
            for (var a = 0; a < labels.Count; a++)
                for (var b = a + 1; b < labels.Count; b++) aris.Add(Stability.AdjustedRandIndex(labels[a], labels[b]));
            var meanLl = lls.Average();
            var stdLl = Math.Sqrt(lls.Select(v => (v - meanLl) * (v - meanLl)).Average());
            rows.Add(new StabilityRow(effective, repeats, aris.Average(), aris.Min(), meanLl, stdLl, clock.Elapsed.TotalSeconds));
            log?.Report($"  sample {effective,9}: ARI {aris.Average():0.000} (worst {aris.Min():0.000}), held-out log-likelihood {meanLl:0.000} ± " +
                $"{stdLl:0.000}");
            if (effective == n) break;
        }
        var bestAri = rows.Max(r => r.MeanPairwiseAri);
        var bestLl = rows.Where(r => double.IsFinite(r.HeldOutLogLikelihood)).Select(r => r.HeldOutLogLikelihood).DefaultIfEmpty(double.NaN).Max();
        var plateau = rows.FirstOrDefault(r => r.MeanPairwiseAri >= bestAri - 0.02 && (double.IsNaN(bestLl) || r.HeldOutLogLikelihood >= bestLl - 0.05));
        return new StabilityResult(n, held.Length, baseOptions.Clusters, rows, plateau?.SampleSize,
            "smallest size with mean pairwise ARI within 0.02 of the best and held-out log-likelihood within 0.05 per window of the best");
    }
}
