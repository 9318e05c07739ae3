using Seiscat.Engine.Kernels;

namespace Seiscat.Engine.Mixture.Covariance;

/// <summary>One d × d covariance shared by all components (sklearn _estimate_gaussian_covariances_tied).</summary>
internal sealed class TiedCovariance : MatrixCovariance
{
    public static readonly TiedCovariance Instance = new();

    public override CovarianceType Type => CovarianceType.Tied;
    public override long[] Shape(int k, int d) => [d, d];
    public override double ParameterCount(int k, int d) => d * (d + 1) / 2.0;
    protected override int Matrices(int k) => 1;
    protected override int Offset(int c, int d) => 0;

    public override double[] Estimate(double[] x, int n, int d, double[] resp, int k, double[] nk, double[] means, double[] sums, double reg,
        ParallelOptions parallel)
    {
        // XᵀX − Σ_k nk μ_k μ_kᵀ, over Σ nk. Rows of XᵀX in parallel; each element still sums its n products in row
        // order (vector lanes are separate elements, multiply then add as the scalar formula), so the bits do not
        // depend on the thread count or the vector width.
        var cov = new double[d * d];
        Parallel.For(0, d, parallel, a =>
        {
            var row = cov.AsSpan(a * d, d);
            for (var i = 0; i < n; i++)
            {
                var xi = x.AsSpan(i * d, d);
                Accumulate.Scaled(xi[a], xi, row);
            }
        });
        for (var c = 0; c < k; c++)
            for (var a = 0; a < d; a++)
                for (var b = 0; b < d; b++) cov[a * d + b] -= nk[c] * means[c * d + a] * means[c * d + b];
        var sumNk = nk.Sum();
        for (var t = 0; t < d * d; t++) cov[t] /= sumNk;
        for (var j = 0; j < d; j++) cov[j * d + j] += reg;
        return cov;
    }
}
