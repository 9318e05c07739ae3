using Seiscat.Engine.Mixture.Covariance;

namespace Seiscat.Engine.Mixture;

/// <summary>
/// A Gaussian mixture (weights, means, covariances and their precision Cholesky factors, shapes as scikit-learn's per
/// covariance type) and its scoring: weighted log-probabilities, log-likelihood and log-responsibilities by
/// log-sum-exp, BIC/AIC. Fitted by <see cref="ExpectationMaximization"/>; what differs between covariance types is in
/// <see cref="CovarianceModel"/>.
/// </summary>
public sealed class GaussianMixture
{
    public int K { get; }
    public int D { get; }
    public CovarianceType Type { get; }
    public double[] Weights { get; internal set; }
    public double[] Means { get; internal set; }
    /// <summary>full: k×d×d, tied: d×d, diag: k×d, spherical: k.</summary>
    public double[] Covariances { get; internal set; } = [];
    /// <summary>Same shapes as <see cref="Covariances"/>.</summary>
    public double[] PrecisionsCholesky { get; internal set; }
    public int Iterations { get; internal set; }
    public bool Converged { get; internal set; }
    public double LowerBound { get; internal set; }
    public List<double> LowerBoundTrace { get; } = [];

    internal CovarianceModel Model { get; }
    // Fitted models are scored by callers' own workers (predict): unbounded is right there; EM hands in its own.
    internal ParallelOptions Parallel { get; init; } = new();

    internal GaussianMixture(int k, int d, CovarianceType type, double[] weights, double[] means, double[] precisionsCholesky)
    {
        K = k; D = d; Type = type; Weights = weights; Means = means; PrecisionsCholesky = precisionsCholesky;
        Model = CovarianceModel.For(type);
    }

    /// <summary>A mixture from stored parameters (e.g. model.h5), ready to predict.</summary>
    public static GaussianMixture FromParameters(int k, int d, CovarianceType type, double[] weights, double[] means, double[] covariances,
        double[] precisionsCholesky)
        => new(k, d, type, weights, means, precisionsCholesky) { Covariances = covariances };

    /// <summary>EM as scikit-learn 1.2.1 (see <see cref="ExpectationMaximization"/>); rows are the first n·d values of x.</summary>
    public static GaussianMixture Fit(double[] x, int n, int d, GmmOptions o, GmmInit? init = null) => ExpectationMaximization.Fit(x, n, d, o, init);

    /// <summary>Shape of <see cref="Covariances"/> and <see cref="PrecisionsCholesky"/>.</summary>
    public long[] CovarianceShape => Model.Shape(K, D);

    /// <summary>Log N(x | μ_k, Σ_k) + log w_k for n rows into n × k.</summary>
    public void WeightedLogProb(ReadOnlySpan<double> x, int n, Span<double> output)
    {
        var d = D;
        var dist = Scratch(ref _tDist, n).AsSpan(0, n); // the models take the row count from its length
        var log2Pi = d * Math.Log(2 * Math.PI);
        // Full and tied: the block is transposed once and every component reads it by column (contiguous vector loads).
        double[]? xT = null;
        if (Model is MatrixCovariance)
        {
            xT = Scratch(ref _tXT, n * d);
            Kernels.MahalanobisDistance.Transpose(x, n, d, xT);
        }
        for (var c = 0; c < K; c++)
        {
            var logDet = Model is MatrixCovariance matrix && xT is not null
                ? matrix.DistancesByColumn(xT.AsSpan(0, n * d), n, d, c, Means.AsSpan(c * d, d), PrecisionsCholesky, dist)
                : Model.Distances(x[..(n * d)], d, c, Means.AsSpan(c * d, d), PrecisionsCholesky, dist);
            var logW = Math.Log(Weights[c]);
            for (var i = 0; i < n; i++) output[i * K + c] = -0.5 * (log2Pi + dist[i]) + logDet + logW;
        }
    }

    // Per-thread scratch for a row block (grown, never shrunk): the E-step runs once per block per EM iteration, and
    // ArrayPool's bookkeeping for arrays this size (its trimming queries the GC) showed up at ≈ 10 % of a trace.
    [ThreadStatic] private static double[]? _tDist, _tXT, _tExp;

    private static double[] Scratch(ref double[]? buffer, int length)
        => buffer is { } b && b.Length >= length ? b : buffer = GC.AllocateUninitializedArray<double>(length);

    /// <summary>Log-likelihood of each of the first n rows (logsumexp over components) and their log responsibilities (n × k).
    /// Large inputs are scored in parallel row blocks; every row's numbers are the same as in one pass.</summary>
    public void ScoreSamples(double[] x, int n, double[] logLikelihood, double[] logResp, double[]? resp = null)
    {
        if (n <= 2 * RowBlocks.Rows)
        {
            ScoreRows(x.AsSpan(0, n * D), n, logLikelihood.AsSpan(0, n), logResp.AsSpan(0, n * K), resp is null ? default : resp.AsSpan(0, n * K));
            return;
        }
        var (d, k) = (D, K);
        RowBlocks.ForEach(n, Parallel, (first, count) =>
            ScoreRows(x.AsSpan(first * d, count * d), count, logLikelihood.AsSpan(first, count), logResp.AsSpan(first * k, count * k),
                resp is null ? default : resp.AsSpan(first * k, count * k)));
    }

    // Log-sum-exp per row. The exponentials of a whole block are taken at once with the vector exp (≤ 2 ulp from
    // Math.Exp, 4.3e-16 relative at worst over 1e6 draws) and reused: responsibilities exp(v − norm) = exp(v − max)/s
    // (scikit-learn takes exp(log_resp) again in its M-step: n·k more exponentials per iteration).
    private void ScoreRows(ReadOnlySpan<double> x, int n, Span<double> logLikelihood, Span<double> logResp, Span<double> resp)
    {
        WeightedLogProb(x, n, logResp);
        var k = K;
        var e = resp.IsEmpty ? Scratch(ref _tExp, n * k).AsSpan(0, n * k) : resp;
        for (var i = 0; i < n; i++)
        {
            // logResp holds v − max until the row's sum is known.
            var row = logResp.Slice(i * k, k);
            var max = double.NegativeInfinity;
            foreach (var v in row) max = Math.Max(max, v);
            logLikelihood[i] = max;
            for (var c = 0; c < k; c++) row[c] -= max;
        }
        logResp[..(n * k)].CopyTo(e);
        Kernels.Exponential.InPlace(e);
        for (var i = 0; i < n; i++)
        {
            var er = e.Slice(i * k, k);
            double s = 0;
            foreach (var v in er) s += v;
            var logS = Math.Log(s);
            logLikelihood[i] += logS;
            var row = logResp.Slice(i * k, k);
            for (var c = 0; c < k; c++) row[c] -= logS;
            for (var c = 0; c < k; c++) er[c] /= s;
        }
    }

    /// <summary>Precision matrices (sklearn precisions_): P·Pᵀ per component for full/tied, squares for diag/spherical.</summary>
    public double[] Precisions() => Model.Precisions(PrecisionsCholesky, K, D);

    public int ParameterCount => (int)(Model.ParameterCount(K, D) + D * K + K - 1);

    public double Score(double[] x, int n)
    {
        var ll = new double[n];
        ScoreSamples(x, n, ll, new double[n * K]);
        return ll.Sum() / n;
    }

    public double Bic(double[] x, int n) => -2 * Score(x, n) * n + ParameterCount * Math.Log(n);
    public double Aic(double[] x, int n) => -2 * Score(x, n) * n + 2 * ParameterCount;
}
