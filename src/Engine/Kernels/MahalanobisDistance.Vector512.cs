using System.Runtime.Intrinsics;

namespace Seiscat.Engine.Kernels;

public static partial class MahalanobisDistance
{
    // The Vector256 path with 8 rows side by side: each lane still does the scalar twin's operations in its order (no
    // FMA contraction), so the results are bit-identical to it and to the 256-bit path.
    private static void Vector512Path(ReadOnlySpan<double> x, int d, ReadOnlySpan<double> p, ReadOnlySpan<double> m, Span<double> output, int upper)
    {
        var n = output.Length;
        Span<Vector512<double>> xs = stackalloc Vector512<double>[d];
        var i = 0;
        for (; i + 8 <= n; i += 8)
        {
            for (var l = 0; l < d; l++)
                xs[l] = Vector512.Create(x[i * d + l], x[(i + 1) * d + l], x[(i + 2) * d + l], x[(i + 3) * d + l], x[(i + 4) * d + l],
                    x[(i + 5) * d + l], x[(i + 6) * d + l], x[(i + 7) * d + l]);
            var sum = Vector512<double>.Zero;
            for (var j = 0; j < d; j++)
            {
                var y = Vector512.Create(-m[j]);
                // upper = d: P[l, j] = 0 for l > j, products skipped (see Squared).
                var last = upper > 0 ? j : d - 1;
                for (var l = 0; l <= last; l++) y += xs[l] * Vector512.Create(p[l * d + j]);
                sum += y * y;
            }
            sum.CopyTo(output.Slice(i, 8));
        }
        if (i < n) Vector256Path(x[(i * d)..], d, p, m, output[i..], upper);
    }
}
