using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Seiscat.Engine.Kernels;

/// <summary>
/// Element-by-element loops every window passes through: float → double widening (features read into double rows),
/// subtracting a double constant from floats (the demean of every component), and zeroing non-finite samples (missing
/// data). Each vector path gives the same bits as its scalar twin: widening and narrowing are exact per lane, and the
/// non-finite test only skips blocks the scalar loop would leave alone.
/// </summary>
[SkipLocalsInit]
public static class Elementwise
{
    /// <summary>The path this machine takes, chosen once.</summary>
    public static KernelIsa Path { get; } = KernelPath.Choose(KernelIsa.Vector256);

    /// <summary>dst[i] = src[i] (exact).</summary>
    public static void Widen(ReadOnlySpan<float> src, Span<double> dst)
    {
        if (dst.Length < src.Length) throw new ArgumentException("destination shorter than source", nameof(dst));
        if (Path == KernelIsa.Vector256) WidenVector256(src, dst);
        else WidenScalar(src, dst);
    }

    public static void WidenScalar(ReadOnlySpan<float> src, Span<double> dst)
    {
        for (var i = 0; i < src.Length; i++) dst[i] = src[i];
    }

    private static void WidenVector256(ReadOnlySpan<float> src, Span<double> dst)
    {
        ref var s = ref MemoryMarshal.GetReference(src);
        ref var d = ref MemoryMarshal.GetReference(dst);
        nuint i = 0, n = (nuint)src.Length;
        for (; i + 8 <= n; i += 8)
        {
            var (lower, upper) = Vector256.Widen(Vector256.LoadUnsafe(ref s, i));
            lower.StoreUnsafe(ref d, i);
            upper.StoreUnsafe(ref d, i + 4);
        }
        for (; i < n; i++) Unsafe.Add(ref d, i) = Unsafe.Add(ref s, i);
    }

    /// <summary>x[i] = (float)(x[i] − c), the subtraction in double.</summary>
    public static void SubtractInDouble(Span<float> x, double c)
    {
        if (Path == KernelIsa.Vector256) SubtractInDoubleVector256(x, c);
        else SubtractInDoubleScalar(x, c);
    }

    public static void SubtractInDoubleScalar(Span<float> x, double c)
    {
        for (var i = 0; i < x.Length; i++) x[i] = (float)(x[i] - c);
    }

    private static void SubtractInDoubleVector256(Span<float> x, double c)
    {
        ref var p = ref MemoryMarshal.GetReference(x);
        var vc = Vector256.Create(c);
        nuint i = 0, n = (nuint)x.Length;
        for (; i + 8 <= n; i += 8)
        {
            var (lo, hi) = Vector256.Widen(Vector256.LoadUnsafe(ref p, i));
            Vector256.Narrow(lo - vc, hi - vc).StoreUnsafe(ref p, i);
        }
        for (; i < n; i++) Unsafe.Add(ref p, i) = (float)(Unsafe.Add(ref p, i) - c);
    }

    /// <summary>Sets NaN and ±∞ samples to 0; returns how many there were.</summary>
    public static int ZeroNonFinite(Span<float> x) => Path == KernelIsa.Vector256 ? ZeroNonFiniteVector256(x) : ZeroNonFiniteScalar(x);

    public static int ZeroNonFiniteScalar(Span<float> x)
    {
        var bad = 0;
        for (var i = 0; i < x.Length; i++)
            if (!float.IsFinite(x[i])) { x[i] = 0; bad++; }
        return bad;
    }

    // Records are almost always finite: v − v is 0 for finite v and NaN for NaN and ±∞, so one compare clears a block
    // of 8; a block that fails is handled by the scalar loop.
    private static int ZeroNonFiniteVector256(Span<float> x)
    {
        var bad = 0;
        var i = 0;
        for (; i + 8 <= x.Length; i += 8)
        {
            var v = Vector256.Create<float>(x.Slice(i, 8));
            if (Vector256.EqualsAll(v - v, Vector256<float>.Zero)) continue;
            bad += ZeroNonFiniteScalar(x.Slice(i, 8));
        }
        return bad + ZeroNonFiniteScalar(x[i..]);
    }
}
