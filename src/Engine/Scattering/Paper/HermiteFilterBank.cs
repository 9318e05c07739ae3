using System.Numerics;
using Seiscat.Engine.Signal;

namespace Seiscat.Engine.Scattering.Paper;

/// <summary>
/// One layer's Hermite-spline wavelets as the paper network multiplies them: wavelet i is the mother spline dilated by
/// s_i = 2^(i/Q) (i &lt; J·Q; s = 1 oscillates at the layer's Nyquist), sampled at integer times, divided by its peak
/// |ψ|, then made analytic: only its DFT at non-negative frequencies is kept (no doubling, as the paper's code). The DFT
/// is taken on the period P = 2n of the symmetric extension of the layer's n-sample input, so a filter longer than the
/// signal wraps, exactly as convolving the periodic symmetric extension. <see cref="Backward"/> maps the gradient with
/// respect to these spectra back to the spline's values and derivatives.
/// The paper's peak is the signed maximum; the absolute peak is used here, which is the same for the initial wavelets
/// and cannot approach 0 while the wavelet is not 0.
/// </summary>
public sealed class HermiteFilterBank : IFilterBank
{
    private readonly HermiteWavelet.Grid[] _grids;
    private readonly double[][] _samples;   // ψ before the peak division, per filter
    private readonly int[] _peak;           // index of the largest |ψ| in the filter's samples
    private readonly Complex[][] _spectra;  // n + 1 non-negative-frequency bins per filter
    private readonly double[] _m, _p;       // effective parameters
    private double[]? _centers, _bandwidths;

    public HermiteFilterBank(PaperLayer layer, int knots, int period, double samplingRate, ReadOnlySpan<double> m, ReadOnlySpan<double> p)
    {
        Layer = layer;
        Knots = knots;
        Length = period;
        SamplingRate = samplingRate;
        (_m, _p) = HermiteWavelet.Effective(m, p);
        var j = layer.Filters;
        Scales = Enumerable.Range(0, j).Select(i => Math.Pow(2, (double)i / layer.Resolution)).ToArray();
        _grids = Scales.Select(s => new HermiteWavelet.Grid(knots, s)).ToArray();
        _samples = new double[j][];
        _peak = new int[j];
        _spectra = new Complex[j][];
        var fft = Radix2Fft.Of(period);
        var buffer = new Complex[period];
        for (var i = 0; i < j; i++)
        {
            var grid = _grids[i];
            var psi = _samples[i] = new double[grid.Count];
            grid.Sample(_m, _p, psi);
            var peak = 0;
            for (var t = 1; t < psi.Length; t++) if (Math.Abs(psi[t]) > Math.Abs(psi[peak])) peak = t;
            _peak[i] = peak;
            var c = Math.Abs(psi[peak]);
            if (!(c > 0)) throw new SeiscatException($"layer wavelet {i} (scale {Scales[i]:G4}) is zero everywhere: its spline values and derivatives " +
                "vanish; start from the initial wavelet (drop 'm' and 'p' from the configuration)");
            Array.Clear(buffer);
            for (var t = 0; t < psi.Length; t++) buffer[Mod(grid.FirstTime + t, period)] += psi[t] / c;
            fft.Forward(buffer);
            _spectra[i] = buffer.AsSpan(0, period / 2 + 1).ToArray();
        }
    }

    public PaperLayer Layer { get; }
    public int Knots { get; }
    public int Count => Layer.Filters;
    /// <summary>The period P of the transforms (twice the layer's input length).</summary>
    public int Length { get; }
    public double SamplingRate { get; }
    /// <summary>s_i = 2^(i/Q).</summary>
    public double[] Scales { get; }

    /// <summary>Filter i's DFT at bins 0..P/2 (the rest is 0).</summary>
    public ReadOnlySpan<Complex> Spectrum(int i) => _spectra[i];

    /// <summary>Stage hook for the gradient checks: filter i's spectrum itself (perturbed in place by a test).</summary>
    internal Complex[] SpectrumStorage(int i) => _spectra[i];

    /// <summary>Where the spectral peak of |Ψ_i| lies (Hz), from the filter's DTFT on a fine grid (learned wavelets move).</summary>
    public IReadOnlyList<double> CentersHz => _centers ??= Measure().Centers;

    /// <summary>Full width at half maximum of |Ψ_i| (Hz).</summary>
    public IReadOnlyList<double> BandwidthsHz => _bandwidths ??= Measure().Bandwidths;

