using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Storage;
using Seiscat.Engine.Synthetic;
using Seiscat.Engine.Windows;
using Seiscat.Tests.Shared;

namespace Seiscat.Engine.Tests.Windows;

[Collection("native-hdf5-engine")]
public class StretchReaderTests
{
    [Fact]
    public void A_stretch_across_a_gap_has_the_recorded_samples_and_a_mask_exactly_over_the_gap()
    {
        using var dir = TestPaths.NewTempDir();
        SyntheticArchive.Generate(dir.Path, new SynthOptions { Stations = 1, Hours = 2, Rate = 50, Seed = 7 });
        var archive = ArchiveScanner.Open([dir.Path]);
        var station = archive.Units[0];
        var gap = archive.Discontinuities().First(d => d.DurationNs > 0);
        using var storage = new ArchiveStorage();
        var reader = new StretchReader(station, storage);
        Assert.Equal(50, reader.Rate);
        Assert.Equal(3, reader.Components);

        // 10 s before the gap to 10 s after it, every component.
        var startNs = gap.AtNs - 10_000_000_000;
        var n = (int)((gap.DurationNs + 20_000_000_000) / 20_000_000);
        var data = Enumerable.Range(0, 3).Select(_ => new float[n]).ToArray();
        var missing = new bool[n];
        var count = reader.Read(startNs, data, missing);
        var gapSamples = (int)Math.Round(gap.DurationNs / 2e7);
        Assert.Equal(gapSamples, count); // samples missing in any component
        Assert.Equal(gapSamples, missing.Count(m => m));
        Assert.All(Enumerable.Range(0, 500), i => Assert.False(missing[i]));            // 10 s recorded before
        Assert.All(Enumerable.Range(500, gapSamples), i => Assert.True(missing[i]));    // the gap
        Assert.All(Enumerable.Range(500 + gapSamples, n - 500 - gapSamples), i => Assert.False(missing[i]));
        Assert.All(data, c => Assert.All(Enumerable.Range(500, gapSamples), i => Assert.Equal(0f, c[i])));

        // The recorded samples are the pieces' own, cut at the nearest sample.
        var piece = station.Pieces[2].First(p => p.EndNs <= gap.AtNs + 10_000_000);
        var direct = new float[500];
        new SampleReader(storage).Read(piece, (long)Math.Round((startNs - piece.StartNs) * piece.Rate / 1e9), direct);
        Assert.Equal(direct, data[2].AsSpan(0, 500).ToArray());
    }

    [Fact]
    public void Buffers_must_match_the_components_and_the_mask()
    {
        using var dir = TestPaths.NewTempDir();
        SyntheticArchive.Generate(dir.Path, new SynthOptions { Stations = 1, Hours = 0.1, Rate = 50, Seed = 7 });
        var station = ArchiveScanner.Open([dir.Path]).Units[0];
        using var storage = new ArchiveStorage();
        var reader = new StretchReader(station, storage);
        Assert.Throws<ArgumentException>(() => reader.Read(station.Pieces[0][0].StartNs, [new float[10], new float[10]], new bool[10]));
        Assert.Throws<ArgumentException>(() => reader.Read(station.Pieces[0][0].StartNs, [new float[10], new float[10], new float[10]], new bool[9]));
    }
}
