using System.Numerics;
using Seiscat.Engine.Signal;

namespace Seiscat.Engine.Tests.Signal;

public class DoubleFftTests
{
    private static Complex[] Naive(Complex[] x)
    {
        var n = x.Length;
        var y = new Complex[n];
        for (var k = 0; k < n; k++)
            for (var j = 0; j < n; j++) y[k] += x[j] * Complex.FromPolarCoordinates(1, -2 * Math.PI * ((long)j * k % n) / n);
        return y;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]   // radix-2
    [InlineData(12)]   // Bluestein
    [InlineData(1000)] // Bluestein, long
    public void Forward_equals_the_defining_sum(int n)
    {
        var rng = new Random(n);
        var x = Enumerable.Range(0, n).Select(_ => new Complex(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5)).ToArray();
        var fast = DoubleFft.Forward(x);
        var reference = Naive(x);
        var scale = reference.Max(v => v.Magnitude);
        for (var k = 0; k < n; k++) Assert.True((fast[k] - reference[k]).Magnitude <= 1e-12 * scale, $"bin {k} of {n}");
    }

    [Theory]
    [InlineData(64)]
    [InlineData(75)]
    public void The_analytic_signal_of_a_cosine_is_the_complex_exponential(int n)
    {
        // Whole cycles, so the window is periodic: the analytic signal is exactly exp(iωt), its Hilbert part sin(ωt).
        var w = 2 * Math.PI * 5 / n;
        var x = Enumerable.Range(0, n).Select(i => (float)Math.Cos(w * i)).ToArray();
        var z = AnalyticSignal.Of(x);
        for (var i = 0; i < n; i++)
        {
            Assert.Equal(x[i], z[i].Real, 1e-6);
            Assert.Equal(Math.Sin(w * i), z[i].Imaginary, 1e-6);
        }
    }
}
