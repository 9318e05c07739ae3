using Seiscat.Engine.Kernels;
using System.Numerics.Tensors;
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

    /// <summary>Log N(x | μ_k, Σ_k) + log w_k for n rows, component-major: component c's n values at c·n (contiguous, so
    /// the log-sum-exp that follows runs down whole vectors of rows).</summary>
    private void WeightedLogProbByComponent(ReadOnlySpan<double> x, int n, Span<double> output)
    {
        var d = D;
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
            var dist = output.Slice(c * n, n); // the models take the row count from its length
            var logDet = Model is MatrixCovariance matrix && xT is not null
                ? matrix.DistancesByColumn(xT.AsSpan(0, n * d), n, d, c, Means.AsSpan(c * d, d), PrecisionsCholesky, dist)
                : Model.Distances(x[..(n * d)], d, c, Means.AsSpan(c * d, d), PrecisionsCholesky, dist);
            // −½(log 2π·d + dist) + log det + log w, one operation at a time in this order: the scalar formula's bits.
            TensorPrimitives.Add(dist, log2Pi, dist);
            TensorPrimitives.Multiply(dist, -0.5, dist);
            TensorPrimitives.Add(dist, logDet, dist);
            TensorPrimitives.Add(dist, Math.Log(Weights[c]), dist);
        }
    }

    // Per-thread scratch for a row block (grown, never shrunk): the E-step runs once per block per EM iteration, and
    // ArrayPool's bookkeeping for arrays this size (its trimming queries the GC) showed up at ≈ 10 % of a trace.
    [ThreadStatic] private static double[]? _tXT, _tByComponent, _tExp, _tMax, _tSum;

    private static double[] Scratch(ref double[]? buffer, int length)
        => buffer is { } b && b.Length >= length ? b : buffer = GC.AllocateUninitializedArray<double>(length);

    /// <summary>The most probable component of each of the first n rows (the first of equal ones), as scikit-learn's
    /// <c>predict</c>.</summary>
    public int[] Predict(double[] x, int n)
    {
        var logResp = new double[n * K];
        ScoreSamples(x, n, new double[n], logResp);
        var labels = new int[n];
        for (var i = 0; i < n; i++) labels[i] = Reductions.ArgMax(logResp.AsSpan(i * K, K));
        return labels;
    }

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

    // Log-sum-exp per row, run component-major over the block: max, shift, exp and sum are element-wise vector passes over
    // n rows at a time (they were scalar loops over k values per row: a third of scoring). Per row the operations and
    // their order are the row loop's — max over components in order, v − max, exp, Σ from the first component on,
    // log — so every number is the same. The exponentials are taken at once with the vector exp (≤ 2 ulp from Math.Exp,
    // 4.3e-16 relative at worst over 1e6 draws) and reused: responsibilities exp(v − norm) = exp(v − max)/s
    // (scikit-learn takes exp(log_resp) again in its M-step: n·k more exponentials per iteration).
    private void ScoreRows(ReadOnlySpan<double> x, int n, Span<double> logLikelihood, Span<double> logResp, Span<double> resp)
    {
        // In slices of 512 rows: the component-major copies (two of n·k doubles) then stay in L1/L2 beside the caller's rows
        // (a whole 4 096-row block's are 320 KiB each at k = 10).
        var (d, k) = (D, K);
        for (var first = 0; first < n; first += SliceRows)
        {
            var m = Math.Min(SliceRows, n - first);
            ScoreSliceRows(x.Slice(first * d, m * d), m, logLikelihood.Slice(first, m), logResp.Slice(first * k, m * k),
                resp.IsEmpty ? resp : resp.Slice(first * k, m * k));
        }
    }

    private const int SliceRows = 512;

    private void ScoreSliceRows(ReadOnlySpan<double> x, int n, Span<double> logLikelihood, Span<double> logResp, Span<double> resp)
    {
        var k = K;
        var v = Scratch(ref _tByComponent, n * k).AsSpan(0, n * k);
        var e = Scratch(ref _tExp, n * k).AsSpan(0, n * k);
        var max = Scratch(ref _tMax, n).AsSpan(0, n);
        var sum = Scratch(ref _tSum, n).AsSpan(0, n);
        WeightedLogProbByComponent(x, n, v);
        v[..n].CopyTo(max);
        for (var c = 1; c < k; c++) TensorPrimitives.Max(max, v.Slice(c * n, n), max);
        for (var c = 0; c < k; c++) TensorPrimitives.Subtract(v.Slice(c * n, n), max, v.Slice(c * n, n));
        v.CopyTo(e);
        Kernels.Exponential.InPlace(e);
        e[..n].CopyTo(sum); // 0 + e₀ = e₀: the row loop's sum started at zero
        for (var c = 1; c < k; c++) TensorPrimitives.Add(sum, e.Slice(c * n, n), sum);
        for (var i = 0; i < n; i++)
        {
            var logS = Math.Log(sum[i]);
            logLikelihood[i] = max[i] + logS;
            max[i] = logS; // max is spent: it holds log s for the transposes below
        }
        // Back to row-major (n × k) for the callers.
        for (var i = 0; i < n; i++)
        {
            var logS = max[i];
            var row = logResp.Slice(i * k, k);
            for (var c = 0; c < k; c++) row[c] = v[c * n + i] - logS;
        }
        if (resp.IsEmpty) return;
        for (var i = 0; i < n; i++)
        {
            var s = sum[i];
            var row = resp.Slice(i * k, k);
            for (var c = 0; c < k; c++) row[c] = e[c * n + i] / s;
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
