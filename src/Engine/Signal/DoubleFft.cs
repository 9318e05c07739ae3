using System.Numerics;

namespace Seiscat.Engine.Signal;

/// <summary>
/// Forward DFT in double precision for any length (radix-2 for powers of two, Bluestein otherwise). Morlet filter banks
/// are built with it because they must equal numpy's np.fft.fft(filters_time) to ~1e-15 before rounding to complex64;
/// templates use it for the analytic signal of their members (phase-weighted stacking, onset picking).
/// </summary>
public static class DoubleFft
{
    public static Complex[] Forward(ReadOnlySpan<Complex> x)
    {
        var n = x.Length;
        if (n == 0) return [];
        if ((n & (n - 1)) == 0)
        {
            var a = x.ToArray();
            Radix2(a, inverse: false);
            return a;
        }
        // Bluestein: X_k = conj(w_k) Σ x_j conj(w_j) w_{k−j}, w_j = exp(iπ j²/n); the phase index j² mod 2n is kept
        // exact in integers so long transforms do not lose accuracy.
        var m = 1;
        while (m < 2 * n - 1) m <<= 1;
        var w = new Complex[n];
        for (long j = 0; j < n; j++)
        {
            var phase = Math.PI * (j * j % (2L * n)) / n;
            w[j] = new Complex(Math.Cos(phase), Math.Sin(phase));
        }
        var a2 = new Complex[m];
        var b = new Complex[m];
        for (var j = 0; j < n; j++) a2[j] = x[j] * Complex.Conjugate(w[j]);
        b[0] = w[0];
        for (var j = 1; j < n; j++) b[j] = b[m - j] = w[j];
        Radix2(a2, false);
        Radix2(b, false);
        for (var i = 0; i < m; i++) a2[i] *= b[i];
        Radix2(a2, true);
        var result = new Complex[n];
        for (var k = 0; k < n; k++) result[k] = Complex.Conjugate(w[k]) * a2[k] / m;
        return result;
    }

    private static void Radix2(Complex[] a, bool inverse)
    {
        var n = a.Length;
        for (int i = 1, j = 0; i < n; i++)
        {
            var bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) j ^= bit;
            j ^= bit;
            if (i < j) (a[i], a[j]) = (a[j], a[i]);
        }
        for (var len = 2; len <= n; len <<= 1)
        {
            var half = len / 2;
            var sign = inverse ? 1 : -1;
            for (var k = 0; k < half; k++)
            {
                // Twiddles from the angle directly (not by repeated multiplication) to keep 1e-16 accuracy.
                var angle = sign * 2 * Math.PI * k / len;
                var wk = new Complex(Math.Cos(angle), Math.Sin(angle));
                for (var i = k; i < n; i += len)
                {
                    var u = a[i];
                    var v = a[i + half] * wk;
                    a[i] = u + v;
                    a[i + half] = u - v;
                }
            }
        }
    }
}

/// <summary>The analytic signal x + i·H(x) (H the Hilbert transform), as scipy.signal.hilbert computes it: the spectrum
/// with negative frequencies removed and positive ones doubled, transformed back.</summary>
public static class AnalyticSignal
{
    public static Complex[] Of(ReadOnlySpan<float> x)
    {
        var n = x.Length;
        var z = new Complex[n];
        for (var i = 0; i < n; i++) z[i] = new Complex(x[i], 0);
        var spectrum = DoubleFft.Forward(z);
        for (var k = 1; k < n; k++) spectrum[k] = k < (n + 1) / 2 ? 2 * spectrum[k] : (2 * k == n ? spectrum[k] : Complex.Zero);
        // inverse DFT = conj(DFT(conj(X))) / n
        var inverse = DoubleFft.Forward(spectrum.Select(Complex.Conjugate).ToArray());
        return inverse.Select(v => Complex.Conjugate(v) / n).ToArray();
    }
}
