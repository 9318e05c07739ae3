namespace Seiscat.Engine.Signal;

public enum DetrendKind { None, Demean, Linear }

/// <summary>Mean or least-squares line removal, accumulated in double (as scipy.signal.detrend / ObsPy).</summary>
public static class Detrend
{
    public static void Apply(Span<float> x, DetrendKind kind)
    {
        var n = x.Length;
        if (n == 0 || kind == DetrendKind.None) return;
        double sum = 0;
        for (var i = 0; i < n; i++) sum += x[i];
        var mean = sum / n;
        if (kind == DetrendKind.Demean || n < 2)
        {
            for (var i = 0; i < n; i++) x[i] = (float)(x[i] - mean);
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
}
