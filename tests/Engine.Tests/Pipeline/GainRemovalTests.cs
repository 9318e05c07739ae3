using Seiscat.Engine.Io.Layouts;
using Seiscat.Engine.Pipeline;
using Seiscat.Engine.Windows;
using Seiscat.Native.Fftw;
using Seiscat.Native.Hdf5;
using Seiscat.Tests.Shared;

namespace Seiscat.Engine.Tests.Pipeline;

/// <summary>--gain stationxml on the NoisePy-written ASDF file of tests/data, whose StationXML gives CI.BAK..BHN a
/// sensitivity of 627 467 000 counts per m/s (read with h5py and checked by eye in the XML).</summary>
[Collection("native-hdf5-engine")]
public class GainRemovalTests
{
    private static readonly string Bak = TestPaths.Data("asdf_native/noisepy_CI.BAK_2019-02-01_1h_20Hz_BHN.asdf.h5");

    [Fact]
    public void StationXml_gives_each_channel_epoch_its_sensitivity_and_units()
    {
        using var f = H5File.OpenRead(Bak);
        using var ds = f.OpenDataset("/Waveforms/CI.BAK/StationXML");
        var xml = System.Text.Encoding.UTF8.GetString(System.Runtime.InteropServices.MemoryMarshal.AsBytes(ds.ReadAll<sbyte>().AsSpan()));
        var epochs = StationXml.Sensitivities(xml);
        var bhn = epochs.Where(e => e.ChannelId == "CI.BAK..BHN").ToList();
        Assert.NotEmpty(bhn);
        var at = new DateTimeOffset(2019, 2, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1_000_000;
        Assert.Equal(627467000.0, StationXml.At(epochs, "CI.BAK..BHN", at));
        Assert.Equal("M/S", bhn.Single(e => e.StartNs <= at && at < e.EndNs).InputUnits);
        Assert.Null(StationXml.At(epochs, "CI.BAK..BHN", 0)); // 1970: before every epoch
    }

    [Fact]
    public void Features_with_the_gain_removed_are_the_count_features_divided_by_the_sensitivity()
    {
        using var dir = TestPaths.NewTempDir();
        float[] Features(GainRemoval gain, string name)
            => FeaturesRuns.Rows(new FeaturesRequest { Paths = [Bak], Gain = gain, Threads = 1, Effort = FftwEffort.Estimate }, dir.File(name));
        var counts = Features(GainRemoval.None, "counts.h5");
        var velocity = Features(GainRemoval.StationXml, "velocity.h5");
        // Scattering coefficients are homogeneous in amplitude; only coefficients at float32's rounding floor (≈ 1e-6 of
        // a row's largest) stray from the exact ratio.
        var dev = counts.Zip(velocity).Where(p => p.First != 0).Select(p => Math.Abs(p.First / (double)p.Second / 627467000.0 - 1)).Order().ToArray();
        Assert.True(dev.Length > counts.Length / 2);
        Assert.True(dev[dev.Length / 2] <= 2e-6, $"median {dev[dev.Length / 2]:E2}");
        Assert.True(dev[dev.Length * 9 / 10] <= 2e-3, $"90th percentile {dev[dev.Length * 9 / 10]:E2}");
    }
}
