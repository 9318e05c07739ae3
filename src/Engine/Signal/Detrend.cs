using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Seiscat.Engine.Kernels;

namespace Seiscat.Engine.Signal;

public enum DetrendKind { None, Demean, Linear }

/// <summary>Mean or least-squares line removal, accumulated in double (as scipy.signal.detrend / ObsPy).</summary>
public static class Detrend
{
    public static void Apply(Span<float> x, DetrendKind kind)
    {
        var n = x.Length;
        if (n == 0 || kind == DetrendKind.None) return;
        var mean = Reductions.Sum(x) / n;
        if (kind == DetrendKind.Demean || n < 2)
        {
            Subtract(x, mean);
            return;
        }
        // Slope against centred time t_i = i − (n−1)/2, so the intercept is the mean.
        var tc = (n - 1) / 2.0;
        double stx = 0, stt = 0;
        for (var i = 0; i < n; i++)
        {
            var t = i - tc;
            stx += t * x[i];
            stt += t * t;
        }
        var slope = stx / stt;
        for (var i = 0; i < n; i++) x[i] = (float)(x[i] - (mean + slope * (i - tc)));
    }

    // x[i] = (float)(x[i] − c) in double: widening, subtracting and narrowing lane by lane rounds exactly as the scalar
    // loop does, so both give the same bits (the demean runs on every component of every window).
    private static void Subtract(Span<float> x, double c)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var p = ref MemoryMarshal.GetReference(x);
            var vc = Vector256.Create(c);
            for (; i + 8 <= x.Length; i += 8)
            {
                var (lo, hi) = Vector256.Widen(Vector256.LoadUnsafe(ref p, (nuint)i));
                Vector256.Narrow(lo - vc, hi - vc).StoreUnsafe(ref p, (nuint)i);
            }
        }
        for (; i < x.Length; i++) x[i] = (float)(x[i] - c);
    }
}
