using Seiscat.Engine.Io.Writers;
using Seiscat.Engine.Templates;
using Seiscat.Tests.Shared;

namespace Seiscat.Engine.Tests.Templates;

[Collection("native-hdf5-engine")]
public class CandidatesFileTests
{
    [Fact]
    public void Stored_candidates_come_back_when_current_and_trimmed_to_what_is_asked()
    {
        using var dir = TestPaths.NewTempDir();
        var tap = new NearestWindows(clusters: 2, stations: 2, keep: 3);
        var block = new PredictionBlock(16, 2) { First = 0, Count = 12 };
        for (var i = 0; i < 12; i++)
            (block.Cluster[i], block.Station[i], block.Distance[i], block.StartNs[i]) = (i % 2, i / 6, 12 - i, 1000L * i);
        tap.Add(block, []);
        var path = dir.File(CandidatesFile.Name);
        CandidatesFile.Save(path, tap, "key-1");

        var same = CandidatesFile.TryLoad(path, "key-1", 2, 2, 3);
        Assert.NotNull(same);
        Assert.Equal(tap.Counts, same.Counts);
        for (var c = 0; c < 2; c++)
            for (var s = 0; s < 2; s++) Assert.Equal(tap.Of(c, s), same.Of(c, s));
        // Fewer asked: the nearest of those kept, as a tap keeping fewer would have kept.
        var fewer = CandidatesFile.TryLoad(path, "key-1", 2, 2, 2)!;
        Assert.Equal(tap.Of(1, 0).Take(2), fewer.Of(1, 0));
        // Not current (other model or features), more asked than kept, another shape: not used.
        Assert.Null(CandidatesFile.TryLoad(path, "key-2", 2, 2, 3));
        Assert.Null(CandidatesFile.TryLoad(path, "key-1", 2, 2, 4));
        Assert.Null(CandidatesFile.TryLoad(path, "key-1", 3, 2, 3));
        Assert.Null(CandidatesFile.TryLoad(dir.File("absent.h5"), "key-1", 2, 2, 3));
    }
}
