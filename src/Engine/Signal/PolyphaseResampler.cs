namespace Seiscat.Engine.Signal;

/// <summary>
/// Rational resampling by up/down with a linear-phase anti-alias FIR, equal to scipy.signal.resample_poly(x, up, down)
/// with its defaults (Kaiser window β = 5, 20·max(up, down) + 1 taps, cut-off at the lower Nyquist, zeros outside the
/// window): output sample m sits at input time m·down/up, y[m] = Σᵢ x[i]·h[L + m·down − i·up], L = 10·max(up, down).
/// Only the taps that meet input samples are visited (the polyphase form): ≈ 20·max(up, down)/up products per output.
/// Every rate change of the preprocessing goes through it: an integer decimation is its fast special case (up = 1:
/// every tap meets a sample, only kept outputs are computed, ≈ 20 products per input sample), 50 → 40 Hz is up 4,
/// down 5 (40 → 50 Hz is refused: no upsampling).
/// </summary>
public sealed class PolyphaseResampler
{
    private readonly double[] _h;
    private readonly int _half;

    public int Up { get; }
    public int Down { get; }

    public PolyphaseResampler(int up, int down)
    {
        if (up < 1 || down < 1) throw new SeiscatException($"resampling by {up}/{down} is impossible; both factors must be positive");
        var g = Gcd(up, down);
        Up = up / g;
        Down = down / g;
        var maxRate = Math.Max(Up, Down);
        _half = 10 * maxRate;
        _h = LowPass(2 * _half + 1, 1.0 / maxRate, 5.0);
        for (var i = 0; i < _h.Length; i++) _h[i] *= Up;
    }

    /// <summary>scipy's output length: ⌈n·up/down⌉.</summary>
    public int OutputLength(int inputLength) => (int)(((long)inputLength * Up + Down - 1) / Down);

    /// <summary>Input samples needed for <paramref name="outputLength"/> output samples covering the same time.</summary>
    public int InputLength(int outputLength) => (int)(((long)outputLength * Down + Up - 1) / Up);

    /// <summary>Writes the first <c>y.Length</c> (at most <see cref="OutputLength"/>) resampled values of x.</summary>
    public void Apply(ReadOnlySpan<float> x, Span<float> y)
    {
        if (y.Length > OutputLength(x.Length)) throw new ArgumentException("more output samples than the input covers", nameof(y));
        var n = x.Length;
        var taps = _h.Length;
        for (var m = 0; m < y.Length; m++)
        {
            // Tap index t − i·up must lie in [0, taps): i from ⌈(t − taps + 1)/up⌉ to ⌊t/up⌋, within the input.
            long t = _half + (long)m * Down;
            var iLast = (int)Math.Min(n - 1, t / Up);
            var iFirst = (int)Math.Max(0, CeilDiv(t - taps + 1, Up));
            double sum = 0;
            for (var i = iFirst; i <= iLast; i++) sum += x[i] * _h[t - (long)i * Up];
            y[m] = (float)sum;
        }
    }

    /// <summary>The pair (up, down) with down ≤ 1000 such that rateIn·up/down = rateOut (relative 1e-9), or null.</summary>
    public static (int Up, int Down)? Ratio(double rateIn, double rateOut)
    {
        for (var down = 1; down <= 1000; down++)
        {
            var up = (int)Math.Round(rateOut * down / rateIn);
            if (up >= 1 && Math.Abs(rateIn * up / down - rateOut) <= 1e-9 * rateOut)
            {
                var g = Gcd(up, down);
                return (up / g, down / g);
            }
        }
        return null;
    }

    // scipy.signal.firwin(numtaps, cutoff, window=('kaiser', beta)): windowed sinc, scaled to unit gain at 0 Hz.
    private static double[] LowPass(int taps, double cutoff, double beta)
    {
        var h = new double[taps];
        var alpha = 0.5 * (taps - 1);
        var i0Beta = BesselI0(beta);
        double sum = 0;
        for (var k = 0; k < taps; k++)
        {
            var m = k - alpha;
            var x = cutoff * m;
            var sinc = x == 0 ? 1.0 : Math.Sin(Math.PI * x) / (Math.PI * x);
            var r = m / alpha;
            var window = BesselI0(beta * Math.Sqrt(Math.Max(0, 1 - r * r))) / i0Beta;
            h[k] = cutoff * sinc * window;
            sum += h[k];
        }
        for (var k = 0; k < taps; k++) h[k] /= sum;
        return h;
    }

    // Modified Bessel function of the first kind, order 0: its power series, summed until the terms vanish.
    private static double BesselI0(double x)
    {
        double sum = 1, term = 1, q = x * x / 4;
        for (var k = 1; k < 200 && term > 1e-17 * sum; k++)
        {
            term *= q / ((double)k * k);
            sum += term;
        }
        return sum;
    }

    private static long CeilDiv(long a, long b) => a >= 0 ? (a + b - 1) / b : -(-a / b);
    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
}
