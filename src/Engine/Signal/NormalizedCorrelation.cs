using System.Numerics.Tensors;
using Seiscat.Engine.Kernels;
using Seiscat.Native.Fftw;

namespace Seiscat.Engine.Signal;

/// <summary>
/// Normalised cross-correlation of every template of a station with a stretch of its record, averaged over the
/// components: cc_k[t] = (1/C) Σ_c Σ_i T̂_kc[i]·x_c[t+i] / ‖x_c[t..t+M) − mean‖, with T̂ the demeaned unit-norm template,
/// so cc ∈ [−1, 1] (Pearson's r per component). Overlap-save: each segment of each component is transformed once and
/// multiplied by the conjugate spectrum of every template (<see cref="CorrelationPlan"/>); the sliding norms come from
/// running sums in double over the segment. Segments are independent, so they run in parallel and the result does
/// not depend on the thread count.
///
/// Exactness. A float FFT's error grows with the energy of the whole segment, not of the window: a quiet window next
/// to an earthquake would carry the earthquake's rounding. Where that bound exceeds <see cref="Tolerance"/> the lag is
/// recomputed as a direct dot product in double — a handful of lags per event, so the result matches an O(N·M)
/// computation everywhere. Where a window's variance is below the rounding of the running sums (a constant or zero
/// stretch) cc is 0, and lags whose window holds a missing sample (a gap) are 0 too.
/// </summary>
public static class NormalizedCorrelation
{
    /// <summary>Largest error allowed on a correlation value before a lag is recomputed directly.</summary>
    public const double Tolerance = 1e-6;

    // |FFT correlation error| ≤ FftErrorScale · log2(N) · ‖segment‖ · ‖template‖: FFTW's single precision measured 2.5e-9
    // at most (NormalizedCorrelationTests records it and fails when the margin falls below 3).
    internal const double FftErrorScale = 1e-8;

    // Variance at or below this share of the running sum of squares is rounding: the window is constant.
    private const double ConstantShare = 1e-12;

    /// <summary>Output lags of a template over a record of <paramref name="samples"/>: samples − M + 1 (or 0).</summary>
    public static int Lags(int samples, int templateLength) => Math.Max(0, samples - templateLength + 1);

