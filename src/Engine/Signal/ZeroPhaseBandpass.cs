namespace Seiscat.Engine.Signal;

/// <summary>
/// The band-pass templates are made with and matched through: the mean of the samples that exist removed, missing
/// samples set to 0 (a gap is then no step for the filter to ring on, and the result does not depend on how much
/// missing record a stretch holds), then Butterworth order 4, zero-phase (sosfiltfilt), so onsets keep their timing.
/// One instance per thread (its scratch grows to the longest stretch).
/// </summary>
public sealed class ZeroPhaseBandpass(double rate, double lowHz, double highHz)
{
    private readonly SosFilter _sos = new(Butterworth.Design(4, FilterKind.Bandpass, rate, lowHz, highHz));
    private double[] _scratch = [];

    /// <summary>Filters <paramref name="x"/> in place; <paramref name="missing"/> (optional, same length) marks samples to
    /// leave out of the mean and set to 0.</summary>
    public void Apply(float[] x, bool[]? missing = null)
    {
        double sum = 0;
        long n = 0;
        for (var i = 0; i < x.Length; i++)
            if (missing is null || !missing[i])
            {
                sum += x[i];
                n++;
            }
        var mean = (float)(sum / Math.Max(1, n));
        for (var i = 0; i < x.Length; i++) x[i] = missing is not null && missing[i] ? 0 : x[i] - mean;
        var need = _sos.ScratchLength(x.Length);
        if (_scratch.Length < need) _scratch = new double[need];
        _sos.FiltFilt(x, _scratch.AsSpan(0, need));
    }
}
