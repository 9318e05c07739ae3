using System.Numerics;

namespace Seiscat.Engine.Signal;

/// <summary>
/// Forward DFT in double precision for any length (<see cref="Radix2Fft"/> for powers of two, Bluestein on it otherwise). Morlet filter banks
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
            Radix2Fft.Of(n).Forward(a);
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
        var fft = Radix2Fft.Of(m);
        fft.Forward(a2);
        fft.Forward(b);
        for (var i = 0; i < m; i++) a2[i] *= b[i];
        fft.Inverse(a2);
        var result = new Complex[n];
        for (var k = 0; k < n; k++) result[k] = Complex.Conjugate(w[k]) * a2[k] / m;
        return result;
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
