namespace Seiscat.Engine.Signal;

/// <summary>
/// Integer-factor decimation with a zero-phase anti-alias low-pass (Butterworth order 8 at 0.8 × the new Nyquist,
/// like scipy.signal.decimate's IIR default in cut-off; Butterworth instead of Chebyshev I for a flat passband).
/// </summary>
public sealed class Decimator
{
    private readonly SosFilter? _antiAlias;
    public int Factor { get; }

    public Decimator(int factor, double samplingRate)
    {
        if (factor < 1) throw new SeiscatException($"decimation factor {factor} must be a positive integer");
        Factor = factor;
        if (factor > 1)
            _antiAlias = new SosFilter(Butterworth.Design(8, FilterKind.Lowpass, samplingRate, 0.8 * samplingRate / (2.0 * factor)));
    }

    public int OutputLength(int inputLength) => (inputLength + Factor - 1) / Factor;

    public int ScratchLength(int inputLength) => _antiAlias?.ScratchLength(inputLength) ?? 0;

    /// <summary>Filters input in place, then writes every Factor-th sample (starting at 0) to output.</summary>
    public void Apply(Span<float> input, Span<float> output, Span<double> scratch)
    {
        if (_antiAlias is null) { input.CopyTo(output); return; }
        _antiAlias.FiltFilt(input, scratch);
        var m = OutputLength(input.Length);
        for (var i = 0; i < m; i++) output[i] = input[i * Factor];
    }
}
