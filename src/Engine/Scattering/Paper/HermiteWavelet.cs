namespace Seiscat.Engine.Scattering.Paper;

/// <summary>
/// The mother wavelet of one layer: a cubic Hermite spline on K knots at (k − (K−1)/2)·s, values m_k and derivatives
/// p_k, ψ(t) = m_k(1−3u²+2u³) + m_{k+1}(3u²−2u³) + p_k(u−2u²+u³) + p_{k+1}(u³−u²) on [t_k, t_{k+1}), u = (t − t_k)/s.
/// As in the paper's code, the derivative terms are not scaled by the interval length, so every scale is an exact
/// dilation of one shape. The end values and derivatives are held at 0 and the interior values are centred (zero mean),
/// which <see cref="Effective"/> applies and <see cref="EffectiveAdjoint"/> differentiates.
/// </summary>
public static class HermiteWavelet
{
    /// <summary>The paper's start: m_k = (−1)^k·hamming_K(k) (numpy's hamming), p = 0 — a Gabor-like wavelet at Nyquist for s = 1.</summary>
    public static (double[] M, double[] P) Initial(int knots)
    {
        var m = new double[knots];
        for (var k = 0; k < knots; k++)
            m[k] = (k % 2 == 0 ? 1 : -1) * (0.54 - 0.46 * Math.Cos(2 * Math.PI * k / (knots - 1)));
        return (m, new double[knots]);
    }

    /// <summary>The values and derivatives the spline uses: ends 0, interior values minus their mean.</summary>
    public static (double[] M, double[] P) Effective(ReadOnlySpan<double> m, ReadOnlySpan<double> p)
    {
        var k = m.Length;
        double mean = 0;
        for (var i = 1; i < k - 1; i++) mean += m[i];
        mean /= k - 2;
        var me = new double[k];
        var pe = new double[k];
        for (var i = 1; i < k - 1; i++)
        {
            me[i] = m[i] - mean;
            pe[i] = p[i];
        }
        return (me, pe);
    }

    /// <summary>Gradient with respect to the raw parameters from the gradient with respect to the effective ones (in place).</summary>
    public static void EffectiveAdjoint(Span<double> gm, Span<double> gp)
    {
        var k = gm.Length;
        double mean = 0;
        for (var i = 1; i < k - 1; i++) mean += gm[i];
        mean /= k - 2;
        for (var i = 1; i < k - 1; i++) gm[i] -= mean;
        gm[0] = gm[k - 1] = gp[0] = gp[k - 1] = 0;
    }

    /// <summary>
    /// Where the wavelet dilated by s is sampled: the integer times τ with t_0 ≤ τ &lt; t_{K−1}, each with its knot
    /// interval and the four basis weights (h00, h01, h10, h11).
    /// </summary>
    public sealed class Grid
    {
        public int FirstTime { get; }
        public int[] Interval { get; }
        public double[] Basis { get; } // 4 per sample

        public int Count => Interval.Length;

        public Grid(int knots, double scale)
        {
            var half = (knots - 1) / 2.0;
            var t0 = -half * scale;
            FirstTime = (int)Math.Ceiling(t0);
            var last = (int)Math.Ceiling(half * scale) - 1; // τ < t_{K−1}
            var count = Math.Max(0, last - FirstTime + 1);
            Interval = new int[count];
            Basis = new double[4 * count];
            for (var i = 0; i < count; i++)
            {
                var x = (FirstTime + i - t0) / scale;
                var k = Math.Min((int)Math.Floor(x), knots - 2);
                var u = x - k;
                Interval[i] = k;
                Basis[4 * i] = 1 - 3 * u * u + 2 * u * u * u;
                Basis[4 * i + 1] = 3 * u * u - 2 * u * u * u;
                Basis[4 * i + 2] = u - 2 * u * u + u * u * u;
                Basis[4 * i + 3] = u * u * u - u * u;
            }
        }

        /// <summary>ψ(FirstTime + i) for every sample, from the effective parameters.</summary>
        public void Sample(ReadOnlySpan<double> m, ReadOnlySpan<double> p, Span<double> psi)
        {
            for (var i = 0; i < Count; i++)
            {
                var k = Interval[i];
                psi[i] = m[k] * Basis[4 * i] + m[k + 1] * Basis[4 * i + 1] + p[k] * Basis[4 * i + 2] + p[k + 1] * Basis[4 * i + 3];
            }
        }

        /// <summary>Adds the gradient with respect to the effective parameters, given the gradient with respect to the samples.</summary>
        public void SampleAdjoint(ReadOnlySpan<double> gPsi, Span<double> gm, Span<double> gp)
        {
            for (var i = 0; i < Count; i++)
            {
                var k = Interval[i];
                var g = gPsi[i];
                gm[k] += g * Basis[4 * i];
                gm[k + 1] += g * Basis[4 * i + 1];
                gp[k] += g * Basis[4 * i + 2];
                gp[k + 1] += g * Basis[4 * i + 3];
            }
        }
    }
}
