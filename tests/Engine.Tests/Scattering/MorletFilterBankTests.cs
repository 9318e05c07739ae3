using Seiscat.Engine.Scattering;

namespace Seiscat.Engine.Tests.Scattering;

[Collection("native-hdf5-engine")]
public class MorletFilterBankTests
{
    public static TheoryData<string> Fixtures() => new(ScatseisnetFixture.Names);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Banks_equal_scatseisnet_in_double_precision(string name)
    {
        var fx = ScatseisnetFixture.Load(name);
        for (var l = 0; l < fx.Config.Layers.Count; l++)
        {
            var bank = new MorletFilterBank(fx.Config.Layers[l], fx.Config.Bins, fx.Config.SamplingRate);
            var g = $"bank/layer{l + 1}";
            var centers = fx.File.OpenDataset($"{g}/centers_hz").ReadAll<double>();
            var widths = fx.File.OpenDataset($"{g}/widths_s").ReadAll<double>();
            var times = fx.File.OpenDataset($"{g}/times_s").ReadAll<double>();
            for (var j = 0; j < bank.Count; j++)
            {
                Assert.Equal(centers[j], bank.CentersHz[j], 1e-12);
                Assert.Equal(widths[j], bank.WidthsS[j], 1e-12);
            }
            Assert.True(times.Zip(bank.Times).Max(p => Math.Abs(p.First - p.Second)) < 1e-12);
            var re = fx.File.OpenDataset($"{g}/filters_freq_re").ReadAll<double>();
            var im = fx.File.OpenDataset($"{g}/filters_freq_im").ReadAll<double>();
            var n = fx.Config.Bins;
            double maxErr = 0, maxRef = 0;
            for (var j = 0; j < bank.Count; j++)
            {
                var f = bank.FrequencyResponse(j);
                for (var k = 0; k < n; k++)
                {
                    maxErr = Math.Max(maxErr, Math.Abs(f[k].Real - re[j * n + k]) + Math.Abs(f[k].Imaginary - im[j * n + k]));
                    maxRef = Math.Max(maxRef, Math.Abs(re[j * n + k]) + Math.Abs(im[j * n + k]));
                }
            }
            // README §5.1: an independent double implementation reaches ≤ 5.6e-16 normwise.
            Assert.True(maxErr / maxRef < 1e-12, $"{name} layer {l + 1}: filters_freq normwise error {maxErr / maxRef:E2}");
        }
    }

    [Fact]
    public void Centre_frequencies_fall_by_one_octave_every_resolution_filters_and_bands_do_not_leave_gaps()
    {
        var bank = new MorletFilterBank(new LayerConfig(6, 4, 2), 2000, 50);
        for (var j = 4; j < bank.Count; j++) Assert.Equal(bank.CentersHz[j - 4] / 2, bank.CentersHz[j], 1e-9);
        Assert.Equal(25 * Math.Pow(2, -0.25), bank.CentersHz[0], 1e-12);
        // Littlewood–Paley-like coverage: between the first and last centre, the summed |Ψ|² never drops near zero.
        var n = 2000;
        var df = 50.0 / n;
        var sum = new double[n / 2];
        for (var j = 0; j < bank.Count; j++)
        {
            // Unnormalised Gabor spectra peak in proportion to their width (∝ 1/f): compare shapes, not heights.
            var f = bank.FrequencyResponse(j);
            var top = f.Max(z => z.Magnitude);
            for (var k = 0; k < n / 2; k++) sum[k] += f[k].Magnitude * f[k].Magnitude / (top * top);
        }
        var lo = (int)(bank.CentersHz[^1] / df) + 1;
        var hi = (int)(bank.CentersHz[0] / df);
        var peak = 1.0;
        for (var k = lo; k <= hi; k++) Assert.True(sum[k] > 0.5 * peak, $"coverage hole at {k * df:0.###} Hz");
        Assert.All(bank.BandwidthsHz, b => Assert.True(b > 0));
    }

    [Theory]
    [InlineData("{\"sampling_rate\": 50, \"bins\": 2000, \"layers\": [{\"octaves\": 6, \"resolution\": 4, \"quality\": 0}]}", "quality")]
    [InlineData("{\"sampling_rate\": 50, \"bins\": 200, \"layers\": [{\"octaves\": 9, \"resolution\": 4, \"quality\": 2}]}", "octaves")]
    [InlineData("{\"sampling_rate\": 50, \"bins\": 2000, \"layers\": [{\"octaves\": 6, \"resolution\": 4, \"quality\": 2}], \"pooling\": \"mode\"}", "pooling")]
    [InlineData("{\"sampling_rate\": 50, \"layers\": [{\"octaves\": 6, \"resolution\": 4, \"quality\": 2}]}", "bins")]
    [InlineData("{\"sampling_rate\": -1, \"bins\": 2000, \"layers\": [{\"octaves\": 6, \"resolution\": 4, \"quality\": 2}]}", "sampling_rate")]
    [InlineData("not json", "JSON")]
    public void Invalid_configurations_name_the_key(string json, string key)
    {
        var e = Assert.Throws<SeiscatException>(() => ScatteringConfig.Parse(json));
        Assert.Contains(key, e.Message);
    }

    [Fact]
    public void Unknown_keys_are_warnings_and_segment_samples_means_bins()
    {
        var warnings = new List<string>();
        var c = ScatteringConfig.Parse("{\"sampling_rate\": 50, \"segment_samples\": 1000, \"layers\": [{\"octaves\": 4, \"resolution\": 4, " +
            "\"quality\": 1}], \"colour\": 3}", warnings);
        Assert.Equal(1000, c.Bins);
        Assert.Equal(Pooling.Mean, c.Pooling);
        Assert.Contains(warnings, w => w.Contains("colour"));
        Assert.Equal(c.ToJson(), ScatteringConfig.Parse(c.ToJson()).ToJson());
    }
}
