using System.Numerics;

namespace Seiscat.Engine.Scattering;

/// <summary>
/// One layer's wavelets, as the network uses them: Fourier-domain multipliers of length N (the DFT of the
/// time-domain filters, index 0 = highest centre frequency). Built in double; the network rounds to float32.
/// A learnable bank (Hermite-spline wavelets, Seydoux et al. 2020) implements this too: the network only ever
/// multiplies spectra by <see cref="FrequencyResponse"/>, which is what a backward pass differentiates through.
/// </summary>
public interface IFilterBank
{
    int Count { get; }
    int Length { get; }
    double SamplingRate { get; }
    /// <summary>Centre frequency of each wavelet (Hz).</summary>
    IReadOnlyList<double> CentersHz { get; }
    /// <summary>Bandwidth of each wavelet (Hz): full width of its spectral peak at half its maximum.</summary>
    IReadOnlyList<double> BandwidthsHz { get; }
    /// <summary>Time-domain filter j (length N, on the bank's centred time grid).</summary>
    Complex[] TimeResponse(int j);
    /// <summary>DFT of filter j (length N).</summary>
    Complex[] FrequencyResponse(int j);
}
