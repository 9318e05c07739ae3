using Seiscat.Engine.Kernels;
using Seiscat.Native.Fftw;

namespace Seiscat.Engine.Scattering;

/// <summary>
/// One thread's scattering workspace. For each channel and layer l: r2c FFT of the real input row, Hermitian
/// expansion to the full spectrum, × every filter of the layer (batched), one batched inverse FFT, modulus →
/// U_l rows, pooled; each U_l row is the input of layer l+1. All buffers are allocated once: a window costs no
/// allocation. The stages (spectrum, products, U rows) stay in named buffers so a backward pass can reuse them.
///
/// Matching scatseisnet: its per-layer fftshift rolls U_l by l·⌊N/2⌋ (convolution commutes with the roll, so we
/// compute unrolled rows and roll the pooled index range and scalogram output instead); its taper multiplies the
/// float32 input in float64 and rounds back to float32, which we reproduce.
/// </summary>
public sealed class ScatteringNetwork : IWindowTransform
{
    private readonly ScatteringPlan _plan;
    private readonly FftwBuffer _real;        // the (tapered) input row of a channel
    private readonly FftwBuffer _half;        // its r2c spectrum (N/2+1 complex)
    private readonly FftwBuffer _full;        // Hermitian-expanded spectrum (N complex)
    private readonly FftwBuffer[] _products;  // per layer: J rows of spectrum × filter
    private readonly FftwBuffer[] _analytic;  // per layer: J rows after the inverse FFT
    private readonly FftwBuffer[] _modulus;   // per layer: J rows of |·| (U_l), RealRow floats apart
    private readonly FftwBuffer[] _uHat;      // per layer but the last: the r2c spectra of its U rows (next layer's input)
    private readonly float[] _poolScratch;
    private readonly float[] _input;
    private int _statistics, _channels; // where this window's first-order statistics go, and its channel count

    public ScatteringPlan Plan => _plan;

    /// <summary>Stopwatch ticks spent inside FFTW executes (only counted when <see cref="MeasureFftTime"/> is set; for `seiscat bench`).</summary>
    public long FftTicks { get; private set; }
    public bool MeasureFftTime { get; set; }

    public ScatteringNetwork(ScatteringPlan plan)
    {
        if (plan.BandLimited is not null)
            throw new ArgumentException("a fast-path plan has no full-length kernels: take its worker from ScatteringPlan.NewWorker()", nameof(plan));
        _plan = plan;
        var n = plan.Bins;
        _real = new FftwBuffer(plan.RealRow);
        _half = new FftwBuffer(plan.HalfRow);
        _full = new FftwBuffer(plan.ComplexRow);
        _products = plan.Banks.Select(b => new FftwBuffer(b.Count * plan.ComplexRow)).ToArray();
        _analytic = plan.Banks.Select(b => new FftwBuffer(b.Count * plan.ComplexRow)).ToArray();
        _modulus = plan.Banks.Select(b => new FftwBuffer(b.Count * plan.RealRow)).ToArray();
        _uHat = plan.Banks.Take(plan.Banks.Count - 1).Select(b => new FftwBuffer(b.Count * plan.HalfRow)).ToArray();
        _poolScratch = new float[2 * n + 32];
        _input = new float[n];
    }

    /// <summary>
    /// Transforms one window: <paramref name="window"/> is C channels × N samples, channel-major. Output layout:
    /// [layer1 (C, J1) | layer2 (C, J1, J2) | …], each followed by N samples per path when pooling is none.
    /// </summary>
    public void Transform(ReadOnlySpan<float> window, int channels, Span<float> output)
    {
        var n = _plan.Bins;
        if (window.Length != channels * n) throw new ArgumentException($"window holds {window.Length} samples, expected {channels} × {n}");
        if (output.Length < _plan.OutputLength(channels)) throw new ArgumentException("output too short");
        Span<int> layerOffset = stackalloc int[_plan.Banks.Count];
        for (var l = 0; l < layerOffset.Length; l++) layerOffset[l] = _plan.LayerOffset(l, channels);
        _statistics = _plan.StatisticsOffset(channels);
        _channels = channels;

        for (var c = 0; c < channels; c++)
        {
            var x = window.Slice(c * n, n);
            if (_plan.Taper is { } taper)
            {
                for (var i = 0; i < n; i++) _input[i] = (float)(x[i] * taper[i]);
                x = _input;
            }
            x.CopyTo(_real.Span);
            Fft(_plan.RealForward, _real, _half);
            Propagate(0, _half.Span, 0, c, layerOffset, output);
        }
    }

    private void Fft(FftwPlan plan, FftwBuffer input, FftwBuffer output)
    {
        var t0 = MeasureFftTime ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
        plan.Execute(input, output);
        if (MeasureFftTime) FftTicks += System.Diagnostics.Stopwatch.GetTimestamp() - t0;
    }

