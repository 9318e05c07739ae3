using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Seiscat.Engine.Kernels;

/// <summary>Reductions over a window: sum accumulated in double (mean pooling), maximum (max pooling), dot product
/// accumulated in double (template matching's exact lags).</summary>
[SkipLocalsInit]
public static class Reductions
{
    /// <summary>The path this machine takes, chosen once.</summary>
    public static KernelIsa Path { get; } = KernelPath.Choose(KernelIsa.Vector256);

    public static double Sum(ReadOnlySpan<float> x)
        => Path == KernelIsa.Vector256 && x.Length >= 8 ? SumVector256(x) : SumScalar(x);

    /// <summary>Reference: four double accumulators over i mod 4, combined as (s0 + s1) + (s2 + s3), like the vector path.</summary>
    public static double SumScalar(ReadOnlySpan<float> x)
    {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        var i = 0;
        for (; i + 8 <= x.Length; i += 8)
        {
            s0 += x[i]; s1 += x[i + 1]; s2 += x[i + 2]; s3 += x[i + 3];
            s0 += x[i + 4]; s1 += x[i + 5]; s2 += x[i + 6]; s3 += x[i + 7];
        }
        var s = (s0 + s1) + (s2 + s3);
        for (; i < x.Length; i++) s += x[i];
        return s;
    }

    // Lanes: 8 floats widened to two Vector256<double> (lanes 0-3 and 4-7) added into one accumulator of 4
    // doubles, so lane j sums x[i] with i mod 4 = j — the same association as the scalar twin, hence identical
    // bits. Tail: scalar, in index order (a reduction cannot overlap).
    private static double SumVector256(ReadOnlySpan<float> x)
    {
        ref var p = ref MemoryMarshal.GetReference(x);
        var acc = Vector256<double>.Zero;
        nuint i = 0;
        var n = (nuint)x.Length;
        for (; i + 8 <= n; i += 8)
        {
            var (lo, hi) = Vector256.Widen(Vector256.LoadUnsafe(ref p, i));
            acc += lo;
            acc += hi;
        }
        var s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
        for (; i < n; i++) s += Unsafe.Add(ref p, i);
        return s;
    }

    /// <summary>Σ a[i]·b[i] with float products formed exactly in double and summed in double.</summary>
    public static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException("dot of spans of different lengths");
        return Path == KernelIsa.Vector256 && a.Length >= 8 ? DotVector256(a, b) : DotScalar(a, b);
    }

    /// <summary>Reference: four double accumulators over i mod 4, combined as (s0 + s1) + (s2 + s3), like the vector path
    /// (a float × float product is exact in double, so both paths give identical bits).</summary>
    public static double DotScalar(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        var i = 0;
        for (; i + 8 <= a.Length; i += 8)
        {
            s0 += (double)a[i] * b[i]; s1 += (double)a[i + 1] * b[i + 1]; s2 += (double)a[i + 2] * b[i + 2]; s3 += (double)a[i + 3] * b[i + 3];
            s0 += (double)a[i + 4] * b[i + 4]; s1 += (double)a[i + 5] * b[i + 5]; s2 += (double)a[i + 6] * b[i + 6]; s3 += (double)a[i + 7] * b[i + 7];
        }
        var s = (s0 + s1) + (s2 + s3);
        for (; i < a.Length; i++) s += (double)a[i] * b[i];
        return s;
    }

    // Lanes: 8 floats of each input widened to two Vector256<double> (elements 0-3, 4-7); the products (exact in double)
    // are added, not fused, into one accumulator of 4 doubles, so lane j sums i mod 4 = j in index order like the
    // scalar twin. Tail: scalar, in index order.
    private static double DotVector256(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        ref var pa = ref MemoryMarshal.GetReference(a);
        ref var pb = ref MemoryMarshal.GetReference(b);
        var acc = Vector256<double>.Zero;
        nuint i = 0;
        var n = (nuint)a.Length;
        for (; i + 8 <= n; i += 8)
        {
            var (alo, ahi) = Vector256.Widen(Vector256.LoadUnsafe(ref pa, i));
            var (blo, bhi) = Vector256.Widen(Vector256.LoadUnsafe(ref pb, i));
            acc += alo * blo;
            acc += ahi * bhi;
        }
        var s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
        for (; i < n; i++) s += (double)Unsafe.Add(ref pa, i) * Unsafe.Add(ref pb, i);
        return s;
    }

    public static float Max(ReadOnlySpan<float> x)
    {
        if (x.IsEmpty) throw new ArgumentException("max of nothing");
        if (!(Path == KernelIsa.Vector256 && x.Length >= 8)) return MaxScalar(x);
        // Tail: an overlapping last vector (max is idempotent).
        ref var p = ref MemoryMarshal.GetReference(x);
        var n = (nuint)x.Length;
        var m = Vector256.LoadUnsafe(ref p, n - 8);
        for (nuint i = 0; i + 8 <= n; i += 8) m = Vector256.Max(m, Vector256.LoadUnsafe(ref p, i));
        var r = m[0];
        for (var k = 1; k < 8; k++) r = Math.Max(r, m[k]);
        return r;
    }

    public static float MaxScalar(ReadOnlySpan<float> x)
    {
        var m = x[0];
        foreach (var v in x) m = Math.Max(m, v);
        return m;
    }

    /// <summary>The index of the largest value, the first of equal ones (a cluster label from posteriors); −1 when empty.
    /// NaN never wins over a number.</summary>
    public static int ArgMax(ReadOnlySpan<double> x)
    {
        if (x.IsEmpty) return -1;
        var best = 0;
        for (var i = 1; i < x.Length; i++) if (x[i] > x[best]) best = i;
        return best;
    }
}
