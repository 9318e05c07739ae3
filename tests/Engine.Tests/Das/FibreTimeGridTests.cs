using Seiscat.Engine.Pipeline.Report;

namespace Seiscat.Engine.Tests.Das;

/// <summary>The channel × time grid of the DAS report: channels binned in fibre order, time bins doubled to stay within
/// the cell budget, and no window lost in either.</summary>
public class FibreTimeGridTests
{
    [Fact]
    public void Channels_bin_in_fibre_order_and_time_bins_coarsen_without_losing_windows()
    {
        // 1000 channels listed out of fibre order (negative loci sort after positive ids), 4 m apart.
        var loci = Enumerable.Range(-200, 1000).ToArray();
        var names = loci.Select(l => l >= 0 ? $"DAS.{l:00000}" : $"DAS.m{-l:00000}").Order(StringComparer.Ordinal).ToArray();
        var distance = names.Select(n => 4.0 * Seiscat.Engine.Io.ArchiveSelection.DasLocus(n)!.Value).ToArray();
        var grid = new FibreTimeGrid(names, distance, clusters: 3, stepNs: 1_000_000_000);
        const int steps = 3000; // 3000 × 200 used bins > the 400 000-cell budget: time bins must double
        for (var t = 0; t < steps; t++)
            for (var s = 0; s < names.Length; s += 5) grid.Add(s, t * 1_000_000_000L, (t + s) % 3);
        var r = grid.Result()!;
        Assert.True(r.InMetres);
        Assert.Equal(FibreTimeGrid.MaxChannelBins, r.BinPositions.Length);
        Assert.True(r.BinPositions.Zip(r.BinPositions.Skip(1)).All(p => p.First < p.Second)); // fibre order
        Assert.Equal(-800, r.BinPositions[0], 1e-9 * 800 + 8);
        Assert.True(r.BinNs >= 2_000_000_000L);
        Assert.True(r.Cells.Count <= 400_000);
        Assert.Equal((long)steps * (names.Length / 5), r.Cells.Values.Sum(c => (long)c.Sum()));
    }
}
