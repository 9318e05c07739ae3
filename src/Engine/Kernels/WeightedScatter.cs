using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Seiscat.Engine.Kernels;

/// <summary>
/// The M-step's covariance statistic for one component: S += Σ_i r_i·(x_i − μ)(x_i − μ)ᵀ over rows of x (n × d),
/// lower triangle only (S[a,b], b ≤ a, row-major d × d; the caller mirrors it).
/// </summary>
[SkipLocalsInit]
public static class WeightedScatter
{
    /// <summary>The path this machine takes, chosen once.</summary>
    public static KernelIsa Path { get; } = KernelPath.Choose(KernelIsa.Vector256);

    public static void Accumulate(ReadOnlySpan<double> x, int d, ReadOnlySpan<double> r, ReadOnlySpan<double> mean, Span<double> s)
    {
        if (Path == KernelIsa.Vector256 && d <= 64 && r.Length >= 4)
            Vector256Path(x, d, r, mean, s);
        else
            Scalar(x, d, r, mean, s);
    }

    /// <summary>Reference: rows in order, S[a,b] += (r·Δa)·Δb.</summary>
    public static void Scalar(ReadOnlySpan<double> x, int d, ReadOnlySpan<double> r, ReadOnlySpan<double> mean, Span<double> s)
    {
        Span<double> diff = stackalloc double[d];
        for (var i = 0; i < r.Length; i++)
        {
            for (var j = 0; j < d; j++) diff[j] = x[i * d + j] - mean[j];
            for (var a = 0; a < d; a++)
            {
                var ra = r[i] * diff[a];
                for (var b = 0; b <= a; b++) s[a * d + b] += ra * diff[b];
            }
        }
    }

    // Lanes: rows i..i+3 side by side (Δ gathered once per block); one vector accumulator per (a, b ≤ a), summed
    // across lanes at the end as (l0 + l1) + (l2 + l3). The result differs from the scalar twin only by summation
    // order (≈ 1e-16 relative); it depends on n, not on alignment or threads. Tail rows go through the scalar twin.
    private static void Vector256Path(ReadOnlySpan<double> x, int d, ReadOnlySpan<double> r, ReadOnlySpan<double> mean, Span<double> s)
    {
        var n = r.Length;
        var pairs = d * (d + 1) / 2;
        Span<Vector256<double>> acc = stackalloc Vector256<double>[pairs];
        acc.Clear();
        Span<Vector256<double>> diff = stackalloc Vector256<double>[d];
        var i = 0;
        for (; i + 4 <= n; i += 4)
        {
            var rv = Vector256.Create(r[i], r[i + 1], r[i + 2], r[i + 3]);
            for (var j = 0; j < d; j++)
                diff[j] = Vector256.Create(x[i * d + j], x[(i + 1) * d + j], x[(i + 2) * d + j], x[(i + 3) * d + j]) - Vector256.Create(mean[j]);
            var p = 0;
            for (var a = 0; a < d; a++)
            {
                var ra = rv * diff[a];
                for (var b = 0; b <= a; b++) acc[p++] += ra * diff[b];
            }
        }
        var q = 0;
        for (var a = 0; a < d; a++)
            for (var b = 0; b <= a; b++, q++)
                s[a * d + b] += (acc[q][0] + acc[q][1]) + (acc[q][2] + acc[q][3]);
        if (i < n) Scalar(x[(i * d)..], d, r[i..], mean, s);
    }
}
