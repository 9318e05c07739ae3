using System.Diagnostics;
using Seiscat.Engine.Common;
using Seiscat.Engine.Mixture;

namespace Seiscat.Engine.Benchmarks;

public sealed record MixtureBenchResult(int Samples, int Dimensions, int Clusters, int Iterations, double FitSeconds, double PredictRowsPerSecond,
    string Covariance);

/// <summary>
/// `seiscat bench gmm`: EM on a synthetic k-component mixture (n × d, fixed seed), exactly <c>iterations</c>
/// iterations (tol = 0), from k-means-free starts (means = k random rows), then scoring throughput on one thread.
/// bench/sklearn/gmm_fit.py runs the same problem in scikit-learn for a same-machine comparison.
/// </summary>
public static class MixtureBenchmark
{
    public static double[] Data(int n, int d, int k, ulong seed = 11)
    {
        var rng = new Xoshiro256(seed);
        var centres = Enumerable.Range(0, k * d).Select(_ => rng.Uniform(-4, 4)).ToArray();
        var x = new double[n * d];
        for (var i = 0; i < n; i++)
        {
            var c = i % k;
            for (var j = 0; j < d; j++) x[i * d + j] = centres[c * d + j] + rng.NextGaussian() * (0.5 + 0.1 * j);
        }
        return x;
    }

    public static MixtureBenchResult Run(int n, int d, int k, int iterations, CovarianceType type)
    {
        var x = Data(n, d, k);
        var means = new double[k * d];
        for (var c = 0; c < k; c++) x.AsSpan(c * 97 % n * d, d).CopyTo(means.AsSpan(c * d, d));
        var clock = Stopwatch.StartNew();
        var gmm = GaussianMixture.Fit(x, n, d, new GmmOptions { Components = k, Covariance = type, Tol = 0, MaxIter = iterations }, new GmmInit(means));
        var fit = clock.Elapsed.TotalSeconds;
        var ll = new double[n];
        var lr = new double[n * k];
        // Warm-up long enough for tiered compilation to replace the scoring loop's first code (one call was not: the
        // scoring path is not the fit's E-step, so nothing had run it before).
        clock.Restart();
        while (clock.Elapsed.TotalSeconds < 0.5) gmm.ScoreSamples(x, n, ll, lr);
        clock.Restart();
        var reps = 0;
        do { gmm.ScoreSamples(x, n, ll, lr); reps++; } while (clock.Elapsed.TotalSeconds < 2);
        return new MixtureBenchResult(n, d, k, gmm.Iterations, fit, reps * (double)n / clock.Elapsed.TotalSeconds, type.ToString().ToLowerInvariant());
    }
}
