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
    /// <summary>k-means runs behind each EM start (the best inertia seeds EM). scikit-learn's GaussianMixture uses one;
    /// ten (KMeans' own default) make the BIC's choice of K stable across seeds (issue 12: the demo archive gave 4/4
    /// event classes for 2 of 6 seeds with one run, for 6 of 6 with ten).</summary>
    public int KMeansRestarts { get; init; } = 10;
    public ulong Seed { get; init; }
    /// <summary>Most threads the EM loops use (0: all cores). Row blocks are summed in a fixed order, so the result
    /// does not depend on it.</summary>
    public int Threads { get; init; }
}

/// <summary>A starting point with scikit-learn's names: means_init (k × d), optionally weights_init and precisions_init.</summary>
public sealed record GmmInit(double[] Means, double[]? Weights = null, double[]? Precisions = null);