    /// <summary>
    /// Correlates the plan's templates with <paramref name="data"/> (components × samples, all of one length).
    /// <paramref name="invalidPrefix"/> (length samples + 1, optional): running count of missing samples, so a window
    /// [t, t+M) is in a gap when invalidPrefix[t+M] − invalidPrefix[t] &gt; 0. <paramref name="traces"/>[k] receives
    /// <see cref="Lags"/> values. Returns how many lags were recomputed directly.
    /// </summary>
    public static long Correlate(CorrelationPlan plan, IReadOnlyList<float[]> data, int[]? invalidPrefix, float[][] traces, int threads = 1)
    {
        if (data.Count != plan.Components) throw new ArgumentException($"{data.Count} data components for templates of {plan.Components}");
        var samples = data[0].Length;
        if (data.Any(d => d.Length != samples)) throw new ArgumentException("components of different lengths");
        if (invalidPrefix is not null && invalidPrefix.Length != samples + 1) throw new ArgumentException("invalidPrefix needs samples + 1 entries");
        for (var k = 0; k < plan.Templates; k++)
            if (traces[k].Length < Lags(samples, plan.LengthOf(k))) throw new ArgumentException($"trace {k} too short");
        var longestLags = Lags(samples, plan.Templates == 0 ? 0 : Enumerable.Range(0, plan.Templates).Min(plan.LengthOf));
        var segments = (longestLags + plan.Hop - 1) / plan.Hop;
        long direct = 0;
        Parallel.For(0, segments, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) },
            () => plan.Workspaces.TryTake(out var reused) ? reused : new Workspace(plan),
            (g, _, w) =>
            {
                w.Segment(plan, data, invalidPrefix, traces, g * plan.Hop);
                return w;
            },
            w =>
            {
                Interlocked.Add(ref direct, w.Direct);
                w.Direct = 0;
                plan.Workspaces.Add(w);
            });
        return direct;
    }

    /// <summary>One thread's buffers; kept by the plan between calls (a block per call: no per-call allocation).</summary>
    internal sealed class Workspace : IDisposable
    {
        private readonly FftwBuffer _input, _product, _output;
        private readonly FftwBuffer[] _spectra;
        private readonly float[][] _values;     // per component, the demeaned segment as transformed
        private readonly double[] _p1, _p2;     // running sums of one component's demeaned segment (N + 1)
        private readonly int[] _lengths;
        // Per template length and component: the factor that turns an FFT output into its share of cc (1 / (N·norm·C),
        // 0 where the window is constant or recomputed directly), and the lags recomputed directly with their 1 / (norm·C).
        private readonly float[][][] _scale;
        private readonly List<(int Lag, double Factor)>[][] _direct;
        private readonly float[] _sum;
        private readonly FftwPlan _forward, _inverse;
        public long Direct;

        public Workspace(CorrelationPlan plan)
        {
            var n = plan.FftLength;
            _forward = FftwPlan.Get(FftKind.RealToComplex, n, 1, plan.Effort);
            _inverse = FftwPlan.Get(FftKind.ComplexToReal, n, 1, plan.Effort);
            _input = new FftwBuffer(n);
            _product = new FftwBuffer(n + 2);
            _output = new FftwBuffer(n);
            _spectra = Enumerable.Range(0, plan.Components).Select(_ => new FftwBuffer(n + 2)).ToArray();
            _values = Enumerable.Range(0, plan.Components).Select(_ => new float[n]).ToArray();
            _p1 = new double[n + 1];
            _p2 = new double[n + 1];
            _lengths = plan.Lengths;
            _scale = _lengths.Select(_ => Enumerable.Range(0, plan.Components).Select(_ => new float[plan.Hop]).ToArray()).ToArray();
            _direct = _lengths.Select(_ => Enumerable.Range(0, plan.Components).Select(_ => new List<(int, double)>()).ToArray()).ToArray();
            _sum = new float[plan.Hop];
        }

        public void Segment(CorrelationPlan plan, IReadOnlyList<float[]> data, int[]? invalidPrefix, float[][] traces, int start)
        {
            var n = plan.FftLength;
            var samples = data[0].Length;
            var count = Math.Min(n, samples - start);
            var log2N = Math.Log2(n);
            var inverseC = 1.0 / plan.Components;
            for (var c = 0; c < plan.Components; c++)
            {
                // Demeaning the segment leaves Σ T̂·x unchanged (T̂ sums to zero) but removes any offset from the FFT's
                // rounding and from the running sums' cancellation.
                var x = data[c].AsSpan(start, count);
                double mean = 0;
                foreach (var v in x) mean += v;
                mean /= Math.Max(1, count);
                var values = _values[c];
                double s1 = 0, s2 = 0;
                for (var i = 0; i < count; i++)
                {
                    var v = (float)(x[i] - mean);
                    values[i] = v;
                    s1 += v;
                    s2 += (double)v * v;
                    _p1[i + 1] = s1;
                    _p2[i + 1] = s2;
                }
                values.AsSpan(count).Clear();
                values.CopyTo(_input.Span);
                _forward.Execute(_input, _spectra[c]);
                // The sliding norms depend on the data and the template length only: once per length, for every template.
                var bound = FftErrorScale * log2N * Math.Sqrt(s2);
                for (var l = 0; l < _lengths.Length; l++)
                {
                    var m = _lengths[l];
                    var lags = Math.Min(plan.Hop, Lags(samples, m) - start);
                    var scale = _scale[l][c];
                    var direct = _direct[l][c];
                    direct.Clear();
                    for (var t = 0; t < lags; t++)
                    {
                        var w1 = _p1[t + m] - _p1[t];
                        var w2 = _p2[t + m] - _p2[t];
                        var variance = w2 - w1 * w1 / m;
                        scale[t] = 0;
                        if (variance <= ConstantShare * _p2[t + m]) continue;
                        var norm = Math.Sqrt(variance);
                        if (bound > Tolerance * norm) direct.Add((t, inverseC / norm));
                        else scale[t] = (float)(inverseC / (n * norm));
                    }
                }
            }
            for (var k = 0; k < plan.Templates; k++)
            {
                var m = plan.LengthOf(k);
                var lags = Math.Min(plan.Hop, Lags(samples, m) - start);
                if (lags <= 0) continue;
                var l = Array.IndexOf(_lengths, m);
                var sum = _sum.AsSpan(0, lags);
                sum.Clear();
                for (var c = 0; c < plan.Components; c++)
                {
                    ComplexMultiply.Apply(_spectra[c].Span, plan.ConjugateSpectra[k][c], _product.Span);
                    _inverse.Execute(_product, _output);
                    // sum += y ⊙ scale: one fused multiply-add per lag, vectorised.
                    TensorPrimitives.FusedMultiplyAdd(_output.Span[..lags], _scale[l][c].AsSpan(0, lags), sum, sum);
                    var unit = plan.Unit[k][c];
                    foreach (var (t, factor) in _direct[l][c])
                    {
                        sum[t] += (float)(Reductions.Dot(unit, _values[c].AsSpan(t, m)) * factor);
                        Direct++;
                    }
                }
                var trace = traces[k].AsSpan(start, lags);
                for (var t = 0; t < lags; t++)
                {
                    var inGap = invalidPrefix is not null && invalidPrefix[start + t + m] - invalidPrefix[start + t] > 0;
                    trace[t] = inGap ? 0 : Math.Clamp(sum[t], -1f, 1f);
                }
            }
        }

        public void Dispose()
        {
            _input.Dispose();
            _product.Dispose();
            _output.Dispose();
            foreach (var s in _spectra) s.Dispose();
        }
    }
}
