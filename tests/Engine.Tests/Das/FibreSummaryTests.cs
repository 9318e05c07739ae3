using Seiscat.Engine.Io;
using Seiscat.Engine.Pipeline;
using Seiscat.Engine.Tests.Io;
using Seiscat.Tests.Shared;

namespace Seiscat.Engine.Tests.Das;

/// <summary>`inspect` on a DAS acquisition: one fibre summary (channels, loci, spacing, gauge, rate, span, storage) with
/// the acquisition's gaps listed once and the number of channels that have each, instead of one block per locus.</summary>
[Collection("native-hdf5-engine")]
public class FibreSummaryTests
{
    [Fact]
    public void Three_parts_with_a_gap_summarise_as_one_fibre_with_one_gap_on_every_channel()
    {
        using var dir = TestPaths.NewTempDir();
        const long t0 = 1_700_000_000_000_000; // µs
        DasJoiningTests.WriteProdml(dir.File("p1.h5"), t0, 1000, 6, -2, 100, (t, k) => (short)t);
        DasJoiningTests.WriteProdml(dir.File("p2.h5"), t0 + 10_000_000, 1000, 6, -2, 100, (t, k) => (short)t);
        DasJoiningTests.WriteProdml(dir.File("p3.h5"), t0 + 25_000_000, 500, 6, -2, 100, (t, k) => (short)t);
        var summary = InspectJob.Run(ArchiveScanner.Open([dir.Path]), 2, 1);
        var fibre = summary.Fibre!;
        Assert.Equal(6, fibre.Channels);
        Assert.Equal((-2L, 3L, 1L), (fibre.FirstLocus, fibre.LastLocus, fibre.LocusStep));
        Assert.Null(fibre.SpacingM); // these parts carry no SpatialSamplingInterval
        Assert.Equal([100.0], fibre.RatesHz);
        Assert.Equal("time × channel", fibre.Order);
        var gap = Assert.Single(fibre.Gaps);
        Assert.Equal(5, gap.Seconds, 1e-9);
        Assert.Equal(6, gap.Channels);
        Assert.Empty(fibre.Overlaps);
        // A seismic archive has no fibre summary.
        Assert.Null(InspectJob.Run(ArchiveScanner.Open([TestPaths.Data("continuous/TA.C26K_2018-08-12_24h_40Hz_BHZ.h5")]), 40, 20).Fibre);
    }

    [Fact]
    public void A_prodml_matrix_stored_locus_by_time_is_read_in_the_order_its_dimensions_attribute_names()
    {
        using var dir = TestPaths.NewTempDir();
        // 50 × 50: the loci count cannot tell the axes apart, the Dimensions attribute ("locus, time") does.
        DasJoiningTests.WriteProdml(dir.File("square.h5"), 1_700_000_000_000_000, 50, 50, 0, 100, (t, k) => (short)(t + 100 * k), locusMajor: true);
        var archive = ArchiveScanner.Open([dir.Path]);
        var p = archive.AllPieces.Single(x => x.ChannelId == "DAS.00003");
        Assert.False(p.SamplesAlongFirstAxis);
        using var storage = new Seiscat.Engine.Io.Storage.ArchiveStorage();
        var x = new float[50];
        new Seiscat.Engine.Io.SampleReader(storage).Read(p, 0, x);
        Assert.Equal(Enumerable.Range(0, 50).Select(t => (float)(t + 300)), x);
    }
}
