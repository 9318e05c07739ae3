using Seiscat.Engine.Io;
using Seiscat.Engine.Windows;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Tests.Windows;

public class WindowSettlementTests
{
    private static readonly H5TypeInfo Float32 = new(H5TypeClass.Float, 4, H5ByteOrder.LittleEndian, true, false);
    private static readonly StorageInfo Contiguous = new(H5Layout.Contiguous, null, [], 0);

    // One hour from 2024-01-01 per component; a DAS-like unit is one column of a time × channel matrix.
    private static UnitRecord Station(string id, double rate, int components = 3, bool column = false, double? secondRate = null)
    {
        var ids = Enumerable.Range(0, components).Select(c => $"{id}.BH{"ENZ"[c % 3]}").ToList();
        var pieces = ids.Select((ch, c) => (IReadOnlyList<ChannelPiece>)[new ChannelPiece("f.h5", "/d", ch, 1_704_067_200_000_000_000,
            c == 1 && secondRate is { } r2 ? r2 : rate, (long)(3600 * rate), Float32, Contiguous, column ? c : -1, column)]).ToList();
        return new UnitRecord(id, ids, pieces);
    }

    private static Archive Of(params UnitRecord[] stations) => new("test", ["f.h5"], stations);

    private static WindowRequest Request(ClusterUnit unit = ClusterUnit.Auto, double? window = null, int? decimation = null)
        => new(window, null, decimation, unit, GainRemoval.None, GapPolicy.Skip, new PreprocessOptions());

    [Fact]
    public void The_default_rate_is_the_highest_that_half_the_stations_reach()
    {
        Assert.Equal(50, WindowSettlement.CommonRate([Station("A", 100), Station("B", 50), Station("C", 40)]));
        Assert.Equal(50, WindowSettlement.CommonRate([Station("A", 100), Station("B", 50), Station("C", 40), Station("D", 20)])); // 2 of 4 reach 50
        Assert.Equal(100, WindowSettlement.CommonRate([Station("A", 100)]));
    }

    [Fact]
    public void Stations_below_the_rate_are_named_and_left_out_and_the_rest_share_one_plan()
    {
        var warnings = new List<string>();
        var settled = WindowSettlement.Settle(Of(Station("XX.A", 100), Station("XX.B", 50), Station("XX.C", 1)), 50, 2000, Request(), warnings);
        Assert.Equal(["XX.A", "XX.B"], settled.Archive.Units.Select(s => s.UnitId));
        Assert.Contains("XX.C (1 Hz)", Assert.Single(warnings));
        Assert.Equal(3, settled.Channels);
        Assert.Equal(4000, settled.Plan.WindowSamplesOf(0)); // 100 Hz brought to 50: twice the samples in
        Assert.Equal(2000, settled.Plan.WindowSamplesOf(1));
        Assert.Equal(20_000_000_000, settled.Plan.StepNs);    // half a window by default
        Assert.EndsWith("each station brought to 50 Hz (resample_poly)", settled.Described, StringComparison.Ordinal);
        // None can reach it: one line saying why.
        var e = Assert.Throws<SeiscatException>(() => WindowSettlement.Settle(Of(Station("XX.C", 1)), 50, 2000, Request(), []));
        Assert.Contains("no station can be used", e.Message);
    }

    [Fact]
    public void Units_are_stations_unless_component_counts_differ_or_channels_are_asked_for()
    {
        var uniform = WindowSettlement.Settle(Of(Station("A", 50), Station("B", 50)), 50, 2000, Request(), []);
        Assert.Equal(2, uniform.Archive.Units.Count);
        var mixed = WindowSettlement.Settle(Of(Station("A", 50), Station("B", 50, components: 1)), 50, 2000, Request(), []);
        Assert.Equal(4, mixed.Archive.Units.Count);
        Assert.Equal(1, mixed.Channels);
        var channels = WindowSettlement.Settle(Of(Station("A", 50)), 50, 2000, Request(ClusterUnit.Channel), []);
        Assert.Equal(3, channels.Archive.Units.Count);
        // An integer decimation factor is inferred; a window that disagrees with the network is refused.
        Assert.Equal(2, WindowSettlement.Settle(Of(Station("A", 100)), 50, 2000, Request(), []).Preprocess.Decimation);
        Assert.Contains("needs 2000 samples", Assert.Throws<SeiscatException>(() =>
            WindowSettlement.Settle(Of(Station("A", 50)), 50, 2000, Request(window: 30), [])).Message);
    }

    [Fact]
    public void Matrix_columns_are_cut_time_major_and_a_station_has_one_rate()
    {
        var columns = Enumerable.Range(0, 4).Select(i => Station($"DAS.{i:D5}", 500, components: 1, column: true)).ToList();
        Assert.Equal(WindowOrder.TimeMajor, WindowSettlement.OrderFor(columns));
        Assert.Equal(WindowOrder.StationMajor, WindowSettlement.OrderFor([Station("A", 50), Station("B", 50)]));
        Assert.Equal(50, Station("A", 50).Rate);
        var e = Assert.Throws<SeiscatException>(() => Station("A", 50, secondRate: 40).Rate);
        Assert.Contains("components sampled at 50 Hz and 40 Hz", e.Message);
        // Channel units take such a station's components one by one.
        Assert.Equal(3, WindowSettlement.Settle(Of(Station("A", 50, secondRate: 40)), 40, 1600, Request(ClusterUnit.Channel), []).Archive.Units
            .Count);
    }
}
