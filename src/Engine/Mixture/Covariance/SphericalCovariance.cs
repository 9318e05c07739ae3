using Seiscat.Engine.Kernels;

namespace Seiscat.Engine.Mixture.Covariance;

/// <summary>One variance per component (sklearn _estimate_gaussian_covariances_spherical: the mean of the diagonal).</summary>
internal sealed class SphericalCovariance : DiagonalCovariance
{
    public static new readonly SphericalCovariance Instance = new();

    public override CovarianceType Type => CovarianceType.Spherical;
    public override long[] Shape(int k, int d) => [k];
    public override double ParameterCount(int k, int d) => k;

    public override double[] Estimate(double[] x, int n, int d, double[] resp, int k, double[] nk, double[] means, double[] sums, double reg,
        ParallelOptions parallel)
    {
        var diag = Variances(x, n, d, resp, k, nk, means, sums, reg, parallel);
        return Enumerable.Range(0, k).Select(c => diag.AsSpan(c * d, d).ToArray().Average()).ToArray();
    }

    public override double Distances(ReadOnlySpan<double> x, int d, int c, ReadOnlySpan<double> mean, double[] pc, Span<double> distances)
    {
        var pcs = pc[c];
        var precision = Enumerable.Repeat(pcs * pcs, d).ToArray();
        MahalanobisDistance.SquaredDiagonal(x, d, mean, precision, distances);
        return d * Math.Log(pcs);
    }
}