    // Layer l applied to the half spectrum (r2c) of one real row; 'path' is the flat path index of that row's
    // parent (0 at layer 0).
    private void Propagate(int layer, ReadOnlySpan<float> half, int path, int channel, ReadOnlySpan<int> layerOffset, Span<float> output)
    {
        var n = _plan.Bins;
        var bank = _plan.Banks[layer];
        var j = bank.Count;
        var complexRow = _plan.ComplexRow;

        ExpandHermitian(half, _full.Span, n);

        var products = _products[layer].Span;
        var filters = _plan.Multipliers[layer];
        var spectrum = _full.Span[..(2 * n)];
        for (var k = 0; k < j; k++)
            ComplexMultiply.Apply(spectrum, filters.AsSpan(k * complexRow, 2 * n), products.Slice(k * complexRow, 2 * n));
        Fft(_plan.Backward[layer], _products[layer], _analytic[layer]);

        var u = _modulus[layer].Span;
        var realRow = _plan.RealRow;
        var analytic = _analytic[layer].Span;
        var shift = (int)((long)(layer + 1) * (n / 2) % n);
        var pathsHere = _plan.PathsPerLayer[layer];
        for (var k = 0; k < j; k++)
        {
            var uk = u.Slice(k * realRow, n);
            Modulus.Apply(analytic.Slice(k * complexRow, 2 * n), uk);
            var p = path * j + k;
            var at = layerOffset[layer] + channel * pathsHere * (_plan.Config.Pooling == Pooling.None ? n : 1);
            if (_plan.Config.Pooling == Pooling.None)
            {
                // scatseisnet's roll: out[i] = U[(i − shift) mod N].
                var dst = output.Slice(at + p * n, n);
                uk[(n - shift)..].CopyTo(dst);
                uk[..(n - shift)].CopyTo(dst[shift..]);
            }
            else
            {
                output[at + p] = layer == 1 && _plan.Pruned[p] ? 0 : Pool(uk, shift, _plan.Config.Pooling, _plan.PoolRange);
                if (layer == 0)
                {
                    var stats = _plan.Config.FirstOrderStatistics;
                    for (var s = 0; s < stats.Count; s++)
                        output[_statistics + (s * _channels + channel) * j + k] = Pool(uk, shift, stats[s], _plan.StatisticsRanges[k]);
                }
            }
        }
        if (layer + 1 < _plan.Banks.Count)
        {
            // All J rows of U_l to the frequency domain in one batched r2c, straight from the modulus buffer.
            Fft(_plan.RealForwardBatch[layer], _modulus[layer], _uHat[layer]);
            var halfRow = _plan.HalfRow;
            for (var k = 0; k < j; k++)
                Propagate(layer + 1, _uHat[layer].Span.Slice(k * halfRow, halfRow), path * j + k, channel, layerOffset, output);
        }
    }

    // Pools the rolled array over a range: indices [start, end) of roll(U, shift) are U[(i − shift) mod N],
    // one or two contiguous runs of U.
    private float Pool(ReadOnlySpan<float> u, int shift, Pooling pooling, (int Start, int End) range)
    {
        var n = u.Length;
        var (start, end) = range;
        var a = ((start - shift) % n + n) % n;
        var count = end - start;
        var first = Math.Min(count, n - a);
        var run1 = u.Slice(a, first);
        var run2 = u[..(count - first)];
        switch (pooling)
        {
            case Pooling.Mean:
                return (float)((Reductions.Sum(run1) + Reductions.Sum(run2)) / count);
            case Pooling.Max:
                return run2.IsEmpty ? Reductions.Max(run1) : Math.Max(Reductions.Max(run1), Reductions.Max(run2));
            default:
                if (run2.IsEmpty) return (float)Median.Of(run1, _poolScratch);
                // A wrapped range (taper + roll): make it contiguous first, at the end of the scratch.
                var joined = _poolScratch.AsSpan(n + 16, count);
                run1.CopyTo(joined);
                run2.CopyTo(joined[first..]);
                return (float)Median.Of(joined, _poolScratch.AsSpan(0, n + 16));
        }
    }

    /// <summary>An r2c half spectrum expanded to all N bins (bin N − k is the conjugate of bin k).</summary>
    internal static void ExpandHermitian(ReadOnlySpan<float> half, Span<float> full, int n)
    {
        var h = n / 2 + 1;
        half[..(2 * h)].CopyTo(full);
        for (var k = h; k < n; k++)
        {
            full[2 * k] = half[2 * (n - k)];
            full[2 * k + 1] = -half[2 * (n - k) + 1];
        }
    }

    public void Dispose()
    {
        _real.Dispose();
        _half.Dispose();
        _full.Dispose();
        foreach (var b in _products) b.Dispose();
        foreach (var b in _analytic) b.Dispose();
        foreach (var b in _modulus) b.Dispose();
        foreach (var b in _uHat) b.Dispose();
    }
}
