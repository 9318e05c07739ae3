using Seiscat.Engine.Linear;
using Seiscat.Engine.Mixture;

namespace Seiscat.Engine.Learning;

/// <summary>
/// The paper's loss for one window: the negative log-likelihood of its PCA-projected features under a Gaussian mixture
/// with full covariances, both held fixed during the gradient steps. −log p(z), z = W(f − μ); its gradient is
/// Wᵀ Σ_k γ_k P_k (z − μ_k) with γ the responsibilities and P_k = L_k L_kᵀ (L_k: the precision's Cholesky factor, as
/// scikit-learn's precisions_cholesky_).
/// </summary>
public sealed class ClusteringLoss
{
    private readonly Pca _pca;
    private readonly GaussianMixture _gmm;
    private readonly double[] _logNorm; // log w_k − D/2·log 2π + log det L_k

    public ClusteringLoss(Pca pca, GaussianMixture gmm)
    {
        if (gmm.Type != CovarianceType.Full) throw new ArgumentException("the paper's loss uses full covariances", nameof(gmm));
        _pca = pca;
        _gmm = gmm;
        var d = gmm.D;
        _logNorm = new double[gmm.K];
        for (var k = 0; k < gmm.K; k++)
        {
            double logDet = 0;
            for (var j = 0; j < d; j++) logDet += Math.Log(gmm.PrecisionsCholesky[k * d * d + j * d + j]);
            _logNorm[k] = Math.Log(gmm.Weights[k]) - 0.5 * d * Math.Log(2 * Math.PI) + logDet;
        }
    }

    public int Features => _pca.Features;

    /// <summary>−log p of one feature row; adds <paramref name="scale"/> × its gradient to <paramref name="gradient"/>.</summary>
    public double ValueAndGradient(ReadOnlySpan<double> f, Span<double> gradient, double scale)
    {
        var d = _gmm.D;
        var kCount = _gmm.K;
        Span<double> z = stackalloc double[d];
        _pca.Transform(f, z);
        Span<double> logp = stackalloc double[kCount];
        var y = new double[kCount * d];
        var max = double.NegativeInfinity;
        for (var k = 0; k < kCount; k++)
        {
            var l = _gmm.PrecisionsCholesky.AsSpan(k * d * d, d * d);
            double norm = 0;
            for (var j = 0; j < d; j++)
            {
                double v = 0;
                for (var i = 0; i < d; i++) v += (z[i] - _gmm.Means[k * d + i]) * l[i * d + j];
                y[k * d + j] = v;
                norm += v * v;
            }
            logp[k] = _logNorm[k] - 0.5 * norm;
            max = Math.Max(max, logp[k]);
        }
        double sum = 0;
        for (var k = 0; k < kCount; k++) sum += Math.Exp(logp[k] - max);
        var total = max + Math.Log(sum);
        Span<double> gz = stackalloc double[d];
        gz.Clear();
        for (var k = 0; k < kCount; k++)
        {
            var gamma = Math.Exp(logp[k] - total);
            if (gamma == 0) continue;
            var l = _gmm.PrecisionsCholesky.AsSpan(k * d * d, d * d);
            for (var i = 0; i < d; i++)
            {
                double v = 0;
                for (var j = 0; j < d; j++) v += l[i * d + j] * y[k * d + j];
                gz[i] += gamma * v;
            }
        }
        var w = _pca.ComponentsMatrix;
        var features = f.Length;
        for (var c = 0; c < d; c++)
        {
            var g = scale * gz[c];
            for (var i = 0; i < features; i++) gradient[i] += g * w[c * features + i];
        }
        return -total;
    }
}
