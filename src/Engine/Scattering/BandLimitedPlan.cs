using Seiscat.Native.Fftw;

namespace Seiscat.Engine.Scattering;

/// <summary>
/// The fast path's plan (issue 14): every convolution computed only over its filter's band and inverse-transformed at
/// the smallest FFTW-friendly length that holds that band, so each |U| row is sampled at a rate set by its own
/// bandwidth, not the input's (as kymatio's 1-D scattering does).
/// <para>
/// Why this is exact up to the band's tails: the DFT bins of a window of T seconds are 1/T apart whatever the sampling
/// rate, so keeping the W contiguous bins where a filter is above <see cref="SupportThreshold"/> of its peak and
/// inverse-transforming them at length L ≥ W gives the analytic signal u(t) at t = i·N/L exactly (a frequency shift
/// by the band's first bin multiplies u by a phase, which the modulus removes). The modulus |u| is not band-limited,
/// but |u|² spans 2W bins; sampling at L = <see cref="Oversampling"/>·W makes its r2c spectrum, scaled by N/L, the
/// spectrum the exact path gets from N samples, for the second layer to multiply. Where L reaches N the row is the
/// exact path's. Pooling weights each sample by the share of the pooled range it stands for, so an average over a
/// taper's flat part keeps fractional ends; max and median take the samples inside the range (the max of a sampled
/// envelope can only be lower: see docs/accuracy.md ("The fast path") for the measured error).
/// </para>
/// Second-order paths whose filter has no bin above the threshold inside the parent's sampled band are not computed:
/// their coefficient is 0 (the exact path gives them only the modulus's numerical leakage, &lt; 1e-3 of the parent).
/// </summary>
public sealed class BandLimitedPlan
{
    /// <summary>A filter's band: the bins where |ψ̂| exceeds this share of its peak (float32 products below it are noise).</summary>
    public const double SupportThreshold = 1e-6;
    /// <summary>Samples per band bin for a |U| row that feeds the next layer (its square spans twice the band).</summary>
    public const double DefaultOversampling = 2.0;

    public ScatteringPlan Exact { get; }
    public double Oversampling { get; }
    internal FirstOrderBand[] First { get; }
    /// <summary>Per first-layer filter j, per second-layer filter k: its band in the parent's spectrum, or null (not computed).</summary>
    internal SecondOrderBand?[][] Second { get; }
    internal int LongestRow { get; }

    /// <summary>
    /// The band transforms are planned with FFTW_ESTIMATE whatever effort the exact path uses: at these lengths (≤ N,
    /// mostly a few hundred) MEASURE and PATIENT plans ran no faster (2 885–2 963 windows/s for all three efforts on the
    /// default network), while PATIENT planning of the ≈ 50 distinct lengths took ≈ 45 s on a cold wisdom cache.
    /// </summary>
    public BandLimitedPlan(ScatteringPlan exact, double oversampling = DefaultOversampling)
    {
        const FftwEffort effort = FftwEffort.Estimate;
        if (exact.Config.Pooling == Pooling.None)
            throw new SeiscatException("the fast path pools every row; pooling \"none\" (scalograms) runs on the exact path");
        if (exact.Banks.Count > 2)
            throw new SeiscatException($"the fast path computes one or two layers; this configuration has {exact.Banks.Count}: use the exact path");
        if (oversampling < 1) throw new ArgumentOutOfRangeException(nameof(oversampling), "oversampling must be at least 1");
        Exact = exact;
        Oversampling = oversampling;
        var n = exact.Bins;
        var shift0 = ShiftOf(0, n);
        First = exact.Banks[0].CentersHz.Select((_, j) =>
        {
            var response = exact.Banks[0].FrequencyResponse(j);
            var (start, width) = Arc(response);
            var length = Math.Min(n, FriendlyLength((int)Math.Ceiling(oversampling * width)));
            var multiplier = new float[2 * width];
            for (var i = 0; i < width; i++)
            {
                var z = response[(start + i) % n];
                multiplier[2 * i] = (float)(z.Real / n);
                multiplier[2 * i + 1] = (float)(z.Imaginary / n);
            }
            var pool = PoolWeights.For(length, n, shift0, exact.PoolRange);
            var statistics = PoolWeights.For(length, n, shift0, exact.StatisticsRanges[j]);
            return new FirstOrderBand(start, width, length, multiplier,
                FftwPlan.Get(FftKind.ComplexBackward, length, 1, effort),
                exact.Banks.Count > 1 ? FftwPlan.Get(FftKind.RealToComplex, length, 1, effort) : null, pool, statistics)
            {
                PoolEdges = exact.Config.Pooling == Pooling.Max ? EdgeProbe.For(pool, start, width, n) : null,
                StatisticsEdges = exact.Config.FirstOrderStatistics.Contains(Pooling.Max) ? EdgeProbe.For(statistics, start, width, n) : null,
            };
        }).ToArray();
        Second = First.Select(_ => Array.Empty<SecondOrderBand?>()).ToArray();
        if (exact.Banks.Count > 1)
        {
            var bank = exact.Banks[1];
            var shift1 = ShiftOf(1, n);
            var responses = Enumerable.Range(0, bank.Count).Select(bank.FrequencyResponse).ToArray();
            var peaks = responses.Select(r => r.Max(z => z.Magnitude)).ToArray();
            var weights = new Dictionary<int, PoolWeights>();
            for (var j = 0; j < First.Length; j++)
            {
                var parent = First[j];
                var b = parent.Band;
                Second[j] = new SecondOrderBand?[bank.Count];
                for (var k = 0; k < bank.Count; k++)
                {
                    // The filter's bins inside the parent's sampled band [−B, B] (signed frequencies), as one run.
                    int lo = int.MaxValue, hi = int.MinValue;
                    for (var m = -b; m <= b; m++)
                        if (responses[k][((m % n) + n) % n].Magnitude > SupportThreshold * peaks[k]) { lo = Math.Min(lo, m); hi = Math.Max(hi, m); }
                    if (lo > hi || exact.IsPruned(j, k)) continue;
                    var width = hi - lo + 1;
                    // A last-layer row is only pooled, but |u| is not band-limited: sampled at one point per bin, an
                    // average misses the narrow dips where u passes near zero and reads ≈ 3 % high.
                    var rowOversampling = oversampling;
                    var length = Math.Min(n, FriendlyLength((int)Math.Ceiling(rowOversampling * width)));
                    // The parent's r2c spectrum at length L is (L/N)× the exact path's: N/L folds back in here, with FFTW's 1/N.
                    var scale = (double)n / parent.Length / n;
                    var multiplier = new float[2 * width];
                    for (var i = 0; i < width; i++)
                    {
                        var z = responses[k][(((lo + i) % n) + n) % n];
                        multiplier[2 * i] = (float)(z.Real * scale);
                        multiplier[2 * i + 1] = (float)(z.Imaginary * scale);
                    }
                    if (!weights.TryGetValue(length, out var pool)) weights[length] = pool = PoolWeights.For(length, n, shift1, exact.PoolRange);
                    Second[j][k] = new SecondOrderBand(lo, width, length, multiplier, FftwPlan.Get(FftKind.ComplexBackward, length, 1, effort), pool)
                    {
                        PoolEdges = exact.Config.Pooling == Pooling.Max ? EdgeProbe.For(pool, lo, width, n) : null,
                    };
                }
            }
        }
        LongestRow = Math.Max(First.Max(f => f.Length), Second.SelectMany(r => r).Select(s => s?.Length ?? 1).DefaultIfEmpty(1).Max());
    }

