using System.Text.Json;
using Seiscat.Engine.Signal;
using Seiscat.Tests.Shared;

namespace Seiscat.Engine.Tests.Signal;

public class PolyphaseResamplerTests
{
    private sealed record Case(string input, int up, int down, double[] output);
    private sealed record Reference(string scipy_version, Dictionary<string, double[]> inputs, Case[] cases);

    private static readonly Reference Ref =
        JsonSerializer.Deserialize<Reference>(File.ReadAllText(TestPaths.Fixture("signal/resample_poly_reference.json")))!;

    public static TheoryData<int> Cases() => new(Enumerable.Range(0, Ref.cases.Length));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Equals_scipy_resample_poly(int index)
    {
        var c = Ref.cases[index];
        var x = Ref.inputs[c.input].Select(v => (float)v).ToArray();
        var r = new PolyphaseResampler(c.up, c.down);
        Assert.Equal(c.output.Length, r.OutputLength(x.Length));
        var y = new float[c.output.Length];
        r.Apply(x, y);
        // float32 output of a float64 sum: relative to the signal's scale, within float32 rounding of each sample.
        var scale = c.output.Max(Math.Abs);
        for (var i = 0; i < y.Length; i++)
            Assert.True(Math.Abs(y[i] - c.output[i]) <= 2e-6 * scale, $"{c.input} {c.up}/{c.down} sample {i}: {y[i]} vs scipy {c.output[i]}");
    }

    [Theory]
    [InlineData(50.0, 40.0, 4, 5)]
    [InlineData(100.0, 40.0, 2, 5)]
    [InlineData(40.0, 50.0, 5, 4)]
    [InlineData(200.0, 50.0, 1, 4)]
    public void Ratio_of_two_rates_is_the_smallest_integer_pair(double rateIn, double rateOut, int up, int down)
        => Assert.Equal((up, down), PolyphaseResampler.Ratio(rateIn, rateOut));

    [Fact]
    public void An_irrational_ratio_has_no_pair() => Assert.Null(PolyphaseResampler.Ratio(Math.PI * 10, 7));

    [Fact]
    public void Decimation_by_4_passes_the_band_and_rejects_aliases()
    {
        const double fs = 100;
        const int q = 4, n = 4000;
        var dec = new PolyphaseResampler(1, q);
        double Gain(double f)
        {
            var x = Enumerable.Range(0, n).Select(i => (float)Math.Sin(2 * Math.PI * f * i / fs)).ToArray();
            var y = new float[dec.OutputLength(n)];
            dec.Apply(x, y);
            // RMS over the middle, away from the edges.
            var mid = y.AsSpan(y.Length / 4, y.Length / 2);
            double s = 0;
            foreach (var v in mid) s += v * v;
            return Math.Sqrt(s / mid.Length) * Math.Sqrt(2);
        }
        Assert.InRange(Gain(2.0), 0.99, 1.01);       // well inside the new 12.5 Hz Nyquist
        Assert.True(Gain(20.0) < 1e-2, $"{Gain(20.0)}"); // would alias to 5 Hz
    }
}
