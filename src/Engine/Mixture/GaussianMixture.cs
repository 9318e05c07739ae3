using Seiscat.Engine.Kernels;
using Seiscat.Engine.Linear;

namespace Seiscat.Engine.Mixture;

public enum CovarianceType { Full, Tied, Diag, Spherical }

public sealed record GmmOptions
{
    public required int Components { get; init; }
    public CovarianceType Covariance { get; init; } = CovarianceType.Full;
    public double Tol { get; init; } = 1e-3;
    public int MaxIter { get; init; } = 100;
    public double RegCovar { get; init; } = 1e-6;
    public int NInit { get; init; } = 1;
    public ulong Seed { get; init; }
    /// <summary>Most threads the EM loops use (0: all cores). Row blocks are summed in a fixed order, so the result
    /// does not depend on it.</summary>
    public int Threads { get; init; }
}

/// <summary>A starting point with scikit-learn's names: means_init (k × d), optionally weights_init and precisions_init.</summary>
public sealed record GmmInit(double[] Means, double[]? Weights = null, double[]? Precisions = null);

/// <summary>
/// Gaussian mixture fitted by EM exactly as scikit-learn 1.2.1's GaussianMixture: responsibilities by log-sum-exp,
/// M-step statistics in double (nk + 10·eps, reg_covar on the diagonal), precisions through Cholesky factors
/// (full/tied: inv(chol(Σ))ᵀ; diag/spherical: 1/√σ²), log-determinants from their diagonals, lower bound = mean
/// log-likelihood of the E-step before each M-step, |change| &lt; tol, n_init restarts keeping the best, and a
/// final E-step so labels agree with the returned parameters. Parameter shapes follow sklearn per covariance type.
/// </summary>
public sealed unsafe class GaussianMixture
{
    public int K { get; }
    public int D { get; }
    public CovarianceType Type { get; }
    public double[] Weights { get; private set; }
    public double[] Means { get; private set; }
    /// <summary>full: k×d×d, tied: d×d, diag: k×d, spherical: k.</summary>
    public double[] Covariances { get; private set; } = [];
    /// <summary>Same shapes as <see cref="Covariances"/>.</summary>
    public double[] PrecisionsCholesky { get; private set; }
    public int Iterations { get; private set; }
    public bool Converged { get; private set; }
    public double LowerBound { get; private set; }
    public List<double> LowerBoundTrace { get; } = [];
    private double[] _resp = [];
    private ParallelOptions _parallel = new(); // fitted models are scored by callers' own workers: unbounded is right there

    private GaussianMixture(int k, int d, CovarianceType type, double[] weights, double[] means, double[] precisionsCholesky)
    {
        K = k; D = d; Type = type; Weights = weights; Means = means; PrecisionsCholesky = precisionsCholesky;
    }

    /// <summary>A mixture from stored parameters (e.g. model.h5), ready to predict.</summary>
    public static GaussianMixture FromParameters(int k, int d, CovarianceType type, double[] weights, double[] means, double[] covariances, double[] precisionsCholesky)
        => new(k, d, type, weights, means, precisionsCholesky) { Covariances = covariances };

