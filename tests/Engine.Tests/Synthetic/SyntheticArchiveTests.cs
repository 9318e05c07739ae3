using System.Security.Cryptography;
using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Storage;
using Seiscat.Engine.Synthetic;
using Seiscat.Tests.Shared;

namespace Seiscat.Engine.Tests.Synthetic;

[Collection("native-hdf5-engine")]
public class SyntheticArchiveTests
{
    private static readonly SynthOptions Small = new() { Stations = 2, Hours = 1, Rate = 20, Seed = 5 };

    private static string Hash(string dir) => string.Join(";", Directory.GetFiles(dir).Order(StringComparer.Ordinal)
        .Select(f => Path.GetFileName(f) + "=" + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))));

    [Fact]
    public void Same_seed_gives_the_same_bytes_and_another_seed_does_not()
    {
        using var a = TestPaths.NewTempDir();
        using var b = TestPaths.NewTempDir();
        using var c = TestPaths.NewTempDir();
        SyntheticArchive.Generate(a.Path, Small);
        SyntheticArchive.Generate(b.Path, Small);
        SyntheticArchive.Generate(c.Path, Small with { Seed = 6 });
        Assert.Equal(Hash(a.Path), Hash(b.Path));
        Assert.NotEqual(Hash(a.Path), Hash(c.Path));
    }

    [Fact]
    public void Archive_has_every_planted_class_a_gap_and_readable_asdf()
    {
        using var dir = TestPaths.NewTempDir();
        var result = SyntheticArchive.Generate(dir.Path, Small with { Hours = 6 });
        var classes = result.Truth.Select(t => t.Class).Distinct().Order().ToList();
        Assert.Equal(["earthquake", "gap", "glitch", "repeater", "tremor"], classes);
        var lines = File.ReadAllLines(result.TruthCsv);
        Assert.Equal("start,end,class,station", lines[0]);
        Assert.Equal(result.Truth.Count, lines.Length - 1);
        Assert.All(result.Truth, t => Assert.True(t.EndNs > t.StartNs));

        var archive = ArchiveScanner.Open([dir.Path]);
        Assert.Equal("asdf", archive.Layout);
        Assert.Equal(["SC.ST01.00.BH?", "SC.ST02.00.BH?"], archive.Units.Select(s => s.UnitId));
        Assert.All(archive.Units, s => Assert.Equal(3, s.ChannelIds.Count));
        Assert.Equal(3, archive.Discontinuities().Count()); // the gap, on each component of ST01
        // Repeaters are near-identical: the family's windows correlate far above noise.
        using var storage = new ArchiveStorage();
        var reader = new SampleReader(storage);
        var z = archive.Units[1].Pieces[2][0];
        var reps = result.Truth.Where(t => t.Class == "repeater" && t.Station == "SC.ST02.00.BH?").Take(2).ToList();
        float[] Cut(long t)
        {
            var w = new float[(int)(6 * z.Rate)];
            reader.Read(z, (long)Math.Round((t - z.StartNs) * z.Rate / 1e9), w);
            return w;
        }
        // Template matching works on band-passed data: the 0.2 Hz microseism would dominate raw traces.
        var band = new Seiscat.Engine.Signal.SosFilter(Seiscat.Engine.Signal.Butterworth.Design(4, Seiscat.Engine.Signal.FilterKind.Bandpass, z.Rate, 2, 8));
        float[] Filtered(float[] w)
        {
            band.FiltFilt(w, new double[band.ScratchLength(w.Length)]);
            return w;
        }
        var (x, y) = (Filtered(Cut(reps[0].StartNs)), Filtered(Cut(reps[1].StartNs)));
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++) { sxy += x[i] * y[i]; sxx += x[i] * x[i]; syy += y[i] * y[i]; }
        Assert.True(sxy / Math.Sqrt(sxx * syy) > 0.9, $"repeater correlation {sxy / Math.Sqrt(sxx * syy):0.00}");
    }

    [Fact]
    public void Generic_layout_splits_files_at_the_gap_and_reads_back_the_same_samples()
    {
        using var asdf = TestPaths.NewTempDir();
        using var generic = TestPaths.NewTempDir();
        SyntheticArchive.Generate(asdf.Path, Small);
        var g = SyntheticArchive.Generate(generic.Path, Small with { Layout = "generic" });
        Assert.Equal(3, g.Files.Count); // ST01 before and after the gap, ST02
        var a = ArchiveScanner.Open([asdf.Path]);
        var b = ArchiveScanner.Open([generic.Path]);
        Assert.Equal("generic", b.Layout);
        Assert.Equal(a.Units.Select(s => s.UnitId), b.Units.Select(s => s.UnitId));
        using var storage = new ArchiveStorage();
        var reader = new SampleReader(storage);
        var pa = a.AllPieces.ToList();
        var pb = b.AllPieces.ToList();
        Assert.Equal(pa.Select(p => (p.ChannelId, p.StartNs, p.Samples)), pb.Select(p => (p.ChannelId, p.StartNs, p.Samples)));
        for (var i = 0; i < pa.Count; i++)
        {
            var x = new float[pa[i].Samples];
            var y = new float[pb[i].Samples];
            reader.Read(pa[i], 0, x);
            reader.Read(pb[i], 0, y);
            Assert.Equal(x, y);
        }
    }
}
