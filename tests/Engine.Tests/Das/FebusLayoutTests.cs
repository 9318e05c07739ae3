using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Storage;
using Seiscat.Native.Hdf5;
using Seiscat.Tests.Shared;

namespace Seiscat.Engine.Tests.Das;

/// <summary>
/// Febus A1: blocks × rows × channels whose blocks repeat their neighbours' ends. A file written here with 100 %
/// overlap (each 2-s block holds the 1 s it stands for plus half a second either side) reads as one continuous record
/// per channel with no duplicated sample, starting at the first kept row's time; the real PubDAS Valencia file (no
/// overlap) reads as its blocks end to end.
/// </summary>
[Collection("native-hdf5-engine")]
public class FebusLayoutTests
{
    [Fact]
    public void Overlapping_blocks_are_stitched_without_duplicated_samples()
    {
        using var dir = TestPaths.NewTempDir();
        var path = dir.File("febus.h5");
        const int blocks = 6, rows = 200, channels = 5;
        const double t0 = 1_700_000_000; // s
        using (var f = H5File.Create(path))
        {
            using var device = f.CreateGroup("fa1-00000001");
            using var source = device.CreateGroup("Source1");
            foreach (var (name, value) in new[] { ("AmpliPower", 27.0), ("SamplingRate", 100.0) }) source.WriteAttribute<double>(name, [value]);
            source.WriteDataset<double>("time", Enumerable.Range(0, blocks).Select(b => t0 + b + 0.5).ToArray(), [1, blocks]);
            using var zone = source.CreateGroup("Zone1");
            zone.WriteAttribute("Version", "2.1");
            zone.WriteAttribute<double>("Extent", [0, channels - 1, 0, rows - 1, 0, 0]);
            zone.WriteAttribute<double>("Spacing", [2.0, 10.0, 1.0]);           // 2 m, 10 ms
            zone.WriteAttribute<double>("Origin", [0, -1000, 0]);               // block time is its centre: −1 s to its first row
            zone.WriteAttribute<double>("BlockOverlap", [100]);                 // 200 rows hold 100 of their own
            zone.WriteAttribute<double>("GaugeLength", [10]);
            var data = new float[blocks * rows * channels];
            for (var b = 0; b < blocks; b++)
                for (var r = 0; r < rows; r++)
                    for (var c = 0; c < channels; c++)
                        data[(b * rows + r) * channels + c] = b * 100 + r - 50 + 1000 * c; // the continuous sample index, + 1000 per channel
            zone.WriteDataset<float>("StrainRate", data, [blocks, rows, channels]);
        }
        var archive = ArchiveScanner.Open([path]);
        Assert.Equal("febus", archive.Layout);
        Assert.Equal(channels, archive.Units.Count);
        using var storage = new ArchiveStorage();
        var reader = new SampleReader(storage);
        foreach (var p in archive.AllPieces)
        {
            Assert.Equal(100, p.Rate, 1e-9);
            Assert.Equal(blocks * 100, p.Samples);
            // First kept row (row 50 of block 0) is at t0 + 0.5 − 1 + 50 × 10 ms = t0.
            Assert.Equal((long)(t0 * 1e9), p.StartNs);
            Assert.Equal(2.0 * p.Row, p.Fibre!.DistanceM);
            var x = new float[p.Samples];
            reader.Read(p, 0, x);
            Assert.Equal(Enumerable.Range(0, blocks * 100).Select(i => (float)(i + 1000 * p.Row)), x);
            // A read that starts inside a block and crosses two joints.
            var part = new float[250];
            reader.Read(p, 75, part);
            Assert.Equal(x.AsSpan(75, 250).ToArray(), part);
        }
    }

    [Fact]
    public void The_valencia_file_reads_its_blocks_end_to_end()
    {
        var file = TestPaths.Data("das/valencia_febus_example.h5");
        var archive = ArchiveScanner.Open([file]);
        Assert.Equal("febus", archive.Layout);
        Assert.Equal(100, archive.Units.Count);
        using var f = H5File.OpenRead(file);
        using var ds = f.OpenDataset("fa1-20050027/Source1/Zone1/SR_Valencia");
        var all = ds.ReadAll<float>(); // 10 × 250 × 100
        using var storage = new ArchiveStorage();
        var reader = new SampleReader(storage);
        foreach (var p in archive.AllPieces.Where(p => p.Row % 33 == 0))
        {
            Assert.Equal(250, p.Rate, 1e-9);
            Assert.Equal(2500, p.Samples);
            Assert.Equal(16.8, p.Fibre!.SpacingM);
            var x = new float[p.Samples];
            reader.Read(p, 0, x);
            Assert.Equal(Enumerable.Range(0, 2500).Select(i => all[i * 100 + p.Row]), x);
        }
    }

    [Fact]
    public void A_febus_zone_with_a_short_extent_is_refused_in_one_line()
    {
        using var dir = TestPaths.NewTempDir();
        var path = dir.File("short.h5");
        using (var f = H5File.Create(path))
        {
            using var device = f.CreateGroup("fa1-00000002");
            using var source = device.CreateGroup("Source1");
            source.WriteDataset<double>("time", [1_700_000_000.0, 1_700_000_001.0], [2]);
            using var zone = source.CreateGroup("Zone1");
            zone.WriteAttribute<double>("Extent", [0, 3]);
            zone.WriteAttribute<double>("Spacing", [2.0, 10.0]);
            zone.WriteDataset<float>("StrainRate", new float[2 * 10 * 4], [2, 10, 4]);
        }
        var e = Assert.Throws<SeiscatException>(() => ArchiveScanner.Open([path]));
        Assert.Contains("Extent, Spacing or Origin attribute that is too short", e.Message);
        Assert.Contains("short.h5", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
