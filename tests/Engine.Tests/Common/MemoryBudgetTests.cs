using Seiscat.Engine.Common;
using Seiscat.Engine.Io;
using Seiscat.Engine.Mixture;
using Seiscat.Native.Hdf5;
using Seiscat.Tests.Shared;

namespace Seiscat.Engine.Tests.Common;

[Collection("native-hdf5-engine")]
public class MemoryBudgetTests
{
    [Theory]
    [InlineData("1G", 1L << 30)]
    [InlineData("512M", 512L << 20)]
    [InlineData("1.5GiB", 3L << 29)]
    [InlineData("64g", 64L << 30)]
    [InlineData("300000000", 300_000_000L)]
    public void Sizes_parse_in_binary_units(string text, long bytes) => Assert.Equal(bytes, MemoryBudget.Parse(text).Bytes);

    // A front end's name for each setting; messages must point at the setting, whatever it is called.
    private static string Flag(Setting s) => $"<{s}>";

    [Theory]
    [InlineData("lots")]
    [InlineData("-1G")]
    [InlineData("100M")] // below what the runtime itself needs
    public void Impossible_sizes_are_refused_with_advice(string text)
    {
        var e = Assert.Throws<SeiscatException>(() => MemoryBudget.Parse(text));
        Assert.Contains("<Memory>", e.Render(Flag));
        Assert.Contains("the memory budget", e.Message); // plain words for a library caller
    }

    [Fact]
    public void Fit_caps_the_default_sample_to_the_budget_and_refuses_an_explicit_one_that_cannot_fit()
    {
        using var dir = TestPaths.NewTempDir();
        const int rows = 10_000, d = 500;
        var rng = new Random(1);
        var x = new float[rows * d];
        for (var i = 0; i < x.Length; i++) x[i] = (float)(1 + rng.NextDouble() + i / d % 4);
        using (var f = H5File.Create(dir.File("x.h5"))) f.WriteDataset<float>("x", x, [rows, d]);
        using var source = FeatureSource.Open(dir.File("x.h5") + ":/x");
        var budget = MemoryBudget.Parse("256M");
        var options = new FitOptions { Clusters = 2, Gmm = new GmmOptions { Components = 2 }, Memory = budget };
        var (fits, _, _) = ModelFitting.SampleCapacity(options, rows, d);
        Assert.InRange(fits, 1000, rows - 1);

        ModelFitting.Fit(source, options, out var report);
        Assert.Equal(fits, report.Sampled);
        Assert.Contains("<Sample>", SettingText.Render(report.SampleNote!, Flag));

        var e = Assert.Throws<SeiscatException>(() => ModelFitting.Fit(source, options with { SampleCount = fits + 1 }, out _));
        Assert.Contains($"<Sample> {fits}", e.Render(Flag));
        ModelFitting.Fit(source, options with { Memory = MemoryBudget.Parse("4G") }, out report);
        Assert.Equal(rows, report.Sampled);
        Assert.Null(report.SampleNote);
    }
}
