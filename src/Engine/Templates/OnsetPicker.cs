namespace Seiscat.Engine.Templates;

/// <summary>
/// The energy onset of a signal in a (filtered) multi-component stretch: the largest STA/LTA ratio of the summed
/// energy (short-term window ahead, long-term window behind) locates the arrival, and an AIC picker (Maeda 1985: the
/// split into two stationary parts of least total log-variance, summed over components) refines it around that
/// point. The same rule picks member windows and the final stack, so the template's onset is consistent with its members.
/// </summary>
public static class OnsetPicker
{
    /// <summary>Short- and long-term window lengths in seconds.</summary>
    public const double StaSeconds = 0.5, LtaSeconds = 5;

    /// <summary>Onset sample within [<paramref name="from"/>, <paramref name="to"/>) and its STA/LTA ratio.</summary>
    public static (int Sample, double Ratio) Pick(IReadOnlyList<float[]> x, double rate, int from, int to)
    {
        var n = x[0].Length;
        var sta = Math.Max(2, (int)Math.Round(StaSeconds * rate));
        var lta = Math.Max(sta + 1, (int)Math.Round(LtaSeconds * rate));
        var prefix = new double[n + 1];
        for (var i = 0; i < n; i++)
        {
            double e = 0;
            foreach (var c in x) e += (double)c[i] * c[i];
            prefix[i + 1] = prefix[i] + e;
        }
        from = Math.Clamp(from, 0, n);
        to = Math.Clamp(to, from, n);
        var best = from;
        var bestRatio = 0.0;
        var tiny = 1e-30 + 1e-12 * prefix[n] / Math.Max(1, n);
        for (var i = from; i < to; i++)
        {
            var a = Math.Max(0, i - lta);
            var b = Math.Min(n, i + sta);
            if (i - a < sta || b - i < 1) continue;
            var ratio = (prefix[b] - prefix[i]) / (b - i) / ((prefix[i] - prefix[a]) / (i - a) + tiny);
            if (ratio > bestRatio) (best, bestRatio) = (i, ratio);
        }
        return (Aic(x, Math.Max(0, best - lta / 2), Math.Min(n, best + sta), best), bestRatio);
    }

    // argmin over k of Σ_c k·ln var(x_c[a..k)) + (b − k − 1)·ln var(x_c[k..b)); running sums make it O(b − a).
    private static int Aic(IReadOnlyList<float[]> x, int a, int b, int fallback)
    {
        var m = b - a;
        if (m < 8) return fallback;
        var cost = new double[m];
        foreach (var c in x)
        {
            var s1 = new double[m + 1];
            var s2 = new double[m + 1];
            for (var i = 0; i < m; i++)
            {
                s1[i + 1] = s1[i] + c[a + i];
                s2[i + 1] = s2[i] + (double)c[a + i] * c[a + i];
            }
            var floor = 1e-30 + 1e-12 * s2[m] / m;
            for (var k = 2; k < m - 2; k++)
            {
                var v1 = Math.Max(floor, (s2[k] - s1[k] * s1[k] / k) / k);
                var r = m - k;
                var v2 = Math.Max(floor, (s2[m] - s2[k] - (s1[m] - s1[k]) * (s1[m] - s1[k]) / r) / r);
                cost[k] += k * Math.Log(v1) + (r - 1) * Math.Log(v2);
            }
        }
        var best = 2;
        for (var k = 3; k < m - 2; k++) if (cost[k] < cost[best]) best = k;
        return a + best;
    }
}
