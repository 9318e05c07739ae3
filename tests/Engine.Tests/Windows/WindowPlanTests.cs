using Seiscat.Engine.Io;
using Seiscat.Engine.Windows;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Tests.Windows;

public class WindowPlanTests
{
    private const long S = 1_000_000_000;
    private static readonly long T0 = 1_343_174_400L * S; // 2012-07-25T00:00:00Z

    private static UnitRecord Station(string id, params ChannelPiece[][] components)
        => new(id, components.Select((_, i) => $"{id}..BH{"ENZ"[i % 3]}").ToArray(), components);

    // Timing is all the plan reads of a piece.
    private static ChannelPiece Piece(long startNs, double rate, long samples)
        => new("", "", "", startNs, rate, samples, default, new StorageInfo(H5Layout.Contiguous, null, [], 0));

    [Fact]
    public void One_hour_at_50_Hz_gives_the_179_windows_of_the_reference_features()
    {
        var p = Piece(T0, 50, 180_001);
        var plan = new WindowPlan([Station("YH.DC06", [p], [p], [p])], 2000, 20 * S, GapPolicy.Skip);
        Assert.Equal(179, plan.Count);
        Assert.Equal((0, T0), plan.Locate(0));
        Assert.Equal((0, T0 + 178 * 20 * S), plan.Locate(178));
        var spans = new PieceSpan[4];
        Assert.Equal(2000, plan.Resolve(0, 2, T0 + 20 * S, spans, out var n));
        Assert.Equal(1, n);
        Assert.Equal(new PieceSpan(p, 1000, 0, 2000), spans[0]);
    }

    [Fact]
    public void Windows_touching_a_gap_are_skipped_and_components_use_their_common_span()
    {
        // Z has a 60 s gap at 10 min; E starts 5 s late (common span starts there).
        var e = Piece(T0 + 5 * S, 50, 50 * 1200);
        var n = Piece(T0, 50, 50 * 1200);
        ChannelPiece[] z = [Piece(T0, 50, 50 * 600), Piece(T0 + 660 * S, 50, 50 * 540)];
        var plan = new WindowPlan([Station("XX.A", [e], [n], z)], 2000, 20 * S, GapPolicy.Skip);
        var starts = Enumerable.Range(0, (int)plan.Count).Select(i => plan.Locate(i).StartNs - T0).ToList();
        Assert.Equal(20 * S, starts[0]);                              // first grid point after +5 s
        Assert.DoesNotContain(starts, t => t + 40 * S > 600 * S && t < 660 * S); // nothing overlaps the gap
        Assert.Contains(660 * S, starts);
        Assert.Equal(1160 * S, starts[^1]);                           // last full window before the end
        Assert.True(starts.SequenceEqual(starts.Order()));
    }

    [Fact]
    public void Zero_fill_covers_gaps_and_reports_what_is_missing()
    {
        ChannelPiece[] z = [Piece(T0, 50, 50 * 600), Piece(T0 + 630 * S, 50, 50 * 570)];
        var plan = new WindowPlan([Station("XX.A", z)], 2000, 20 * S, GapPolicy.ZeroFill);
        Assert.Equal(61, plan.Count); // starts −20 s … 1180 s: every window at least half covered
        Assert.Equal(T0 - 20 * S, plan.Locate(0).StartNs);
        var spans = new PieceSpan[4];
        var covered = plan.Resolve(0, 0, T0 + 600 * S, spans, out var n); // 600..640 s: 30 s missing, 10 s present
        Assert.Equal(500, covered);
        Assert.Equal(1, n);
        Assert.Equal(new PieceSpan(z[1], 0, 1500, 500), spans[0]);
        covered = plan.Resolve(0, 0, T0 + 580 * S, spans, out n); // 580..620: 20 s from piece 0, 20 s missing
        Assert.Equal(1000, covered);
        Assert.Equal(new PieceSpan(z[0], 29_000, 0, 1000), spans[0]);
    }

    [Fact]
    public void Zero_fill_reaches_half_a_window_into_long_gaps_only()
    {
        ChannelPiece[] z = [Piece(T0, 50, 50 * 600), Piece(T0 + 900 * S, 50, 50 * 600)]; // 300 s gap
        var plan = new WindowPlan([Station("XX.A", z)], 2000, 20 * S, GapPolicy.ZeroFill);
        var starts = Enumerable.Range(0, (int)plan.Count).Select(i => (plan.Locate(i).StartNs - T0) / S).ToList();
        Assert.Contains(580L, starts);      // 20 s of data, 20 s of gap: kept
        Assert.DoesNotContain(600L, starts); // all gap: not a window
        Assert.DoesNotContain(860L, starts); // 0 of 40 s covered... 880 is half covered
        Assert.Contains(880L, starts);
    }

    [Fact]
    public void Sub_sample_start_offsets_are_aligned_to_the_nearest_sample()
    {
        // BK.HELL: starts at 10:15:00.019539 (E) and .019538 (N, Z), 40 Hz.
        var t = T0 + 19_539_000;
        var plan = new WindowPlan([Station("BK.HELL", [Piece(t, 40, 48_000)], [Piece(t - 1000, 40, 48_000)], [Piece(t - 1000, 40, 48_000)])], 1600,
            20 * S, GapPolicy.Skip);
        var spans = new PieceSpan[2];
        var start = plan.Locate(0).StartNs;
        Assert.Equal(T0 + 20 * S, start);
        plan.Resolve(0, 0, start, spans, out _);
        var e = spans[0].PieceOffset;
        plan.Resolve(0, 2, start, spans, out _);
        Assert.Equal(e, spans[0].PieceOffset);
        Assert.Equal(799, e); // 20 s − 19.539 ms = 19.98 s → sample 799.2 → 799
    }

    [Fact]
    public void Stations_follow_each_other_in_index_order()
    {
        var a = Piece(T0, 50, 50 * 100);
        var plan = new WindowPlan([Station("A", [a]), Station("B", [Piece(T0, 50, 10)]), Station("C", [a])], 2000, 20 * S, GapPolicy.Skip);
        Assert.Equal(8, plan.Count); // 4 + 0 + 4
        Assert.Equal(0, plan.Locate(3).Station);
        Assert.Equal(2, plan.Locate(4).Station);
        Assert.Equal((4L, 4L), plan.RangeOf(2));
    }

    [Fact]
    public void Components_at_different_rates_or_impossible_parameters_are_refused()
    {
        Assert.Throws<SeiscatException>(() => new WindowPlan([Station("A", [Piece(T0, 50, 100)], [Piece(T0, 40, 100)])], 10, S, GapPolicy.Skip));
        Assert.Throws<SeiscatException>(() => new WindowPlan([Station("A", [Piece(T0, 0, 100)])], 10, S, GapPolicy.Skip));
        Assert.Throws<SeiscatException>(() => new WindowPlan([Station("A", [Piece(T0, 50, 100)])], 0, S, GapPolicy.Skip));
    }
}