    /// <summary>scatseisnet rolls layer l's output by (l+1)·⌊N/2⌋ (see ScatteringNetwork).</summary>
    internal static int ShiftOf(int layer, int n) => (int)((long)(layer + 1) * (n / 2) % n);

    /// <summary>Bytes of one fast network's buffers.</summary>
    public long WorkspaceBytes => 4L * (Exact.RealRow + Exact.HalfRow + 4 * Exact.Bins + 8 * (LongestRow + 16) + 4 * (LongestRow + 16) + 2 * Exact.Bins + 64);

    // The shortest circular run of bins holding every bin above the threshold: the complement of the longest run below it.
    private static (int Start, int Width) Arc(System.Numerics.Complex[] response)
    {
        var n = response.Length;
        var peak = response.Max(z => z.Magnitude);
        var above = response.Select(z => z.Magnitude > SupportThreshold * peak).ToArray();
        if (above.All(a => a)) return (0, n);
        int bestStart = 0, bestLength = 0;
        var first = Array.IndexOf(above, false);
        // Walk once around the circle starting at a bin below the threshold, so no run is split by the wrap.
        for (int i = 0, run = 0, runStart = first; i < n; i++)
        {
            var at = (first + i) % n;
            if (!above[at])
            {
                if (run == 0) runStart = at;
                run++;
                if (run > bestLength) (bestLength, bestStart) = (run, runStart);
            }
            else run = 0;
        }
        return ((bestStart + bestLength) % n, n - bestLength);
    }

    /// <summary>The smallest n ≥ <paramref name="atLeast"/> of the form 2^a·3^b·5^c·7^d (FFTW's fast sizes).</summary>
    public static int FriendlyLength(int atLeast)
    {
        for (var n = Math.Max(1, atLeast); ; n++)
        {
            var m = n;
            foreach (var p in (ReadOnlySpan<int>)[2, 3, 5, 7]) while (m % p == 0) m /= p;
            if (m == 1) return n;
        }
    }
}

/// <summary>A first-layer filter's band: bins [Start, Start+Width) of the N-point spectrum (circular), |U| sampled at Length points.</summary>
internal sealed record FirstOrderBand(int Start, int Width, int Length, float[] Multiplier, FftwPlan Inverse, FftwPlan? Forward, PoolWeights Pool,
    PoolWeights Statistics)
{
    public EdgeProbe? PoolEdges { get; init; }
    public EdgeProbe? StatisticsEdges { get; init; }

    /// <summary>Signed frequencies the r2c of this row represents unambiguously: |m| ≤ B (the Nyquist bin of an even length is left out).</summary>
    public int Band => (Length - 1) / 2;
}

