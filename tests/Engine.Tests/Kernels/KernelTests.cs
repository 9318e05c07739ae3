using Seiscat.Engine.Kernels;

namespace Seiscat.Engine.Tests.Kernels;

/// <summary>
/// Every vector path against its scalar twin, for every length 0..3·16+3 and misaligned starts. CI reruns the
/// suite with DOTNET_EnableAVX2=0 / DOTNET_EnableHWIntrinsic=0, and SEISCAT_FORCE_KERNEL pins a path.
/// </summary>
public class KernelTests
{
    public static TheoryData<int, int> LengthsAndOffsets()
    {
        var d = new TheoryData<int, int>();
        for (var n = 0; n <= 3 * 16 + 3; n++) d.Add(n, n % 3);
        return d;
    }

    private static float[] Random(int n, int seed, float scale = 1000f)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)((r.NextDouble() - 0.5) * scale)).ToArray();
    }

    [Theory]
    [MemberData(nameof(LengthsAndOffsets))]
    public void Complex_multiply_equals_its_scalar_twin_bit_for_bit(int complexCount, int offset)
    {
        var a = Random(2 * complexCount + 2 * offset, 1).AsSpan(2 * offset);
        var b = Random(2 * complexCount + 2 * offset, 2).AsSpan(2 * offset);
        var expected = new float[2 * complexCount];
        ComplexMultiply.Scalar(a, b, expected);
        var actual = new float[2 * complexCount + 2].AsSpan(2)[..(2 * complexCount)];
        ComplexMultiply.Apply(a, b, actual);
        Assert.Equal(expected, actual.ToArray());
        // In place (output aliases a), as the network never does but callers may.
        var inPlace = a.ToArray();
        ComplexMultiply.Apply(inPlace, b, inPlace);
        Assert.Equal(expected, inPlace);
    }

    [Theory]
    [MemberData(nameof(LengthsAndOffsets))]
    public void Modulus_equals_its_scalar_twin_bit_for_bit(int n, int offset)
    {
        var z = Random(2 * n + offset, 3).AsSpan(offset);
        var expected = new float[n];
        Modulus.Scalar(z, expected);
        var actual = new float[n];
        Modulus.Apply(z, actual);
        Assert.Equal(expected, actual);
        for (var k = 0; k < n; k++)
            Assert.Equal(Math.Sqrt((double)z[2 * k] * z[2 * k] + (double)z[2 * k + 1] * z[2 * k + 1]), actual[k], 1e-6 * (1 + actual[k]));
    }

    [Theory]
    [MemberData(nameof(LengthsAndOffsets))]
    public void Sum_and_max_equal_their_scalar_twins(int n, int offset)
    {
        var x = Random(n + offset, 4).AsSpan(offset);
        Assert.Equal(Reductions.SumScalar(x), Reductions.Sum(x));
        double exact = 0;
        foreach (var v in x) exact += v;
        Assert.Equal(exact, Reductions.Sum(x), 1e-9 * (1 + Math.Abs(exact)));
        if (n > 0) Assert.Equal(Reductions.MaxScalar(x), Reductions.Max(x));
    }

    [Theory]
    [MemberData(nameof(LengthsAndOffsets))]
    public void Elementwise_loops_equal_their_scalar_twins_bit_for_bit(int n, int offset)
    {
        var x = Random(n + offset, 9).AsSpan(offset).ToArray();
        // Non-finite samples scattered through the vector blocks and the tail.
        for (var i = 0; i < x.Length; i += 7) x[i] = i % 3 == 0 ? float.NaN : i % 3 == 1 ? float.PositiveInfinity : float.NegativeInfinity;
        var (a, b) = ((float[])x.Clone(), (float[])x.Clone());
        Assert.Equal(Elementwise.ZeroNonFiniteScalar(a), Elementwise.ZeroNonFinite(b));
        Assert.Equal(a, b);
        Assert.Equal((x.Length + 6) / 7, x.Count(v => !float.IsFinite(v)));
        Assert.All(b, v => Assert.True(float.IsFinite(v)));
        var (wa, wb) = (new double[b.Length], new double[b.Length]);
        Elementwise.WidenScalar(b, wa);
        Elementwise.Widen(b, wb);
        Assert.Equal(wa, wb);
        Assert.Equal(b.Select(v => (double)v), wb);
        Elementwise.SubtractInDoubleScalar(a, 0.123456789);
        Elementwise.SubtractInDouble(b, 0.123456789);
        Assert.Equal(a, b);
        Assert.Equal(x.Select(v => float.IsFinite(v) ? (float)(v - 0.123456789) : (float)(0 - 0.123456789)), b);
    }

    [Theory]
    [MemberData(nameof(LengthsAndOffsets))]
    public void Double_dot_equals_its_scalar_twin_bit_for_bit_and_the_exact_sum(int n, int offset)
    {
        var a = Random(n + offset, 5).AsSpan(offset);
        var b = Random(n + offset, 6).AsSpan(offset);
        Assert.Equal(Reductions.DotScalar(a, b), Reductions.Dot(a, b));
        double exact = 0;
        for (var i = 0; i < n; i++) exact += (double)a[i] * b[i];
        Assert.Equal(exact, Reductions.Dot(a, b), 1e-12 * (1 + Math.Abs(exact)));
    }

    public static TheoryData<int, int> NonEmptyLengths()
    {
        var d = new TheoryData<int, int>();
        for (var n = 1; n <= 3 * 16 + 3; n++) d.Add(n, n % 3);
        return d;
    }

    [Fact]
    public void Median_of_nothing_is_refused() => Assert.ThrowsAny<ArgumentException>(() => Median.OfInPlace([]));

    [Theory]
    [MemberData(nameof(NonEmptyLengths))]
    public void Median_equals_sorting(int n, int seed)
    {
        var x = Random(n, seed + 10);
        // Ties as well: quantised copies.
        var ties = x.Select(v => MathF.Round(v / 200) * 200).ToArray();
        Assert.Equal(Median.OfSorted(x), Median.OfInPlace(x.ToArray()));
        Assert.Equal(Median.OfSorted(ties), Median.OfInPlace(ties.ToArray()));
    }

    [Theory]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(1999)]
    [InlineData(2000)]
    [InlineData(4096)]
    public void Median_of_a_long_window_equals_sorting_for_every_kind_of_input(int n)
    {
        var rng = new Random(n);
        var inputs = new Dictionary<string, float[]>
        {
            ["noise"] = Random(n, n).Select(MathF.Abs).ToArray(),
            ["sorted"] = Enumerable.Range(0, n).Select(i => (float)i).ToArray(),
            ["reversed"] = Enumerable.Range(0, n).Select(i => (float)(n - i)).ToArray(),
            ["constant"] = Enumerable.Repeat(3.5f, n).ToArray(),
            ["few values"] = Enumerable.Range(0, n).Select(_ => (float)rng.Next(3)).ToArray(),
            // Smooth envelopes, like pooled |U| rows: strided samples see a biased picture and the bracket can miss.
            ["envelope"] = Enumerable.Range(0, n).Select(i => (float)(Math.Exp(-Math.Pow((i - 0.3 * n) / (0.02 * n), 2)) * 1e4 + 1)).ToArray(),
            ["two levels"] = Enumerable.Range(0, n).Select(i => i % 64 < 40 ? 1f : 1000f).ToArray(),
        };
        var scratch = new float[n + 16];
        foreach (var (name, x) in inputs)
        {
            var copy = x.ToArray();
            Assert.True(Median.OfSorted(x) == Median.Of(x, scratch), name);
            Assert.Equal(copy, x); // input left intact
            Assert.True(Median.OfSorted(x) == Median.OfInPlace(x.ToArray()), name);
        }
    }

    [Fact]
    public void Band_pass_256_bit_and_scalar_twins_agree_over_lengths_offsets_and_nan()
    {
        Assert.SkipUnless(Median.Vector256Partition.IsSupported,
            $"the 256-bit band pass is not taken here (kernel path {Median.Path}: no AVX2, or capped by {KernelPath.EnvironmentVariable})");
        var rng = new Random(11);
        var data = Enumerable.Range(0, 3 * 16 + 3 + 4).Select(i => i % 13 == 5 ? float.NaN : (float)(rng.NextDouble() * 200 - 100)).ToArray();
        foreach (var (lo, hi) in new[] { (-100f, 100f), (-20f, 30f), (5f, 5f), (200f, 300f), (-300f, -200f) })
            for (var offset = 0; offset < 4; offset++)
                for (var n = 0; n <= data.Length - offset; n++)
                {
                    var x = data.AsSpan(offset, n);
                    var b1 = new float[n + 16];
                    var b2 = Enumerable.Repeat(-7f, n + 16).ToArray(); // stale contents must not leak into the band
                    Median.PartitionScalar(x, lo, hi, b1, out var below1, out var above1, out var m1);
                    Median.Vector256Partition.Run(x, lo, hi, b2, out var below2, out var above2, out var m2);
                    Assert.Equal((below1, above1, m1), (below2, above2, m2));
                    Assert.Equal(b1.AsSpan(0, m1).ToArray(), b2.AsSpan(0, m2).ToArray());
                }
    }

    [Fact]
    public void Band_pass_vector_and_scalar_twins_agree()
    {
        var x = Random(1003, 9);
        var b1 = new float[x.Length + 16];
        var b2 = new float[x.Length + 16];
        Median.PartitionScalar(x, -100f, 50f, b1, out var lo1, out var hi1, out var m1);
        Assert.SkipUnless(Median.Vector512Partition.IsSupported,
            $"the 512-bit band pass is not taken here (kernel path {Median.Path}: no AVX-512F, or capped by {KernelPath.EnvironmentVariable})");
        Median.Vector512Partition.Run(x, -100f, 50f, b2, out var lo2, out var hi2, out var m2);
        Assert.Equal((lo1, hi1, m1), (lo2, hi2, m2));
        Assert.Equal(b1.AsSpan(0, m1).ToArray(), b2.AsSpan(0, m2).ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(4099)]
    public void Exponentials_are_within_two_ulp_of_math_exp_and_do_not_depend_on_position(int n)
    {
        var r = new Random(n + 1);
        var values = Enumerable.Range(0, n).Select(_ => -r.NextDouble() * 700).Append(0).Append(-745.2).Append(double.NegativeInfinity).ToArray();
        var vector = (double[])values.Clone();
        Exponential.InPlace(vector);
        for (var i = 0; i < values.Length; i++)
        {
            var exact = Math.Exp(values[i]);
            Assert.True(vector[i] == exact || Math.Abs(vector[i] - exact) <= 5e-16 * exact || (exact < 1e-300 && Math.Abs(vector[i] - exact) < 1e-300),
                $"exp({values[i]:R}) = {vector[i]:R}, Math.Exp {exact:R}");
        }
        // The same value gives the same bits in the vector body and in the padded tail.
        var shifted = values.Prepend(values[^2]).ToArray();
        Exponential.InPlace(shifted);
        Assert.Equal(vector, shifted[1..]);
    }

    public static TheoryData<int, int> Shapes() => new() { { 0, 10 }, { 3, 10 }, { 4, 10 }, { 37, 7 }, { 51, 1 }, { 9, 64 }, { 33, 5 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Mahalanobis_distances_equal_their_scalar_twin_bit_for_bit(int n, int d)
    {
        var r = new Random(n * 100 + d);
        var x = Enumerable.Range(0, n * d + 3).Select(_ => r.NextDouble() * 8 - 4).ToArray().AsSpan(3); // misaligned start
        var p = Enumerable.Range(0, d * d).Select(_ => r.NextDouble() - 0.5).ToArray();
        var m = Enumerable.Range(0, d).Select(_ => r.NextDouble()).ToArray();
        var a = new double[n];
        var b = new double[n];
        MahalanobisDistance.Scalar(x, d, p, m, a);
        MahalanobisDistance.Squared(x, d, p, m, b);
        Assert.Equal(a, b);
        // An upper-triangular factor (what full and tied mixtures pass): the vector paths skip its zeros, same bits.
        for (var l = 1; l < d; l++) for (var j = 0; j < l; j++) p[l * d + j] = 0;
        MahalanobisDistance.Scalar(x, d, p, m, a);
        MahalanobisDistance.Squared(x, d, p, m, b);
        Assert.Equal(a, b);
        // The same rows stored by column (the mixture transposes a block once for all components): same bits.
        var xT = new double[n * d];
        MahalanobisDistance.Transpose(x, n, d, xT);
        Array.Clear(b);
        MahalanobisDistance.SquaredColumns(xT, n, d, p, m, b);
        Assert.Equal(a, b);
        // The diagonal form against its definition.
        var prec = m.Select(v => v + 0.5).ToArray();
        MahalanobisDistance.SquaredDiagonal(x, d, m, prec, a);
        for (var i = 0; i < n; i++)
        {
            double s = 0;
            for (var j = 0; j < d; j++) s += (x[i * d + j] - m[j]) * (x[i * d + j] - m[j]) * prec[j];
            Assert.Equal(s, a[i]);
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Weighted_scatter_equals_its_scalar_twin(int n, int d)
    {
        // Not bit for bit: the vector path sums 4 rows per lane, then the lanes (documented in WeightedScatter).
        var rng = new Random(n + 7 * d);
        var x = Enumerable.Range(0, n * d + 1).Select(_ => rng.NextDouble() * 10 - 5).ToArray().AsSpan(1);
        var w = Enumerable.Range(0, n).Select(_ => rng.NextDouble()).ToArray();
        var mean = Enumerable.Range(0, d).Select(_ => rng.NextDouble()).ToArray();
        var expected = new double[d * d];
        var actual = new double[d * d];
        WeightedScatter.Scalar(x, d, w, mean, expected);
        WeightedScatter.Accumulate(x, d, w, mean, actual);
        for (var t = 0; t < d * d; t++) Assert.Equal(expected[t], actual[t], 1e-12 * (1 + Math.Abs(expected[t])));
        for (var a = 0; a < d; a++)
            for (var b = a + 1; b < d; b++) Assert.Equal(0, actual[a * d + b]); // lower triangle only
    }

    [Theory]
    [MemberData(nameof(LengthsAndOffsets))]
    public void Row_accumulations_equal_their_scalar_twins_bit_for_bit(int n, int offset)
    {
        var rng = new Random(n + 31);
        var x = Enumerable.Range(0, n + offset).Select(_ => rng.NextDouble() * 6 - 3).ToArray().AsSpan(offset);
        var start = Enumerable.Range(0, n).Select(_ => rng.NextDouble()).ToArray();
        var (a, b) = ((double[])start.Clone(), (double[])start.Clone());
        Accumulate.ScaledScalar(0.37, x, a);
        Accumulate.Scaled(0.37, x, b);
        Assert.Equal(a, b);
        (a, b) = ((double[])start.Clone(), (double[])start.Clone());
        Accumulate.WeightedSquaresScalar(1.9, x, a);
        Accumulate.WeightedSquares(1.9, x, b);
        Assert.Equal(a, b);
    }

    [Fact]
    public void Every_kernel_takes_a_path_the_machine_and_the_cap_allow()
    {
        var kernels = typeof(KernelPath).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(KernelPath).Namespace && t.GetProperty("Path",
                System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static) is not null)
            .ToList();
        Assert.True(kernels.Count >= 7, string.Join(", ", kernels.Select(k => k.Name)));
        foreach (var k in kernels)
        {
            var path = (KernelIsa)k.GetProperty("Path")!.GetValue(null)!;
            Assert.True(path <= KernelPath.Active, $"{k.Name} takes {path} above the cap {KernelPath.Active}");
        }
    }

    [Fact]
    public void Forcing_a_path_is_validated()
    {
        Assert.Equal(KernelIsa.Scalar, KernelPath.Choose("scalar"));
        // A cap lowers the path to it, never raises it above what the machine accelerates; no cap: the widest.
        foreach (var (text, cap) in new[] { ("v128", KernelIsa.Vector128), (" V256 ", KernelIsa.Vector256), ("vector512", KernelIsa.Vector512) })
            Assert.Equal(cap < KernelPath.Widest ? cap : KernelPath.Widest, KernelPath.Choose(text));
        Assert.Equal(KernelPath.Widest, KernelPath.Choose((string?)null));
        Assert.Equal(KernelPath.Widest, KernelPath.Choose(""));
        Assert.Throws<SeiscatException>(() => KernelPath.Choose("avx9000"));
    }
}
