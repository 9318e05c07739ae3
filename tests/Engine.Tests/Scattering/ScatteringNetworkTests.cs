using Seiscat.Engine.Scattering;

namespace Seiscat.Engine.Tests.Scattering;

/// <summary>
/// Against scatseisnet 0.4.1 (README §5.1 gate for float32 FFTs with the bank built in double): every
/// (window, channel) slice of every layer within 1e-5 of that slice's maximum.
/// </summary>
[Collection("native-hdf5-engine")]
public class ScatteringNetworkTests(ITestOutputHelper output)
{
    public static TheoryData<string> Fixtures() => new(ScatseisnetFixture.Names);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Coefficients_match_scatseisnet_per_slice(string name)
    {
        var fx = ScatseisnetFixture.Load(name);
        var plan = new ScatteringPlan(fx.Config);
        using var net = new ScatteringNetwork(plan);
        var c = fx.Channels;
        var n = fx.Bins;
        var result = new float[plan.OutputLength(c)];
        var worst = new double[fx.Layers.Length];
        for (var w = 0; w < fx.Windows; w++)
        {
            net.Transform(fx.Segments.AsSpan(w * c * n, c * n), c, result);
            var offset = 0;
            for (var l = 0; l < fx.Layers.Length; l++)
            {
                var perWindow = fx.Layers[l].Length / fx.Windows;
                var perSlice = perWindow / c;
                for (var ch = 0; ch < c; ch++)
                {
                    double maxErr = 0, maxRef = 0;
                    for (var i = 0; i < perSlice; i++)
                    {
                        var r = fx.Layers[l][w * perWindow + ch * perSlice + i];
                        maxErr = Math.Max(maxErr, Math.Abs(result[offset + ch * perSlice + i] - r));
                        maxRef = Math.Max(maxRef, Math.Abs(r));
                    }
                    worst[l] = Math.Max(worst[l], maxErr / maxRef);
                }
                offset += perWindow;
            }
        }
        var line = $"{name}: worst slice error per layer {string.Join(", ", worst.Select(e => e.ToString("E2")))}";
        output.WriteLine(line);
        Seiscat.Tests.Shared.TestPaths.Record("scattering-accuracy", line);
        for (var l = 0; l < worst.Length; l++)
            Assert.True(worst[l] <= 1e-5, $"{name} layer {l + 1}: worst slice error {worst[l]:E2} > 1e-5");
    }

    [Fact]
    public void A_window_allocates_nothing_in_steady_state()
    {
        var fx = ScatseisnetFixture.Load("tutorial");
        var plan = new ScatteringPlan(fx.Config with { Pooling = Pooling.Median });
        using var net = new ScatteringNetwork(plan);
        var result = new float[plan.OutputLength(3)];
        var window = fx.Segments.AsSpan(0, 3 * fx.Bins).ToArray();
        net.Transform(window, 3, result);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 5; i++) net.Transform(window, 3, result);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Results_do_not_depend_on_the_workspace_or_thread()
    {
        var fx = ScatseisnetFixture.Load("jgr_max");
        var plan = new ScatteringPlan(fx.Config);
        var c = fx.Channels;
        var n = fx.Bins;
        float[] Run(int w)
        {
            using var net = new ScatteringNetwork(plan);
            var r = new float[plan.OutputLength(c)];
            net.Transform(fx.Segments.AsSpan(w * c * n, c * n), c, r);
            return r;
        }
        var serial = Enumerable.Range(0, 8).Select(Run).ToArray();
        var parallel = new float[8][];
        Parallel.For(0, 8, w => parallel[w] = Run(w));
        for (var w = 0; w < 8; w++) Assert.Equal(serial[w], parallel[w]);
    }
}
