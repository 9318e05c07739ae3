namespace Seiscat.Engine.Signal;

/// <summary>
/// Second-order-section filtering in double precision: causal (scipy.signal.sosfilt, direct form II transposed)
/// and zero-phase (scipy.signal.sosfiltfilt with its defaults: odd extension of 3·(2·sections+1 − trivial) samples,
/// steady-state initial conditions from sosfilt_zi). Works in caller-provided scratch: no allocation per call.
/// </summary>
public sealed class SosFilter
{
    private readonly double[] _sos;     // sections × 6, row-major
    private readonly double[] _zi;      // sections × 2: steady-state state for a unit step
    public int Sections { get; }
    public int PadLength { get; }

    public SosFilter(double[][] sections)
    {
        Sections = sections.Length;
        _sos = sections.SelectMany(s => s).ToArray();
        _zi = new double[Sections * 2];
        var scale = 1.0;
        for (var s = 0; s < Sections; s++)
        {
            var (b0, b1, b2, a1, a2) = (_sos[6 * s], _sos[6 * s + 1], _sos[6 * s + 2], _sos[6 * s + 4], _sos[6 * s + 5]);
            // lfilter_zi for a biquad: solve (I − companion(a)ᵀ) zi = b[1:] − a[1:]·b0.
            var r0 = b1 - a1 * b0;
            var r1 = b2 - a2 * b0;
            // [[1 + a1, −1], [a2, 1]] · zi = r
            var det = (1 + a1) + a2;
            var z0 = (r0 + r1) / det;
            var z1 = r1 - a2 * z0;
            _zi[2 * s] = scale * z0;
            _zi[2 * s + 1] = scale * z1;
            scale *= (b0 + b1 + b2) / (1 + a1 + a2);
        }
        var trivialB2 = sections.Count(s => s[2] == 0);
        var trivialA2 = sections.Count(s => s[5] == 0);
        PadLength = 3 * (2 * Sections + 1 - Math.Min(trivialB2, trivialA2));
    }

    /// <summary>Scratch length FiltFilt needs for n samples.</summary>
    public int ScratchLength(int n) => n + 2 * Math.Min(PadLength, Math.Max(n - 1, 0));

    /// <summary>Causal filtering in place, starting from the given state (sections × 2) or zero.</summary>
    public void Filter(Span<double> x, Span<double> state)
    {
        var sos = _sos;
        for (var i = 0; i < x.Length; i++)
        {
            var v = x[i];
            for (var s = 0; s < Sections; s++)
            {
                var o = 6 * s;
                var y = sos[o] * v + state[2 * s];
                state[2 * s] = sos[o + 1] * v - sos[o + 4] * y + state[2 * s + 1];
                state[2 * s + 1] = sos[o + 2] * v - sos[o + 5] * y;
                v = y;
            }
            x[i] = v;
        }
    }

    /// <summary>Zero-phase filtering of data in place (float in, double arithmetic), as scipy.signal.sosfiltfilt.</summary>
    public void FiltFilt(Span<float> data, Span<double> scratch)
    {
        var n = data.Length;
        if (n == 0) return;
        // scipy refuses signals not longer than padlen; shrinking the pad keeps short windows usable.
        var edge = Math.Min(PadLength, n - 1);
        var ext = scratch[..(n + 2 * edge)];
        double first = data[0], last = data[n - 1];
        for (var i = 0; i < edge; i++) ext[i] = 2 * first - data[edge - i];
        for (var i = 0; i < n; i++) ext[edge + i] = data[i];
        for (var i = 0; i < edge; i++) ext[edge + n + i] = 2 * last - data[n - 2 - i];

        Span<double> state = stackalloc double[2 * Sections];
        var x0 = ext[0];
        for (var k = 0; k < state.Length; k++) state[k] = _zi[k] * x0;
        Filter(ext, state);
        ext.Reverse();
        var y0 = ext[0];
        for (var k = 0; k < state.Length; k++) state[k] = _zi[k] * y0;
        Filter(ext, state);
        ext.Reverse();
        for (var i = 0; i < n; i++) data[i] = (float)ext[edge + i];
    }
}
