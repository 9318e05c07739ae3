using System.Numerics;
using Seiscat.Engine.Signal;

namespace Seiscat.Engine.Scattering;

/// <summary>
/// scatseisnet 0.4.1's Gabor/Morlet bank: f_j = (fs/2)·2^(−(j+1)/R) for j &lt; J = octaves·R; envelope width
/// w_j = Q/f_j (s); ψ_j(t) = exp(−(t/w_j)²)·exp(2πi f_j t) on t = linspace(−½, ½, N)·N/fs (both ends included);
/// optional L1 (Σ|ψ|) or L2 normalisation; Fourier multipliers = DFT(ψ_j). All in double.
/// </summary>
public sealed class MorletFilterBank : IFilterBank
{
    private readonly Complex[][] _time;
    private readonly Complex[][] _freq;

    public MorletFilterBank(LayerConfig layer, int bins, double samplingRate)
    {
        Layer = layer;
        Length = bins;
        SamplingRate = samplingRate;
        var j = layer.Filters;
        var centers = new double[j];
        var widths = new double[j];
        Times = new double[bins];
        for (var n = 0; n < bins; n++)
            Times[n] = (bins == 1 ? -0.5 : -0.5 + (double)n / (bins - 1)) * bins / samplingRate;
        _time = new Complex[j][];
        _freq = new Complex[j][];
        NormFactors = new double[j];
        for (var k = 0; k < j; k++)
        {
            // numpy: ratios = -(arange(J)+1)/R, scales = 2**ratios, centers = nyquist * scales.
            centers[k] = samplingRate / 2 * Math.Pow(2, -(k + 1.0) / layer.Resolution);
            widths[k] = layer.Quality / centers[k];
            var psi = new Complex[bins];
            for (var n = 0; n < bins; n++)
            {
                var t = Times[n];
                var env = Math.Exp(-(t / widths[k]) * (t / widths[k]));
                var phase = 2 * Math.PI * centers[k] * t;
                psi[n] = new Complex(env * Math.Cos(phase), env * Math.Sin(phase));
            }
            var norm = layer.Normalize switch
            {
                WaveletNormalization.L1 => psi.Sum(Complex.Abs),
                WaveletNormalization.L2 => Math.Sqrt(psi.Sum(z => z.Real * z.Real + z.Imaginary * z.Imaginary)),
                _ => 1.0,
            };
            NormFactors[k] = norm;
            if (norm != 1.0) for (var n = 0; n < bins; n++) psi[n] /= norm;
            _time[k] = psi;
            _freq[k] = DoubleFft.Forward(psi);
        }
        CentersHz = centers;
        WidthsS = widths;
        // The envelope exp(−(t/w)²) has spectrum ∝ exp(−(π w (f − f_j))²): FWHM = 2·sqrt(ln 2)/(π w).
        BandwidthsHz = widths.Select(w => 2 * Math.Sqrt(Math.Log(2)) / (Math.PI * w)).ToArray();
    }

    public LayerConfig Layer { get; }
    public int Count => Layer.Filters;
    public int Length { get; }
    public double SamplingRate { get; }
    public IReadOnlyList<double> CentersHz { get; }
    public IReadOnlyList<double> BandwidthsHz { get; }
    /// <summary>Envelope widths w_j (s).</summary>
    public IReadOnlyList<double> WidthsS { get; }
    /// <summary>The wavelet time grid (s).</summary>
    public double[] Times { get; }
    /// <summary>The divisor applied by normalisation (1 without).</summary>
    public double[] NormFactors { get; }

    public Complex[] TimeResponse(int j) => _time[j];
    public Complex[] FrequencyResponse(int j) => _freq[j];
}
