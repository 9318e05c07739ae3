using System.Runtime.Intrinsics;

namespace Seiscat.Engine.Kernels;

public static partial class MahalanobisDistance
{
    private const int MaxVectorDimension = 64;

    // Lanes: 4 samples (rows i..i+3) side by side; x_l for the 4 rows is gathered once per block into xs[l].
    // For each output dimension j: y = −m_j + Σ_l xs[l]·P[l,j] (P broadcast), then sum += y² — the scalar twin's
    // exact operation order per lane, without FMA contraction, hence bit-identical results.
    // Tail: the last n mod 4 rows go through the scalar twin.
    private static void Vector256Path(ReadOnlySpan<double> x, int d, ReadOnlySpan<double> p, ReadOnlySpan<double> m, Span<double> output, int upper)
    {
        var n = output.Length;
        Span<Vector256<double>> xs = stackalloc Vector256<double>[d];
        var i = 0;
        for (; i + 4 <= n; i += 4)
        {
            for (var l = 0; l < d; l++)
                xs[l] = Vector256.Create(x[i * d + l], x[(i + 1) * d + l], x[(i + 2) * d + l], x[(i + 3) * d + l]);
            var sum = Vector256<double>.Zero;
            for (var j = 0; j < d; j++)
            {
                var y = Vector256.Create(-m[j]);
                var last = upper > 0 ? j : d - 1;
                for (var l = 0; l <= last; l++) y += xs[l] * Vector256.Create(p[l * d + j]);
                sum += y * y;
            }
            sum.CopyTo(output.Slice(i, 4));
        }
        if (i < n) Scalar(x[(i * d)..], d, p, m, output[i..]);
    }
}
