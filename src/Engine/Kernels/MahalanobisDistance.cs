using System.Runtime.CompilerServices;

namespace Seiscat.Engine.Kernels;

/// <summary>
/// The Gaussian mixture's inner loop: squared Mahalanobis distances through a precision Cholesky factor P
/// (P·Pᵀ = Σ⁻¹), out[i] = Σ_j (Σ_l x[i,l]·P[l,j] − m[j])² with m = μ·P, for n rows of x (n × d, row-major); the
/// log-density is −½(d·log 2π + out[i]) + log det P, assembled by the caller.
/// </summary>
[SkipLocalsInit]
public static partial class MahalanobisDistance
{
    /// <summary>The path this machine takes, chosen once.</summary>
    public static KernelIsa Path { get; } = KernelPath.Choose(KernelIsa.Vector256, KernelIsa.Vector512);

    public static void Squared(ReadOnlySpan<double> x, int d, ReadOnlySpan<double> p, ReadOnlySpan<double> m, Span<double> output)
    {
        var n = output.Length;
        if (x.Length < n * d || p.Length < d * d || m.Length < d) throw new ArgumentException("shapes disagree");
        // Full and tied mixtures pass upper-triangular factors (the transposed inverse of a lower Cholesky factor): the
        // products with its exact zeros add exact zeros, so skipping them (45 % of the work at d = 10) keeps the bits.
        var rows = UpperTriangular(p, d) ? d : 0;
        if (Path == KernelIsa.Vector512 && d <= MaxVectorDimension && n >= 8)
            Vector512Path(x, d, p, m, output, rows);
        else if (Path >= KernelIsa.Vector256 && d <= MaxVectorDimension && n >= 4)
            Vector256Path(x, d, p, m, output, rows);
        else
            Scalar(x, d, p, m, output);
    }

    private static bool UpperTriangular(ReadOnlySpan<double> p, int d)
    {
        for (var l = 1; l < d; l++)
            for (var j = 0; j < l; j++)
                if (p[l * d + j] != 0) return false;
        return true;
    }

    /// <summary>Reference twin: y_j = −m_j + Σ_l x_l·P[l,j] accumulated in l order, then Σ_j y_j² in j order.</summary>
    public static void Scalar(ReadOnlySpan<double> x, int d, ReadOnlySpan<double> p, ReadOnlySpan<double> m, Span<double> output)
    {
        for (var i = 0; i < output.Length; i++)
        {
            var row = x.Slice(i * d, d);
            double sum = 0;
            for (var j = 0; j < d; j++)
            {
                var y = -m[j];
                for (var l = 0; l < d; l++) y += row[l] * p[l * d + j];
                sum += y * y;
            }
            output[i] = sum;
        }
    }

    /// <summary>Diagonal precisions: out[i] = Σ_j (x[i,j] − μ_j)²·prec_j (diag and spherical mixtures).</summary>
    public static void SquaredDiagonal(ReadOnlySpan<double> x, int d, ReadOnlySpan<double> mean, ReadOnlySpan<double> precision, Span<double> output)
    {
        for (var i = 0; i < output.Length; i++)
        {
            double sum = 0;
            for (var j = 0; j < d; j++)
            {
                var t = x[i * d + j] - mean[j];
                sum += t * t * precision[j];
            }
            output[i] = sum;
        }
    }
}
