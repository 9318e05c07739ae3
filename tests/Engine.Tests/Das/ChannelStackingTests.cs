using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Layouts;
using Seiscat.Engine.Io.Storage;
using Seiscat.Engine.Synthetic;
using Seiscat.Engine.Windows;
using Seiscat.Tests.Shared;

namespace Seiscat.Engine.Tests.Das;

/// <summary>`--stack-channels N`: neighbouring loci averaged N at a time into one unit, read the same through the
/// column-by-column path and the transposing block path, placed at the stack's centre; stacks of loci that are not
/// neighbours are refused.</summary>
[Collection("native-hdf5-engine")]
public class ChannelStackingTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Stacks_are_the_mean_of_their_neighbouring_channels_on_both_read_paths(bool compressed)
    {
        using var dir = TestPaths.NewTempDir();
        SyntheticDas.Generate(dir.Path, new DasSynthOptions { Channels = 42, Rate = 100, Minutes = 1, FileSeconds = 30, Compressed = compressed, Seed = 9 });
        var single = ArchiveScanner.Open([dir.Path]);
        var stacked = ArchiveScanner.Open([dir.Path], new LayoutOptions { StackChannels = 4 });
        Assert.Equal(10, stacked.Units.Count); // 42 loci: ten stacks of four, two left over
        Assert.Equal(Enumerable.Range(0, 10).Select(g => DasMatrix.ChannelId(4 * g)), stacked.Units.Select(s => s.UnitId).Order(StringComparer.Ordinal));
        var p0 = stacked.Units.Single(s => s.UnitId == "DAS.00008").Pieces[0][0];
        Assert.Equal(4, p0.Stack);
        Assert.Equal((8 + 1.5) * 4, p0.Fibre!.DistanceM);

        using var storage = new ArchiveStorage();
        var reader = new SampleReader(storage);
        foreach (var st in stacked.Units)
        {
            var piece = st.Pieces[0][0];
            var mean = new double[piece.Samples];
            var column = new float[piece.Samples];
            for (var k = 0; k < 4; k++)
            {
                var one = single.AllPieces.Single(p => p.File == piece.File && p.Row == piece.Row + k);
                reader.Read(one, 0, column);
                for (var i = 0; i < column.Length; i++) mean[i] += column[i];
            }
            var x = new float[piece.Samples];
            reader.Read(piece, 0, x);
            Assert.Equal(mean.Select(v => (float)(v / 4)), x);
        }

        // The block path (all stacks at one start) equals the per-stack cut.
        var plan = new WindowPlan(stacked.Units, 500, 2_000_000_000L, GapPolicy.Skip, WindowOrder.TimeMajor);
        var together = new WindowCutter(plan, storage);
        var alone = new WindowCutter(plan, storage);
        var stations = new int[10];
        var block = new float[10 * 500];
        var missing = new int[10];
        var one500 = new float[500];
        for (long w = 0; w < plan.Count; w += 10)
        {
            var (_, start) = plan.Locate(w);
            for (var k = 0; k < 10; k++) stations[k] = plan.Locate(w + k).Station;
            together.CutMany(stations, start, block, 500, missing);
            for (var k = 0; k < 10; k++)
            {
                alone.Cut(stations[k], 0, start, one500);
                Assert.Equal(one500, block.AsSpan(k * 500, 500).ToArray());
            }
        }
    }

    [Fact]
    public void Stacking_loci_that_are_not_neighbours_or_more_than_are_kept_is_refused_in_one_line()
    {
        using var dir = TestPaths.NewTempDir();
        SyntheticDas.Generate(dir.Path, new DasSynthOptions { Channels = 20, Rate = 50, Minutes = 0.5, Seed = 9 });
        var e = Assert.Throws<SeiscatException>(() => ArchiveScanner.Open([dir.Path], new LayoutOptions { StackChannels = 2, Channels = ["0:20:2"] }));
        Assert.Contains("neighbour", e.Message);
        e = Assert.Throws<SeiscatException>(() => ArchiveScanner.Open([dir.Path], new LayoutOptions { StackChannels = 30 }));
        Assert.Contains("only 20 channels are kept", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