    /// <summary>The analytic filter on the period (length P), centred on sample 0 (negative times wrapped to the end).</summary>
    public Complex[] TimeResponse(int j)
    {
        var a = FrequencyResponse(j);
        Radix2Fft.Of(Length).Inverse(a);
        for (var i = 0; i < a.Length; i++) a[i] /= Length;
        return a;
    }

    public Complex[] FrequencyResponse(int j)
    {
        var a = new Complex[Length];
        _spectra[j].CopyTo(a, 0);
        return a;
    }

    /// <summary>The real wavelet after the peak division at its integer sample times (unwrapped): times and values.</summary>
    public (int[] Times, double[] Values) Wavelet(int i)
    {
        var c = Math.Abs(_samples[i][_peak[i]]);
        return (Enumerable.Range(_grids[i].FirstTime, _grids[i].Count).ToArray(), _samples[i].Select(v => v / c).ToArray());
    }

    /// <summary>
    /// Adds to <paramref name="gm"/>, <paramref name="gp"/> (length K, raw parameters) the gradient of a loss whose
    /// gradient with respect to each filter's spectrum (bins 0..P/2, ∂L/∂Re + i·∂L/∂Im) is <paramref name="gSpectra"/>.
    /// </summary>
    public void Backward(IReadOnlyList<Complex[]> gSpectra, Span<double> gm, Span<double> gp)
    {
        var fft = Radix2Fft.Of(Length);
        var buffer = new Complex[Length];
        var gme = new double[Knots];
        var gpe = new double[Knots];
        for (var i = 0; i < Count; i++)
        {
            Array.Clear(buffer);
            gSpectra[i].AsSpan(0, Length / 2 + 1).CopyTo(buffer);
            fft.Inverse(buffer); // Re(Σ_k G[k] e^{+2πikτ/P}) is the gradient at wrapped time τ
            var grid = _grids[i];
            var psi = _samples[i];
            var peak = _peak[i];
            var c = Math.Abs(psi[peak]);
            var gPsi = new double[psi.Length];
            double dot = 0;
            for (var t = 0; t < psi.Length; t++)
            {
                var g = buffer[Mod(grid.FirstTime + t, Length)].Real;
                gPsi[t] = g / c;
                dot += g * psi[t];
            }
            gPsi[peak] -= Math.Sign(psi[peak]) * dot / (c * c);
            grid.SampleAdjoint(gPsi, gme, gpe);
        }
        HermiteWavelet.EffectiveAdjoint(gme, gpe);
        for (var k = 0; k < Knots; k++)
        {
            gm[k] += gme[k];
            gp[k] += gpe[k];
        }
    }

    /// <summary>|DTFT| of the peak-normalised wavelet i at <paramref name="points"/> / 2 + 1 frequencies from 0 to the layer's Nyquist.</summary>
    public double[] FineSpectrum(int i, int points = 1 << 14)
    {
        var (times, values) = Wavelet(i);
        var buffer = new Complex[points];
        for (var t = 0; t < times.Length; t++) buffer[Mod(times[t], points)] += values[t];
        Radix2Fft.Of(points).Forward(buffer);
        return buffer.AsSpan(0, points / 2 + 1).ToArray().Select(z => z.Magnitude).ToArray();
    }

    private (double[] Centers, double[] Bandwidths) Measure()
    {
        const int Fine = 1 << 14;
        var centers = new double[Count];
        var widths = new double[Count];
        for (var i = 0; i < Count; i++)
        {
            var magnitude = FineSpectrum(i, Fine);
            var half = Fine / 2;
            var peak = 0;
            for (var k = 1; k <= half; k++) if (magnitude[k] > magnitude[peak]) peak = k;
            var top = magnitude[peak];
            double Edge(int step)
            {
                var k = peak;
                while (k + step >= 0 && k + step <= half && magnitude[k + step] > top / 2) k += step;
                if (k + step < 0 || k + step > half) return k;
                var (a, b) = (magnitude[k], magnitude[k + step]);
                return k + step * (a - top / 2) / (a - b);
            }
            var hz = SamplingRate / Fine;
            centers[i] = peak * hz;
            widths[i] = (Edge(1) - Edge(-1)) * hz;
        }
        return (centers, widths);
    }

    private static int Mod(int a, int n) => (a % n + n) % n;
}
