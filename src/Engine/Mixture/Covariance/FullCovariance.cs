using Seiscat.Engine.Kernels;

namespace Seiscat.Engine.Mixture.Covariance;

/// <summary>One d × d covariance per component (sklearn _estimate_gaussian_covariances_full).</summary>
internal sealed class FullCovariance : MatrixCovariance
{
    public static readonly FullCovariance Instance = new();

    public override CovarianceType Type => CovarianceType.Full;
    public override long[] Shape(int k, int d) => [k, d, d];
    public override double ParameterCount(int k, int d) => k * d * (d + 1) / 2.0;
    protected override int Matrices(int k) => k;
    protected override int Offset(int c, int d) => c * d * d;

    public override double[] Estimate(double[] x, int n, int d, double[] resp, int k, double[] nk, double[] means, double[] sums, double reg,
        ParallelOptions parallel)
    {
        // Σ_i r_ik (x_i − μ_k)(x_i − μ_k)ᵀ, lower triangles, per row block in parallel, blocks added in order.
        var cov = RowBlocks.Sum(n, k * d * d, parallel, (first, count, part) =>
        {
            var r = new double[count];
            var rows = x.AsSpan(first * d, count * d);
            for (var c = 0; c < k; c++)
            {
                for (var i = 0; i < count; i++) r[i] = resp[(first + i) * k + c];
                WeightedScatter.Accumulate(rows, d, r, means.AsSpan(c * d, d), part.AsSpan(c * d * d, d * d));
            }
        });
        for (var c = 0; c < k; c++)
        {
            var block = cov.AsSpan(c * d * d, d * d);
            for (var a = 0; a < d; a++)
                for (var b = 0; b < a; b++) block[b * d + a] = block[a * d + b];
            for (var t = 0; t < d * d; t++) block[t] /= nk[c];
            for (var j = 0; j < d; j++) block[j * d + j] += reg;
        }
        return cov;
    }
}
