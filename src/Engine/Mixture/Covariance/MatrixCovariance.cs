using Seiscat.Engine.Kernels;
using Seiscat.Engine.Linear;

namespace Seiscat.Engine.Mixture.Covariance;

/// <summary>Full and tied covariances: d × d matrices (one per component, or one shared), precisions through Cholesky.</summary>
internal abstract class MatrixCovariance : CovarianceModel
{
    /// <summary>How many d × d matrices: k (full) or 1 (tied).</summary>
    protected abstract int Matrices(int k);

    /// <summary>Offset of component c's matrix in the parameter arrays.</summary>
    protected abstract int Offset(int c, int d);

    public override double[] PrecisionCholesky(double[] covariances, int k, int d)
    {
        var count = Matrices(k);
        var result = new double[count * d * d];
        var l = new double[d * d];
        for (var c = 0; c < count; c++)
        {
            if (!Dense.TryCholesky(covariances.AsSpan(c * d * d, d * d), d, l)) throw SingularCovariance();
            var inv = Dense.InvertLower(l, d);
            for (var a = 0; a < d; a++) for (var b = 0; b < d; b++) result[c * d * d + a * d + b] = inv[b * d + a];
        }
        return result;
    }

    public override double[] PrecisionCholeskyFromPrecisions(double[] precisions, int k, int d)
        => Enumerable.Range(0, Matrices(k)).SelectMany(c => LowerCholesky(precisions.AsSpan(c * d * d, d * d), d, "precisions_init")).ToArray();

    public override double[] Precisions(double[] pc, int k, int d)
    {
        var count = Matrices(k);
        var result = new double[count * d * d];
        for (var c = 0; c < count; c++)
            for (var a = 0; a < d; a++)
                for (var b = 0; b < d; b++)
                {
                    double s = 0;
                    for (var t = 0; t < d; t++) s += pc[c * d * d + a * d + t] * pc[c * d * d + b * d + t];
                    result[c * d * d + a * d + b] = s;
                }
        return result;
    }

    /// <summary><see cref="Distances"/> for a row block already transposed (d × n, <see cref="MahalanobisDistance.Transpose"/>).</summary>
    public double DistancesByColumn(ReadOnlySpan<double> xT, int n, int d, int c, ReadOnlySpan<double> mean, double[] pc, Span<double> distances)
    {
        var p = pc.AsSpan(Offset(c, d), d * d);
        Span<double> m = stackalloc double[d];
        var logDet = MeanProduct(mean, p, d, m);
        MahalanobisDistance.SquaredColumns(xT, n, d, p, m, distances);
        return logDet;
    }

    // m = μ·P and log det P (the factor is triangular: its diagonal).
    private static double MeanProduct(ReadOnlySpan<double> mean, ReadOnlySpan<double> p, int d, Span<double> m)
    {
        double logDet = 0;
        for (var j = 0; j < d; j++)
        {
            double s = 0;
            for (var l = 0; l < d; l++) s += mean[l] * p[l * d + j];
            m[j] = s;
            logDet += Math.Log(p[j * d + j]);
        }
        return logDet;
    }

    public override double Distances(ReadOnlySpan<double> x, int d, int c, ReadOnlySpan<double> mean, double[] pc, Span<double> distances)
    {
        // ‖(x − μ)·P‖² = ‖x·P − μ·P‖²: μ·P once per component, then the kernel per row.
        var p = pc.AsSpan(Offset(c, d), d * d);
        Span<double> m = stackalloc double[d];
        var logDet = MeanProduct(mean, p, d, m);
        MahalanobisDistance.Squared(x, d, p, m, distances);
        return logDet;
    }
}
