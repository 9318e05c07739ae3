using Seiscat.Native.Fftw;

namespace Seiscat.Native.Tests.Fftw;

public class FftwPlanTests
{
    [Theory]
    [InlineData(8)]
    [InlineData(2000)]
    [InlineData(1001)]
    public void Forward_then_backward_returns_n_times_the_input(int n)
    {
        using var x = new FftwBuffer(2 * n);
        using var y = new FftwBuffer(2 * n);
        using var z = new FftwBuffer(2 * n);
        var r = new Random(n);
        for (var i = 0; i < 2 * n; i++) x.Span[i] = (float)(r.NextDouble() - 0.5);
        FftwPlan.Get(FftKind.ComplexForward, n).Execute(x, y);
        FftwPlan.Get(FftKind.ComplexBackward, n).Execute(y, z);
        for (var i = 0; i < 2 * n; i++) Assert.Equal(x.Span[i] * n, z.Span[i], 1e-3 * n);
    }

    [Fact]
    public void Real_to_complex_and_back_round_trip_and_match_a_direct_dft()
    {
        const int n = 250;
        using var x = new FftwBuffer(n);
        using var h = new FftwBuffer(2 * (n / 2 + 1));
        using var back = new FftwBuffer(n);
        for (var i = 0; i < n; i++) x.Span[i] = MathF.Sin(i * 0.3f) + 0.25f * i / n;
        FftwPlan.Get(FftKind.RealToComplex, n).Execute(x, h);
        for (var k = 0; k < 5; k++)
        {
            double re = 0, im = 0;
            for (var i = 0; i < n; i++) { re += x.Span[i] * Math.Cos(-2 * Math.PI * k * i / n); im += x.Span[i] * Math.Sin(-2 * Math.PI * k * i / n); }
            Assert.Equal(re, h.Span[2 * k], 1e-3);
            Assert.Equal(im, h.Span[2 * k + 1], 1e-3);
        }
        FftwPlan.Get(FftKind.ComplexToReal, n).Execute(h, back);
        for (var i = 0; i < n; i++) Assert.Equal(x.Span[i] * n, back.Span[i], 1e-2);
    }

    [Fact]
    public void Plans_are_cached_and_safe_to_request_from_many_threads()
    {
        var plans = new FftwPlan[16];
        Parallel.For(0, 16, i => plans[i] = FftwPlan.Get(FftKind.ComplexForward, 1536, 3));
        Assert.All(plans, p => Assert.Same(plans[0], p));
        Assert.Equal(2 * (1536 * 2 + 1536), plans[0].InputFloats);
    }

    [Fact]
    public void Misaligned_offsets_and_small_buffers_are_refused()
    {
        using var a = new FftwBuffer(64);
        using var b = new FftwBuffer(64);
        var plan = FftwPlan.Get(FftKind.ComplexForward, 16);
        Assert.Throws<ArgumentException>(() => plan.Execute(a, 8, b, 0));
        using var small = new FftwBuffer(4);
        Assert.Throws<ArgumentException>(() => plan.Execute(small, b));
    }

    [Fact]
    public void Wisdom_round_trips_through_a_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"seiscat-wisdom-{Environment.ProcessId}");
        try
        {
            FftwPlan.Get(FftKind.ComplexForward, 64, 1, FftwEffort.Measure);
            Assert.True(FftwPlan.ExportWisdom(path));
            Assert.True(new FileInfo(path).Length > 0);
            Assert.True(FftwPlan.ImportWisdom(path));
            Assert.False(FftwPlan.ImportWisdom(path + ".missing"));
        }
        finally { File.Delete(path); }
    }
}