/// <summary>A second-order path's band: signed bins [Low, Low+Width) of the parent's spectrum, |U| sampled at Length points.</summary>
internal sealed record SecondOrderBand(int Low, int Width, int Length, float[] Multiplier, FftwPlan Inverse, PoolWeights Pool)
{
    public EdgeProbe? PoolEdges { get; init; }
}

/// <summary>
/// How L samples of a row (sample i at t = i·N/L, standing for [t − N/2L, t + N/2L)) pool over a range [start, end) of
/// the exact path's rolled output: for an average, contiguous runs of whole samples (one weight) plus the partly
/// covered samples at the ends; for max and median, the runs of samples whose time lies inside.
/// </summary>
internal sealed class PoolWeights
{
    public required (int Start, int Count)[] Runs { get; init; }
    public double Uniform { get; init; }
    public required (int Index, double Weight)[] Partial { get; init; }
    public required (int Start, int Count)[] InsideRuns { get; init; }
    public bool Whole { get; init; }
    /// <summary>The row is the exact path's own samples (L = N): nothing to interpolate.</summary>
    public bool Exact { get; init; }
    /// <summary>The exact path's first and last pooled samples (U's own sample index), where a max is checked exactly.</summary>
    public int FirstSample { get; init; }
    public int LastSample { get; init; }

    public int InsideCount => _insideCount ??= InsideRuns.Sum(r => r.Count);
    private int? _insideCount;

    public bool Contains(int i)
    {
        foreach (var (start, count) in InsideRuns) if (i >= start && i < start + count) return true;
        return false;
    }

    public static PoolWeights For(int length, int n, int shift, (int Start, int End) range)
    {
        var (start, end) = range;
        var total = (double)(end - start);
        if (start == 0 && end == n)
            return new PoolWeights
            {
                Runs = [(0, length)],
                Uniform = 1.0 / length,
                Partial = [],
                InsideRuns = [(0, length)],
                Whole = true,
                Exact = length == n,
            };
        // The rolled range [start, end) is U's circular interval [start − shift − ½, end − shift − ½).
        var a0 = start - shift - 0.5;
        var step = (double)n / length;
        var full = step / total;
        var whole = new List<int>();
        var partial = new List<(int, double)>();
        var inside = new List<int>();
        for (var i = 0; i < length; i++)
        {
            var t = i * step;
            var share = 0.0;
            var centred = false;
            for (var wrap = -1; wrap <= 1; wrap++)
            {
                var lo = a0 + wrap * n;
                var hi = lo + total;
                share += Math.Max(0, Math.Min(t + step / 2, hi) - Math.Max(t - step / 2, lo));
                centred |= t >= lo && t < hi;
            }
            if (share >= step * (1 - 1e-12)) whole.Add(i);
            else if (share > 0) partial.Add((i, share / total));
            if (centred) inside.Add(i);
        }
        if (inside.Count == 0) inside.Add(partial.Count > 0 ? partial.MaxBy(p => p.Item2).Item1 : whole[0]);
        int Sample(int at) => ((at - shift) % n + n) % n;
        return new PoolWeights
        {
            Runs = ToRuns(whole),
            Uniform = full,
            Partial = partial.ToArray(),
            InsideRuns = ToRuns(inside),
            Exact = length == n,
            FirstSample = Sample(start),
            LastSample = Sample(end - 1),
        };
    }

    private static (int Start, int Count)[] ToRuns(List<int> sorted)
    {
        var runs = new List<(int Start, int Count)>();
        foreach (var i in sorted)
            if (runs.Count > 0 && runs[^1].Start + runs[^1].Count == i) runs[^1] = (runs[^1].Start, runs[^1].Count + 1);
            else runs.Add((i, 1));
        return runs.ToArray();
    }
}

/// <summary>
/// Where a max must be checked exactly: the band-limited row at the range's first and last samples is a dot product of
/// the band's product with fixed phases e^(2πi·k·t/N) (k over the band), precomputed as interleaved complex floats.
/// </summary>
internal sealed class EdgeProbe
{
    public required float[] First { get; init; }
    public required float[] Last { get; init; }

    /// <summary>The probe for a band of <paramref name="width"/> bins from signed bin <paramref name="firstBin"/>; null when the row needs none.</summary>
    public static EdgeProbe? For(PoolWeights weights, int firstBin, int width, int n) => weights.Whole || weights.Exact ? null : new EdgeProbe
    {
        First = Phases(firstBin, width, n, weights.FirstSample),
        Last = Phases(firstBin, width, n, weights.LastSample),
    };

    private static float[] Phases(int firstBin, int width, int n, int t)
    {
        var phases = new float[2 * width];
        for (var q = 0; q < width; q++)
        {
            var (sin, cos) = Math.SinCos(2 * Math.PI * ((long)(firstBin + q) * t % n) / n);
            phases[2 * q] = (float)cos;
            phases[2 * q + 1] = (float)sin;
        }
        return phases;
    }
}
