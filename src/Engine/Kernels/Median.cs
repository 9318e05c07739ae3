using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Seiscat.Engine.Kernels;

/// <summary>
/// np.median (mean of the two middle values for an even count) without sorting. Long inputs: 32 strided samples
/// bracket the middle ranks, one pass counts the values below/above the bracket and compresses the values inside
/// it into scratch (Vector512 compress or Vector256 table permutation where available, scalar branchless otherwise), and the search
/// continues in that band (about a third of the input, then a tenth). When the bracket misses — it is checked
/// exactly by the counts — the whole input is selected directly, so the result is always exact.
/// </summary>
[SkipLocalsInit]
public static partial class Median
{
    /// <summary>The path this machine takes, chosen once: 256-bit rank counting and band pass (AVX2 permutation by lane
    /// mask), and the 512-bit band pass (AVX-512F compress) when the path is <see cref="KernelIsa.Vector512"/>;
    /// benchmarked in KernelBench.</summary>
    public static KernelIsa Path { get; } = Avx512F.IsSupported ? KernelPath.Choose(KernelIsa.Vector256,
        KernelIsa.Vector512) : KernelPath.Choose(KernelIsa.Vector256);

    private const int RankLimit = 64;

    /// <summary>Median of <paramref name="values"/> (left intact); <paramref name="scratch"/> must hold values.Length floats (+16 for the vector band
    /// pass).</summary>
    public static double Of(ReadOnlySpan<float> values, Span<float> scratch)
    {
        var n = values.Length;
        if (n == 0) throw new ArgumentException("median of nothing");
        if (scratch.Length < n) throw new ArgumentException("scratch too short");
        var upper = n / 2;
        var lower = (n & 1) == 1 ? upper : upper - 1;
        var (lo, hi) = SelectPair(values, lower, upper, scratch);
        return lower == upper ? hi : ((double)lo + hi) / 2;
    }

    /// <summary>Median computed by reordering <paramref name="values"/> in place (small inputs, and the fallback).</summary>
    public static double OfInPlace(Span<float> values)
    {
        var n = values.Length;
        if (n == 0) throw new ArgumentException("median of nothing");
        var upper = n / 2;
        var hi = Select(values, upper);
        if ((n & 1) == 1) return hi;
        return ((double)MaxBelow(values, upper) + hi) / 2;
    }

    /// <summary>Reference: sort a copy.</summary>
    public static double OfSorted(ReadOnlySpan<float> values)
    {
        var copy = values.ToArray();
        Array.Sort(copy);
        var n = copy.Length;
        return (n & 1) == 1 ? copy[n / 2] : ((double)copy[n / 2 - 1] + copy[n / 2]) / 2;
    }

    // Values of ranks lower and upper (upper = lower or lower + 1) of src.
    private static (float Low, float High) SelectPair(ReadOnlySpan<float> src, int lower, int upper, Span<float> scratch)
    {
        var n = src.Length;
        if (n <= RankLimit && Path >= KernelIsa.Vector256)
            return RankSelect(src, lower, upper);
        if (n > RankLimit)
        {
            // Smooth rows (|U| of a low-frequency path has ~n/250 independent values) can fool 32 samples:
            // on a miss, retry once with twice the margin before selecting the whole row.
            foreach (var margin in (ReadOnlySpan<int>)[6, 12])
            {
                var (lo, hi) = Bracket(src, lower, upper, margin);
                int below, above, m;
                if (Vector512Partition.IsSupported) Vector512Partition.Run(src, lo, hi, scratch, out below, out above, out m);
                else if (Vector256Partition.IsSupported) Vector256Partition.Run(src, lo, hi, scratch, out below, out above, out m);
                else PartitionScalar(src, lo, hi, scratch, out below, out above, out m);
                if (below <= lower && upper < n - above && 2 * m + 16 <= scratch.Length)
                    return SelectPair(scratch[..m], lower - below, upper - below, scratch[m..]);
            }
        }
        var work = scratch[..n];
        src.CopyTo(work);
        var high = Select(work, upper);
        return (lower == upper ? high : MaxBelow(work, upper), high);
    }

    // Samples, sorted; the bracket spans the middle ranks' sample quantiles ± margin of 32 (6 ≈ 2 standard
    // deviations of a sample quantile for independent values), so most inputs need one pass.
    private static (float Lo, float Hi) Bracket(ReadOnlySpan<float> src, int lower, int upper, int margin)
    {
        const int S = 32;
        Span<float> s = stackalloc float[S];
        var n = src.Length;
        var vectorRanks = Path >= KernelIsa.Vector256;
        // Jittered strata: one sample at a fixed pseudo-random offset inside each n/S stretch. Plain strides alias
        // with periodic signals (|U| rows oscillate) and bias the bracket.
        for (var i = 0; i < S; i++)
        {
            var jitter = (uint)(i * 2654435761u) >> 16; // Knuth's multiplicative hash: deterministic, well spread
            s[i] = src[(int)((i * (long)n + jitter * (long)n / 65536) / S)];
        }
        var a = Math.Max(0, (int)((long)lower * S / n) - margin);
        var b = Math.Min(S - 1, (int)(((long)upper * S + n - 1) / n) + margin);
        if (vectorRanks) return RankSelect(s, a, b);
        s.Sort();
        return (s[a], s[b]);
    }

