using Seiscat.Engine.Kernels;

namespace Seiscat.Engine.Mixture.Covariance;

/// <summary>A diagonal covariance per component (sklearn _estimate_gaussian_covariances_diag).</summary>
internal class DiagonalCovariance : CovarianceModel
{
    public static readonly DiagonalCovariance Instance = new();

    public override CovarianceType Type => CovarianceType.Diag;
    public override long[] Shape(int k, int d) => [k, d];
    public override double ParameterCount(int k, int d) => k * d;

    public override double[] Estimate(double[] x, int n, int d, double[] resp, int k, double[] nk, double[] means, double[] sums, double reg,
        ParallelOptions parallel)
        => Variances(x, n, d, resp, k, nk, means, sums, reg, parallel);

    /// <summary>
    /// σ²_kj = Σ_i r_ik x_ij² / nk − 2 μ_kj (Σ_i r_ik x_ij) / nk + μ_kj² + reg. Components in parallel; each element sums
    /// its n terms in row order ((r·x)·x, vector lanes are separate elements), so the bits do not depend on threads.
    /// </summary>
    protected static double[] Variances(double[] x, int n, int d, double[] resp, int k, double[] nk, double[] means, double[] sums, double reg,
        ParallelOptions parallel)
    {
        var x2 = new double[k * d];
        Parallel.For(0, k, parallel, c =>
        {
            var acc = x2.AsSpan(c * d, d);
            for (var i = 0; i < n; i++) Accumulate.WeightedSquares(resp[i * k + c], x.AsSpan(i * d, d), acc);
        });
        var diag = new double[k * d];
        for (var c = 0; c < k; c++)
            for (var j = 0; j < d; j++)
            {
                var avgX2 = x2[c * d + j] / nk[c];
                var mu = means[c * d + j];
                var avgXMeans = mu * sums[c * d + j] / nk[c];
                diag[c * d + j] = avgX2 - 2 * avgXMeans + mu * mu + reg;
            }
        return diag;
    }

    public override double[] PrecisionCholesky(double[] covariances, int k, int d)
    {
        if (covariances.Any(v => !(v > 0))) throw SingularCovariance();
        return covariances.Select(v => 1 / Math.Sqrt(v)).ToArray();
    }

    public override double[] PrecisionCholeskyFromPrecisions(double[] precisions, int k, int d) => precisions.Select(Math.Sqrt).ToArray();

    public override double[] Precisions(double[] pc, int k, int d) => pc.Select(v => v * v).ToArray();

    public override double Distances(ReadOnlySpan<double> x, int d, int c, ReadOnlySpan<double> mean, double[] pc, Span<double> distances)
    {
        var precision = new double[d];
        double logDet = 0;
        for (var j = 0; j < d; j++)
        {
            var pcj = pc[c * d + j];
            precision[j] = pcj * pcj;
            logDet += Math.Log(pcj);
        }
        MahalanobisDistance.SquaredDiagonal(x, d, mean, precision, distances);
        return logDet;
    }
}
