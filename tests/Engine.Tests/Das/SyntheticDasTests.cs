using System.Security.Cryptography;
using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Storage;
using Seiscat.Engine.Synthetic;
using Seiscat.Tests.Shared;

namespace Seiscat.Engine.Tests.Das;

/// <summary>`synth --das`: PRODML files that the PRODML layout reads, with what truth.csv says is in them.</summary>
[Collection("native-hdf5-engine")]
public class SyntheticDasTests
{
    [Fact]
    public void The_archive_holds_what_its_truth_says_and_the_same_seed_gives_the_same_bytes()
    {
        using var dir = TestPaths.NewTempDir();
        var o = new DasSynthOptions { Channels = 100, Rate = 200, Minutes = 6, FileSeconds = 60, Seed = 5, EventRate = 3 };
        var result = SyntheticDas.Generate(dir.File("a"), o);
        var again = SyntheticDas.Generate(dir.File("b"), o);
        Assert.Equal(result.Files.Select(Hash), again.Files.Select(Hash));
        Assert.Equal(File.ReadAllText(result.TruthCsv), File.ReadAllText(again.TruthCsv));
        Assert.Equal(["dead", "event", "noisy", "vehicle"], result.Truth.Select(t => t.Class).Distinct().Order());

        var archive = ArchiveScanner.Open([dir.File("a")]);
        Assert.Equal("prodml", archive.Layout);
        Assert.Equal(100, archive.Units.Count);
        Assert.Empty(archive.Discontinuities()); // six one-minute files join without gaps
        var p = archive.AllPieces.First(x => x.ChannelId == "DAS.00010");
        Assert.Equal(10 * 4.0, p.Fibre!.DistanceM);
        Assert.Equal(10.0, p.Fibre.GaugeLengthM);

        using var storage = new ArchiveStorage();
        var reader = new SampleReader(storage);
        double Rms(string id)
        {
            var piece = archive.AllPieces.First(x => x.ChannelId == id);
            var x = new float[piece.Samples];
            reader.Read(piece, 0, x);
            return Math.Sqrt(x.Average(v => (double)v * v));
        }
        var dead = result.Truth.Single(t => t.Class == "dead").Station;
        var noisy = result.Truth.First(t => t.Class == "noisy").Station;
        var quiet = Rms("DAS.00095");
        Assert.True(Rms(dead) < 0.1 * quiet, $"dead {Rms(dead)} vs {quiet}");
        Assert.True(Rms(noisy) > 3 * quiet, $"noisy {Rms(noisy)} vs {quiet}");

        // Moveout: the first event reaches the channels in order of distance from its epicentre, so its onsets along the fibre
        // fall to a minimum and rise after it (a hyperbola), and they are not all equal.
        var onsets = result.Truth.Where(t => t.Class == "event").GroupBy(t => ArchiveSelection.DasLocus(t.Station)!.Value)
            .OrderBy(g => g.Key).Select(g => g.Min(t => t.StartNs)).ToList();
        Assert.True(onsets.Count > 90);
        var apex = onsets.IndexOf(onsets.Min());
        Assert.True(onsets.Take(apex + 1).Zip(onsets.Skip(1).Take(apex)).All(x => x.First >= x.Second));
        Assert.True(onsets.Skip(apex).Zip(onsets.Skip(apex + 1)).All(x => x.First <= x.Second));
        Assert.True(onsets.Max() - onsets.Min() > 10_000_000); // > 10 ms across 400 m
        // Vehicles only on the road section (channels 10–49).
        Assert.All(result.Truth.Where(t => t.Class == "vehicle"), t => Assert.InRange(ArchiveSelection.DasLocus(t.Station)!.Value, 10, 49));
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
