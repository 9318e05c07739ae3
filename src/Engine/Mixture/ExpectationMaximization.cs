using Seiscat.Engine.Mixture.Covariance;

namespace Seiscat.Engine.Mixture;

/// <summary>
/// EM for <see cref="GaussianMixture"/> exactly as scikit-learn 1.2.1's GaussianMixture.fit: responsibilities by
/// log-sum-exp, M-step statistics in double (nk + 10·eps, reg_covar on the diagonal), precisions through Cholesky
/// factors, lower bound = mean log-likelihood of the E-step before each M-step, |change| &lt; tol, n_init restarts
/// keeping the best, start from k-means labels unless means, weights and precisions are all given. Row statistics
/// are summed in fixed blocks in block order (<see cref="RowBlocks"/>): the same bits for any thread count.
/// </summary>
internal static class ExpectationMaximization
{
    public static GaussianMixture Fit(double[] x, int n, int d, GmmOptions o, GmmInit? init)
    {
        var k = o.Components;
        if (k < 1) throw new SeiscatException($"{Setting.Clusters.Ref()} {k}: need at least one cluster");
        if (n < k) throw new SeiscatException($"{n} samples cannot make {k} clusters; draw a larger sample or ask for fewer clusters");
        if (n < 2) throw new SeiscatException("a Gaussian mixture needs at least 2 samples");
        GaussianMixture? best = null;
        var bestBound = double.NegativeInfinity;
        var converged = false;
        var nInit = init is null ? Math.Max(1, o.NInit) : 1;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = o.Threads > 0 ? o.Threads : -1 };
        var logResp = new double[n * k];
        var resp = new double[n * k];
        var ll = new double[n];
        for (var run = 0; run < nInit; run++)
        {
            var m = Initialise(x, n, d, o, init, run, parallel);
            var bound = double.NegativeInfinity;
            int iter;
            for (iter = 1; iter <= o.MaxIter; iter++)
            {
                var previous = bound;
                bound = EStep(m, x, n, ll, logResp, resp);
                m.LowerBoundTrace.Add(bound);
                MStep(m, x, n, resp, o.RegCovar, parallel);
                if (Math.Abs(bound - previous) < o.Tol) { m.Converged = true; break; }
            }
            m.Iterations = Math.Min(iter, o.MaxIter);
            m.LowerBound = bound;
            converged |= m.Converged;
            if (best is null || bound > bestBound) { best = m; bestBound = bound; }
        }
        best!.Converged = converged;
        return best;
    }

    private static GaussianMixture Initialise(double[] x, int n, int d, GmmOptions o, GmmInit? init, int run, ParallelOptions parallel)
    {
        var k = o.Components;
        var model = CovarianceModel.For(o.Covariance);
        // Responsibilities from k-means labels unless weights, means and precisions are all given (sklearn then ignores them).
        double[]? estimatedWeights = null, estimatedCovariances = null, estimatedMeans = null;
        if (init?.Weights is null || init.Precisions is null)
        {
            var labels = new int[n];
            if (init is not null) KMeans.Assign(x, n, d, init.Means, k, labels);
            else KMeans.Fit(x, n, d, k, o.Seed + (ulong)run * 7919, nInit: o.KMeansRestarts, labels: labels);
            var resp = new double[n * k];
            for (var i = 0; i < n; i++) resp[i * k + labels[i]] = 1;
            var (nk, means, cov) = Estimate(model, x, n, d, resp, k, o.RegCovar, parallel);
            estimatedWeights = nk.Select(v => v / n).ToArray();
            estimatedMeans = means;
            estimatedCovariances = cov;
        }
        var weights = init?.Weights ?? estimatedWeights!;
        var mu = init?.Means ?? estimatedMeans!;
        var pc = init?.Precisions is { } precisions
            ? model.PrecisionCholeskyFromPrecisions(precisions, k, d)
            : model.PrecisionCholesky(estimatedCovariances!, k, d);
        return new GaussianMixture(k, d, o.Covariance, (double[])weights.Clone(), (double[])mu.Clone(), pc)
        {
            Covariances = estimatedCovariances ?? [],
            Parallel = parallel,
        };
    }

    private static double EStep(GaussianMixture m, double[] x, int n, double[] ll, double[] logResp, double[] resp)
    {
        m.ScoreSamples(x, n, ll, logResp, resp);
        double s = 0;
        foreach (var v in ll) s += v;
        return s / n;
    }

    private static void MStep(GaussianMixture m, double[] x, int n, double[] resp, double reg, ParallelOptions parallel)
    {
        var k = m.K;
        var (nk, means, cov) = Estimate(m.Model, x, n, m.D, resp, k, reg, parallel);
        var total = nk.Sum();
        m.Weights = nk.Select(v => v / total).ToArray();
        m.Means = means;
        m.Covariances = cov;
        m.PrecisionsCholesky = m.Model.PrecisionCholesky(cov, k, m.D);
    }

    // sklearn's _estimate_gaussian_parameters, formula for formula.
    private static (double[] Nk, double[] Means, double[] Covariances) Estimate(CovarianceModel model, double[] x, int n, int d, double[] resp, int k,
        double reg, ParallelOptions parallel)
    {
        // Σ_i r_ik and Σ_i r_ik·x_i per row block in parallel, blocks added in order.
        var stats = RowBlocks.Sum(n, k + k * d, parallel, (first, count, part) =>
        {
            for (var i = first; i < first + count; i++)
            {
                var row = x.AsSpan(i * d, d);
                for (var c = 0; c < k; c++)
                {
                    var r = resp[i * k + c];
                    part[c] += r;
                    Kernels.Accumulate.Scaled(r, row, part.AsSpan(k + c * d, d));
                }
            }
        });
        var nk = stats[..k];
        var sums = stats[k..];
        for (var c = 0; c < k; c++) nk[c] += 10 * 2.220446049250313e-16; // 10·np.finfo(float64).eps keeps empty components finite
        var means = new double[k * d];
        for (var c = 0; c < k; c++) for (var j = 0; j < d; j++) means[c * d + j] = sums[c * d + j] / nk[c];
        return (nk, means, model.Estimate(x, n, d, resp, k, nk, means, sums, reg, parallel));
    }
}
