using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Storage;
using Seiscat.Engine.Pipeline.Report;
using Seiscat.Engine.Scattering;
using Seiscat.Engine.Synthetic;
using Seiscat.Engine.Windows;
using Seiscat.Tests.Shared;

namespace Seiscat.Engine.Tests.Pipeline;

[Collection("native-hdf5-engine")]
public class RepresentativesTests
{
    [Fact]
    public void A_representative_window_reads_back_as_it_was_cut_with_its_scalogram_and_a_missing_one_stays_as_it_is()
    {
        using var dir = TestPaths.NewTempDir();
        SyntheticArchive.Generate(dir.Path, new SynthOptions { Stations = 2, Hours = 1, Rate = 50, Seed = 3 });
        var archive = ArchiveScanner.Open([dir.Path]);
        var station = archive.Units[1];
        const long WindowNs = 40_000_000_000;
        var startNs = station.Pieces[0][0].StartNs + 600_000_000_000;
        RepresentativeWindow[] windows =
        [
            new(0, 12, 0.5, startNs, station.UnitId),
            new(1, -1, double.PositiveInfinity, 0, ""),            // a cluster without windows
            new(2, 7, 0.1, startNs, "XX.GONE..BH?"),               // a station the archive does not hold
        ];
        var config = ScatteringConfig.Default(50, 40).ToJson();
        var loaded = Representatives.Load(windows, archive.Files, WindowNs, config);

        var first = loaded[0];
        Assert.Equal(station.ChannelIds, first.Channels);
        Assert.Equal(50, first.Rate);
        // The samples are the window cut of the features: the same cutter over the same plan.
        var plan = new WindowPlan([station], 2000, WindowNs, GapPolicy.ZeroFill);
        using var storage = new ArchiveStorage();
        var cutter = new WindowCutter(plan, storage);
        for (var c = 0; c < 3; c++)
        {
            var expected = new float[2000];
            cutter.Cut(0, c, startNs, expected);
            Assert.Equal(expected, first.Samples[c]);
        }
        Assert.NotNull(first.Scalogram);
        Assert.Equal(first.Scalogram.CentersHz.Length, first.Scalogram.Values.GetLength(0));
        Assert.True(first.Scalogram.CentersHz.Zip(first.Scalogram.CentersHz.Skip(1)).All(p => p.First > p.Second)); // high to low
        Assert.Null(first.Section); // seismic stations have no record section
        Assert.Same(windows[1], loaded[1]);
        Assert.Same(windows[2], loaded[2]);
        // Without the archive, nothing is read and nothing fails.
        Assert.Equal(windows, Representatives.Load(windows, [dir.File("moved.h5")], WindowNs, config));
    }
}
