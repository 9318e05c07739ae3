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

    // In double, lane by lane as the scalar twin: the demean runs on every component of every window.
    private static void Subtract(Span<float> x, double c) => Elementwise.SubtractInDouble(x, c);
}