    public static GaussianMixture Fit(ReadOnlySpan<double> x, int n, int d, GmmOptions o, GmmInit? init = null)
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
        for (var run = 0; run < nInit; run++)
        {
            var m = Initialise(x, n, d, o, init, run, parallel);
            var bound = double.NegativeInfinity;
            var logResp = new double[n * k];
            int iter;
            for (iter = 1; iter <= o.MaxIter; iter++)
            {
                var previous = bound;
                bound = m.EStep(x, n, logResp);
                m.LowerBoundTrace.Add(bound);
                m.MStep(x, n, logResp, o.RegCovar);
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

    private static GaussianMixture Initialise(ReadOnlySpan<double> x, int n, int d, GmmOptions o, GmmInit? init, int run, ParallelOptions parallel)
    {
        var k = o.Components;
        // Responsibilities from k-means labels unless weights, means and precisions are all given (sklearn then ignores them).
        double[]? estimatedWeights = null, estimatedCovariances = null, estimatedMeans = null;
        if (init?.Weights is null || init.Precisions is null)
        {
            var labels = new int[n];
            if (init is not null) KMeans.Assign(x, n, d, init.Means, k, labels);
            else KMeans.Fit(x, n, d, k, o.Seed + (ulong)run * 7919, nInit: 1, labels: labels);
            var resp = new double[n * k];
            for (var i = 0; i < n; i++) resp[i * k + labels[i]] = 1;
            var (nk, means, cov) = Estimate(x, n, d, resp, k, o.RegCovar, o.Covariance, parallel);
            estimatedWeights = nk.Select(v => v / n).ToArray();
            estimatedMeans = means;
            estimatedCovariances = cov;
        }
        var weights = init?.Weights ?? estimatedWeights!;
        var mu = init?.Means ?? estimatedMeans!;
        double[] pc;
        if (init?.Precisions is { } precisions)
            pc = o.Covariance switch
            {
                CovarianceType.Full => Enumerable.Range(0, k).SelectMany(c => LowerCholesky(precisions.AsSpan(c * d * d, d * d), d, "precisions_init")).ToArray(),
                CovarianceType.Tied => LowerCholesky(precisions, d, "precisions_init"),
                _ => precisions.Select(Math.Sqrt).ToArray(),
            };
        else pc = PrecisionCholesky(estimatedCovariances!, k, d, o.Covariance);
        return new GaussianMixture(k, d, o.Covariance, (double[])weights.Clone(), (double[])mu.Clone(), pc) { Covariances = estimatedCovariances ?? [], _parallel = parallel };
    }

    private static double[] LowerCholesky(ReadOnlySpan<double> a, int d, string what)
    {
        var l = new double[d * d];
        if (!Dense.TryCholesky(a, d, l)) throw new SeiscatException($"{what} is not positive definite");
        return l;
    }

    /// <summary>Log N(x | μ_k, Σ_k) + log w_k for n rows into n × k.</summary>
    public void WeightedLogProb(ReadOnlySpan<double> x, int n, Span<double> output)
    {
        var d = D;
        var dist = new double[n];
        var m = new double[d];
        var log2Pi = d * Math.Log(2 * Math.PI);
        for (var c = 0; c < K; c++)
        {
            double logDet = 0;
            switch (Type)
            {
                case CovarianceType.Full:
                case CovarianceType.Tied:
                {
                    var p = Type == CovarianceType.Full ? PrecisionsCholesky.AsSpan(c * d * d, d * d) : PrecisionsCholesky.AsSpan();
                    for (var j = 0; j < d; j++)
                    {
                        double s = 0;
                        for (var l = 0; l < d; l++) s += Means[c * d + l] * p[l * d + j];
                        m[j] = s;
                        logDet += Math.Log(p[j * d + j]);
                    }
                    GaussianLogDensity.SquaredDistances(x, d, p, m, dist);
                    break;
                }
                case CovarianceType.Diag:
                {
                    var prec = new double[d];
                    for (var j = 0; j < d; j++)
                    {
                        var pcj = PrecisionsCholesky[c * d + j];
                        prec[j] = pcj * pcj;
                        logDet += Math.Log(pcj);
                    }
                    GaussianLogDensity.DiagonalSquaredDistances(x, d, Means.AsSpan(c * d, d), prec, dist);
                    break;
                }
                default:
                {
                    var pcs = PrecisionsCholesky[c];
                    var prec = Enumerable.Repeat(pcs * pcs, d).ToArray();
                    logDet = d * Math.Log(pcs);
                    GaussianLogDensity.DiagonalSquaredDistances(x, d, Means.AsSpan(c * d, d), prec, dist);
                    break;
                }
            }
            var logW = Math.Log(Weights[c]);
            for (var i = 0; i < n; i++) output[i * K + c] = -0.5 * (log2Pi + dist[i]) + logDet + logW;
        }
    }

    /// <summary>Log-likelihood of each row (logsumexp over components) and, optionally, log responsibilities.</summary>
    public void ScoreSamples(ReadOnlySpan<double> x, int n, Span<double> logLikelihood, Span<double> logResp)
    {
        if (n > 2 * RowBlock)
        {
            // Rows are independent: blocks in parallel give the same numbers as one pass. The spans are pinned for
            // the duration of the (synchronous) loop and re-sliced inside it, so nothing is copied.
            fixed (double* px = x)
            fixed (double* pll = logLikelihood)
            fixed (double* plr = logResp)
            {
                var (ax, all, alr, d, k) = ((nint)px, (nint)pll, (nint)plr, D, K);
                Parallel.For(0, Blocks(n), _parallel, bl =>
                {
                    var first = bl * RowBlock;
                    var count = Math.Min(RowBlock, n - first);
                    ScoreSamples(new ReadOnlySpan<double>((double*)ax + (long)first * d, count * d), count,
                        new Span<double>((double*)all + first, count), new Span<double>((double*)alr + (long)first * k, count * k));
                });
            }
            return;
        }
        WeightedLogProb(x, n, logResp);
        for (var i = 0; i < n; i++)
        {
            var row = logResp.Slice(i * K, K);
            var max = double.NegativeInfinity;
            foreach (var v in row) max = Math.Max(max, v);
            double s = 0;
            foreach (var v in row) s += Math.Exp(v - max);
            var norm = max + Math.Log(s);
            logLikelihood[i] = norm;
            for (var c = 0; c < K; c++) row[c] -= norm;
        }
    }

    private double[] _ll = [];

    private double EStep(ReadOnlySpan<double> x, int n, double[] logResp)
    {
        if (_ll.Length != n) _ll = new double[n];
        var ll = _ll;
        ScoreSamples(x, n, ll, logResp);
        double s = 0;
        foreach (var v in ll) s += v;
        return s / n;
    }

    private void MStep(ReadOnlySpan<double> x, int n, double[] logResp, double reg)
    {
        if (_resp.Length != logResp.Length) _resp = new double[logResp.Length];
        var resp = _resp;
        Parallel.For(0, Blocks(n), _parallel, bl =>
        {
            var first = bl * RowBlock * K;
            var end = Math.Min(logResp.Length, first + RowBlock * K);
            for (var t = first; t < end; t++) resp[t] = Math.Exp(logResp[t]);
        });
        var (nk, means, cov) = Estimate(x, n, D, resp, K, reg, Type, _parallel);
        var total = nk.Sum();
        Weights = nk.Select(v => v / total).ToArray();
        Means = means;
        Covariances = cov;
        PrecisionsCholesky = PrecisionCholesky(cov, K, D, Type);
    }

    // sklearn's _estimate_gaussian_parameters, formula for formula.
    private static (double[] Nk, double[] Means, double[] Covariances) Estimate(ReadOnlySpan<double> x, int n, int d, double[] resp, int k, double reg, CovarianceType type, ParallelOptions parallel)
    {
        // Σ_i r_ik and Σ_i r_ik·x_i per row block in parallel, blocks added in order (thread-count independent).
        var blocks = Blocks(n);
        var partial = new double[blocks][];
        fixed (double* px = x)
        {
            var ax = (nint)px;
            Parallel.For(0, blocks, parallel, bl =>
            {
                var xa = (double*)ax;
                var part = new double[k + k * d];
                var end = Math.Min(n, (bl + 1) * RowBlock);
                for (var i = bl * RowBlock; i < end; i++)
                    for (var c = 0; c < k; c++)
                    {
                        var r = resp[i * k + c];
                        part[c] += r;
                        for (var j = 0; j < d; j++) part[k + c * d + j] += r * xa[(long)i * d + j];
                    }
                partial[bl] = part;
            });
        }
        var nk = new double[k];
        var sums = new double[k * d];
        foreach (var part in partial)
        {
            for (var c = 0; c < k; c++) nk[c] += part[c];
            for (var t = 0; t < k * d; t++) sums[t] += part[k + t];
        }
        for (var c = 0; c < k; c++) nk[c] += 10 * 2.220446049250313e-16; // 10·np.finfo(float64).eps keeps empty components finite
        var means = new double[k * d];
        for (var c = 0; c < k; c++) for (var j = 0; j < d; j++) means[c * d + j] = sums[c * d + j] / nk[c];
        double[] cov;
        switch (type)
        {
            case CovarianceType.Full:
                cov = FullScatter(x, n, d, resp, k, means, parallel);
                for (var c = 0; c < k; c++)
                {
                    var block = cov.AsSpan(c * d * d, d * d);
                    for (var a = 0; a < d; a++)
                        for (var b = 0; b < a; b++) block[b * d + a] = block[a * d + b];
                    for (var t = 0; t < d * d; t++) block[t] /= nk[c];
                    for (var j = 0; j < d; j++) block[j * d + j] += reg;
                }
                break;
            case CovarianceType.Tied:
                cov = new double[d * d];
                for (var i = 0; i < n; i++)
                    for (var a = 0; a < d; a++)
                        for (var b = 0; b < d; b++) cov[a * d + b] += x[i * d + a] * x[i * d + b];
                for (var c = 0; c < k; c++)
                    for (var a = 0; a < d; a++)
                        for (var b = 0; b < d; b++) cov[a * d + b] -= nk[c] * means[c * d + a] * means[c * d + b];
                var sumNk = nk.Sum();
                for (var t = 0; t < d * d; t++) cov[t] /= sumNk;
                for (var j = 0; j < d; j++) cov[j * d + j] += reg;
                break;
            default:
                var diag = new double[k * d];
                var x2 = new double[k * d];
                for (var i = 0; i < n; i++)
                    for (var c = 0; c < k; c++)
                    {
                        var r = resp[i * k + c];
                        for (var j = 0; j < d; j++) x2[c * d + j] += r * x[i * d + j] * x[i * d + j];
                    }
                for (var c = 0; c < k; c++)
                    for (var j = 0; j < d; j++)
                    {
                        var avgX2 = x2[c * d + j] / nk[c];
                        var mu = means[c * d + j];
                        var avgXMeans = mu * sums[c * d + j] / nk[c];
                        diag[c * d + j] = avgX2 - 2 * avgXMeans + mu * mu + reg;
                    }
                cov = type == CovarianceType.Diag ? diag : Enumerable.Range(0, k).Select(c => diag.AsSpan(c * d, d).ToArray().Average()).ToArray();
                break;
        }
        return (nk, means, cov);
    }

    /// <summary>Rows are processed in fixed blocks of this many, in parallel; partial sums are combined in block order,
    /// so statistics do not depend on the thread count.</summary>
    internal const int RowBlock = 4096;

    private static int Blocks(int n) => (n + RowBlock - 1) / RowBlock;

    // Σ_i r_ik (x_i − μ_k)(x_i − μ_k)ᵀ (lower triangles), per component, blocks in parallel then summed in order.
    private static double[] FullScatter(ReadOnlySpan<double> xs, int n, int d, double[] resp, int k, double[] means, ParallelOptions parallel)
    {
        var blocks = Blocks(n);
        var partial = new double[blocks][];
        fixed (double* px = xs)
        {
            var ax = (nint)px;
            Parallel.For(0, blocks, parallel, bl =>
            {
                var first = bl * RowBlock;
                var count = Math.Min(RowBlock, n - first);
                var part = new double[k * d * d];
                var r = new double[count];
                var rows = new ReadOnlySpan<double>((double*)ax + (long)first * d, count * d);
                for (var c = 0; c < k; c++)
                {
                    for (var i = 0; i < count; i++) r[i] = resp[(first + i) * k + c];
                    WeightedScatter.Accumulate(rows, d, r, means.AsSpan(c * d, d), part.AsSpan(c * d * d, d * d));
                }
                partial[bl] = part;
            });
        }
        var cov = new double[k * d * d];
        foreach (var part in partial) for (var t = 0; t < cov.Length; t++) cov[t] += part[t];
        return cov;
    }

    private static double[] PrecisionCholesky(double[] cov, int k, int d, CovarianceType type)
    {
        var advice = $"fitting the mixture failed: a covariance became singular; try fewer clusters, a larger sample, a larger {Setting.RegCovar.Ref()}, or a reduced feature space ({Setting.Reduce.Ref()})";
        switch (type)
        {
            case CovarianceType.Full:
            case CovarianceType.Tied:
            {
                var count = type == CovarianceType.Full ? k : 1;
                var result = new double[count * d * d];
                var l = new double[d * d];
                for (var c = 0; c < count; c++)
                {
                    if (!Dense.TryCholesky(cov.AsSpan(c * d * d, d * d), d, l)) throw new SeiscatException(advice);
                    var inv = Dense.InvertLower(l, d);
                    for (var a = 0; a < d; a++) for (var b = 0; b < d; b++) result[c * d * d + a * d + b] = inv[b * d + a];
                }
                return result;
            }
            default:
                if (cov.Any(v => !(v > 0))) throw new SeiscatException(advice);
                return cov.Select(v => 1 / Math.Sqrt(v)).ToArray();
        }
    }

    /// <summary>Precision matrices (sklearn precisions_): P·Pᵀ per component for full/tied, squares for diag/spherical.</summary>
    public double[] Precisions()
    {
        if (Type is CovarianceType.Diag or CovarianceType.Spherical) return PrecisionsCholesky.Select(v => v * v).ToArray();
        var count = Type == CovarianceType.Full ? K : 1;
        var d = D;
        var result = new double[count * d * d];
        for (var c = 0; c < count; c++)
            for (var a = 0; a < d; a++)
                for (var b = 0; b < d; b++)
                {
                    double s = 0;
                    for (var t = 0; t < d; t++) s += PrecisionsCholesky[c * d * d + a * d + t] * PrecisionsCholesky[c * d * d + b * d + t];
                    result[c * d * d + a * d + b] = s;
                }
        return result;
    }

    public int ParameterCount => (int)(Type switch
    {
        CovarianceType.Full => K * D * (D + 1) / 2.0,
        CovarianceType.Diag => K * D,
        CovarianceType.Tied => D * (D + 1) / 2.0,
        _ => K,
    } + D * K + K - 1);

    public double Score(ReadOnlySpan<double> x, int n)
    {
        var ll = new double[n];
        ScoreSamples(x, n, ll, new double[n * K]);
        return ll.Sum() / n;
    }

    public double Bic(ReadOnlySpan<double> x, int n) => -2 * Score(x, n) * n + ParameterCount * Math.Log(n);
    public double Aic(ReadOnlySpan<double> x, int n) => -2 * Score(x, n) * n + 2 * ParameterCount;
}