    /// <summary>Counts values &lt; lo and &gt; hi; copies the values in [lo, hi] to band (order kept) and returns how many.</summary>
    internal static void PartitionScalar(ReadOnlySpan<float> src, float lo, float hi, Span<float> band, out int below, out int above, out int m)
    {
        int b = 0, a = 0, k = 0;
        for (var i = 0; i < src.Length; i++)
        {
            var v = src[i];
            var isBelow = v < lo;
            var isAbove = v > hi;
            b += isBelow ? 1 : 0;
            a += isAbove ? 1 : 0;
            band[k] = v; // written always, kept only when inside: no branch on the data
            k += isBelow | isAbove ? 0 : 1;
        }
        below = b; above = a; m = k;
    }

    /// <summary>
    /// The r-th smallest of up to 64 values without branches on the data: each value's rank is the number of values
    /// below it plus the number of equal values before it (so ranks are a permutation of 0..n−1); the value of rank r
    /// is the answer. Lanes: 8 values per Vector256, padded with +∞ (never below a finite value).
    /// </summary>
    internal static float RankSelect(ReadOnlySpan<float> values, int r) => RankSelect(values, r, r).Low;

    /// <summary>The values of ranks r1 and r2 in one pass.</summary>
    internal static (float Low, float High) RankSelect(ReadOnlySpan<float> values, int r1, int r2)
    {
        var n = values.Length;
        var blocks = (n + 7) / 8;
        Span<float> padded = stackalloc float[blocks * 8];
        padded.Fill(float.PositiveInfinity);
        values.CopyTo(padded);
        Span<Vector256<float>> v = stackalloc Vector256<float>[blocks];
        for (var q = 0; q < blocks; q++) v[q] = Vector256.Create<float>(padded.Slice(q * 8, 8));
        var lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        var (low, high) = (values[0], values[0]);
        for (var i = 0; i < n; i++)
        {
            var x = Vector256.Create(values[i]);
            var rank = 0;
            for (var q = 0; q < blocks; q++)
            {
                var below = Vector256.LessThan(v[q], x);
                // Equal values count when they sit before i: lane index + 8q < i.
                var before = Vector256.LessThan(lanes + Vector256.Create(8 * q), Vector256.Create(i)).AsSingle();
                var tie = Vector256.Equals(v[q], x) & before;
                rank += BitOperations.PopCount((below | tie).ExtractMostSignificantBits());
            }
            low = rank == r1 ? values[i] : low;
            high = rank == r2 ? values[i] : high;
        }
        return (low, high);
    }

    private static float MaxBelow(Span<float> values, int upper)
    {
        var lo = values[0];
        for (var i = 1; i < upper; i++) if (values[i] > lo) lo = values[i];
        return lo;
    }

    // Leaves the k-th smallest at index k, smaller-or-equal values before it, larger-or-equal after
    // (Hoare partition, median-of-three pivot, insertion sort below 16).
    private static float Select(Span<float> a, int k)
    {
        int left = 0, right = a.Length - 1;
        while (right > left)
        {
            if (right - left < 16)
            {
                for (var i = left + 1; i <= right; i++)
                {
                    var v = a[i];
                    var j = i - 1;
                    while (j >= left && a[j] > v) { a[j + 1] = a[j]; j--; }
                    a[j + 1] = v;
                }
                return a[k];
            }
            var mid = left + (right - left) / 2;
            if (a[mid] < a[left]) (a[mid], a[left]) = (a[left], a[mid]);
            if (a[right] < a[left]) (a[right], a[left]) = (a[left], a[right]);
            if (a[right] < a[mid]) (a[right], a[mid]) = (a[mid], a[right]);
            var pivot = a[mid];
            int i2 = left, j2 = right;
            while (i2 <= j2)
            {
                while (a[i2] < pivot) i2++;
                while (a[j2] > pivot) j2--;
                if (i2 <= j2)
                {
                    (a[i2], a[j2]) = (a[j2], a[i2]);
                    i2++; j2--;
                }
            }
            if (k <= j2) right = j2;
            else if (k >= i2) left = i2;
            else return a[k];
        }
        return a[k];
    }
}
