using Seiscat.Engine.Scattering.Paper;

namespace Seiscat.Engine.Tests.Scattering;

/// <summary>The single-precision FFTW forward pass (features) against the double reference (learning): same features to float accuracy.</summary>
public class PaperFloatWorkerTests(ITestOutputHelper output)
{
    [Fact]
    public void Float_features_equal_the_double_reference()
    {
        foreach (var config in new[] { PaperGradientTests.Perturbed(PaperGradientTests.Small, 31), PaperConfig.Published(50) })
        {
            var net = new PaperNetwork(config);
            var x = PaperGradientTests.Windows(3, 2, config.Bins, 32);
            var reference = new double[net.OutputLength(2)];
            var single = new float[net.OutputLength(2)];
            using var fast = new PaperFloatPlan(net).NewWorker();
            var slow = net.NewWorker();
            double worst = 0;
            for (var w = 0; w < 3; w++)
            {
                var window = x.AsSpan(w * 2 * config.Bins, 2 * config.Bins);
                slow.Forward(window, 2, reference);
                fast.Transform(window.ToArray().Select(v => (float)v).ToArray(), 2, single);
                // Features are logs: an absolute difference is a relative one of the coefficients.
                worst = Math.Max(worst, reference.Zip(single, (a, b) => Math.Abs(a - b)).Max());
            }
            output.WriteLine($"bins {config.Bins}: max |log difference| {worst:E2}");
            Assert.True(worst < 1e-3, $"{worst}");
        }
    }
}
