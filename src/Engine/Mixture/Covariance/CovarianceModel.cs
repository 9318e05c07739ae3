using Seiscat.Engine.Linear;

namespace Seiscat.Engine.Mixture.Covariance;

/// <summary>
/// Everything that differs between covariance types, one small type per kind as scikit-learn has one function per
/// kind (_estimate_gaussian_covariances_full/tied/diag/spherical, _compute_precision_cholesky,
/// _estimate_log_gaussian_prob): parameter shapes, the M-step estimate, precision Cholesky factors, and the
/// per-component log-determinant and squared Mahalanobis distances of the E-step. Shapes follow scikit-learn:
/// full k×d×d, tied d×d, diag k×d, spherical k.
/// </summary>
internal abstract class CovarianceModel
{
    public static CovarianceModel For(CovarianceType type) => type switch
    {
        CovarianceType.Full => FullCovariance.Instance,
        CovarianceType.Tied => TiedCovariance.Instance,
        CovarianceType.Diag => DiagonalCovariance.Instance,
        _ => SphericalCovariance.Instance,
    };

    public abstract CovarianceType Type { get; }

    /// <summary>Shape of the covariance (and precision Cholesky) array.</summary>
    public abstract long[] Shape(int k, int d);

    /// <summary>Free covariance parameters (for BIC/AIC).</summary>
    public abstract double ParameterCount(int k, int d);

    /// <summary>
    /// The M-step's covariances from responsibilities <paramref name="resp"/> (n × k) of rows <paramref name="x"/>
    /// (n × d), with nk = Σ_i r_ik (+10·eps), means, sums = Σ_i r_ik·x_i, and reg_covar added.
    /// </summary>
    public abstract double[] Estimate(double[] x, int n, int d, double[] resp, int k, double[] nk, double[] means, double[] sums, double reg,
        ParallelOptions parallel);

    /// <summary>Cholesky factors of the precisions (full/tied: inv(chol(Σ))ᵀ; diag/spherical: 1/√σ²).</summary>
    public abstract double[] PrecisionCholesky(double[] covariances, int k, int d);

    /// <summary>Cholesky factors from given precisions (precisions_init).</summary>
    public abstract double[] PrecisionCholeskyFromPrecisions(double[] precisions, int k, int d);

    /// <summary>The precisions themselves (sklearn precisions_).</summary>
    public abstract double[] Precisions(double[] precisionsCholesky, int k, int d);

    /// <summary>
    /// Component <paramref name="c"/>: squared Mahalanobis distances of the rows of <paramref name="x"/> to
    /// <paramref name="mean"/> into <paramref name="distances"/>; returns log det of the precision Cholesky factor.
    /// </summary>
    public abstract double Distances(ReadOnlySpan<double> x, int d, int c, ReadOnlySpan<double> mean, double[] precisionsCholesky, Span<double> distances);

    protected static SeiscatException SingularCovariance() => new(
        $"fitting the mixture failed: a covariance became singular; try fewer clusters, a larger sample, a larger {Setting.RegCovar.Ref()}, or a " +
            $"reduced feature space ({Setting.Reduce.Ref()})");

    /// <summary>Lower Cholesky factor of a d × d matrix, or a refusal naming what was not positive definite.</summary>
    protected static double[] LowerCholesky(ReadOnlySpan<double> a, int d, string what)
    {
        var l = new double[d * d];
        if (!Dense.TryCholesky(a, d, l)) throw new SeiscatException($"{what} is not positive definite");
        return l;
    }
}
