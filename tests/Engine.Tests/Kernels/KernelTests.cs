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
    public void Median_equals_sorting(int n, int seed)
    {
        if (n == 0) return;
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
    public void Band_pass_vector_and_scalar_twins_agree()
    {
        var x = Random(1003, 9);
        var b1 = new float[x.Length + 16];
        var b2 = new float[x.Length + 16];
        Median.PartitionScalar(x, -100f, 50f, b1, out var lo1, out var hi1, out var m1);
        if (!Median.Vector512Partition.IsSupported) return;
        Median.Vector512Partition.Run(x, -100f, 50f, b2, out var lo2, out var hi2, out var m2);
        Assert.Equal((lo1, hi1, m1), (lo2, hi2, m2));
        Assert.Equal(b1.AsSpan(0, m1).ToArray(), b2.AsSpan(0, m2).ToArray());
    }

    [Fact]
    public void Forcing_a_path_is_validated()
    {
        Assert.Equal(KernelIsa.Scalar, KernelPath.Choose("scalar"));
        Assert.True(KernelPath.Choose("v256") <= KernelIsa.Vector256);
        Assert.Throws<SeiscatException>(() => KernelPath.Choose("avx9000"));
    }
}
