using Seiscat.Engine.Pipeline;
using Seiscat.Engine.Scattering;
using Seiscat.Native.Fftw;
using Seiscat.Tests.Shared;

namespace Seiscat.Engine.Tests.Pipeline;

/// <summary>
/// Features of a real 100 Hz record brought to the configuration's rate inside seiscat (per window) against features of
/// the same record resampled by scipy.signal.resample_poly over its whole length (tests/fixtures/resample/README).
/// The only differences are the window edges (seiscat resamples each window, zero-padded as resample_poly pads the
/// record): measured median 1e-7–2e-6, 99th percentile ≤ 1.9e-3, largest 1.5e-2 relative.
/// </summary>
[Collection("native-hdf5-engine")]
public class ResampledFeaturesTests
{
    [Theory]
    [InlineData(50, "lab_50Hz_scipy.h5")] // integer decimation by 2
    [InlineData(40, "lab_40Hz_scipy.h5")] // up 2, down 5
    public void Features_resampled_per_window_match_features_of_scipy_resampled_samples(int rate, string scipyFile)
    {
        using var dir = TestPaths.NewTempDir();
        var config = dir.File("cfg.json");
        File.WriteAllText(config, ScatteringConfig.Default(rate, 20).ToJson());
        float[] Features(string input, string name) => FeaturesRuns.Rows(new FeaturesRequest
        {
            Paths = [TestPaths.Fixture("resample/" + input)],
            ConfigPath = config,
            StepSeconds = 5,
            Threads = 1,
            Effort = FftwEffort.Estimate
        }, dir.File(name));
        var mine = Features("lab_100Hz.h5", "mine.h5");
        var scipy = Features(scipyFile, "scipy.h5");
        Assert.Equal(scipy.Length, mine.Length);
        var rel = mine.Zip(scipy, (a, b) => b == 0 ? (a == 0 ? 0 : double.PositiveInfinity) : Math.Abs(a - b) / Math.Abs((double)b)).Order().ToArray();
        var computed = rel.Length - scipy.Count(v => v == 0); // pruned paths are 0 in both
        Assert.True(computed > rel.Length / 2);
        double Quantile(double q) => rel[(int)Math.Min(rel.Length - 1, q * rel.Length)];
        Assert.True(Quantile(0.5) <= 1e-5, $"median relative error {Quantile(0.5):E2}");
        Assert.True(Quantile(0.99) <= 5e-3, $"99th percentile {Quantile(0.99):E2}");
        Assert.True(rel[^1] <= 3e-2, $"largest relative error {rel[^1]:E2}");
    }
}
