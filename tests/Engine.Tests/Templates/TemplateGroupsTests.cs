using Seiscat.Engine.Io.Writers;
using Seiscat.Engine.Templates;

namespace Seiscat.Engine.Tests.Templates;

public class TemplateGroupsTests
{
    private static Template At(string name, int cluster, string station, long[] onsets, double rate = 50) => new()
    {
        Name = name,
        Cluster = cluster,
        Station = station,
        Channels = ["Z"],
        Rate = rate,
        Waveform = [new float[10]],
        OnsetSample = 2,
        LowHz = 2,
        HighHz = 8,
        MemberOnsetNs = onsets,
        MemberWindowStartNs = onsets,
        MemberCorrelation = onsets.Select(_ => 1.0).ToArray(),
        Members = onsets.Select(_ => new[] { new float[10] }).ToArray(),
    };

    [Fact]
    public void Stations_that_saw_the_same_events_form_one_group_at_their_median_delay()
    {
        const long S = 1_000_000_000;
        // Cluster 1 at A and B: the same three events, B 2 s, 3 s and 2.5 s later than A (median 2.5 s); at C events
        // nowhere near A's (more than a window apart): its own group. Cluster 2 at a different rate: its own group too.
        var a = At("T000", 1, "A", [100 * S, 200 * S, 300 * S]);
        var b = At("T001", 1, "B", [102 * S, 203 * S, 302 * S + S / 2]);
        var c = At("T002", 1, "C", [1000 * S]);
        var d = At("T003", 2, "A", [500 * S], rate: 40);
        var groups = TemplateGroups.Form([a, b, c, d], 40 * S);
        Assert.Equal(["T000", "T001", "T002", "T003"], groups.Select(t => t.Name));
        Assert.Equal([1, 1, 2, 3], groups.Select(t => t.Group));
        Assert.Equal([0, 5 * S / 2, 0, 0], groups.Select(t => t.GroupOffsetNs));
        // A station earlier than the cluster's first: offsets are relative to the earliest.
        var early = At("T001", 1, "B", [99 * S, 199 * S, 299 * S]);
        Assert.Equal([S, 0], TemplateGroups.Form([a, early], 40 * S).Select(t => t.GroupOffsetNs));
    }

    [Fact]
    public void By_default_every_cluster_but_the_most_populated_gets_templates()
    {
        Assert.Equal([0, 2], TemplateGroups.DefaultClusters([5, 90, 5, 0]));
        Assert.Equal([1], TemplateGroups.DefaultClusters([7, 7])); // ties: the lowest index is the background
    }

    [Fact]
    public void Nearest_windows_skip_gaps_keep_the_nearest_and_break_ties_by_row()
    {
        var tap = new NearestWindows(clusters: 2, stations: 1, keep: 2);
        var block = new PredictionBlock(8, 2) { First = 100, Count = 6 };
        (double Distance, float Gap, int Cluster)[] rows = [(3.0, 0, 0), (1.0, 0.5f, 0), (2.0, 0, 0), (2.0, 0, 0), (0.5, 0, 1), (9.0, 0, 0)];
        for (var i = 0; i < rows.Length; i++)
            (block.Distance[i], block.Gap[i], block.Cluster[i], block.StartNs[i]) = (rows[i].Distance, rows[i].Gap, rows[i].Cluster, i * 10);
        tap.Add(block, []);
        Assert.Equal([5, 1], tap.Counts);
        // Row 101 is nearest but holds missing data; of 102 and 103 (equal distances) both fit, the earlier first.
        Assert.Equal([102L, 103L], tap.Of(0, 0).Select(w => w.Row));
        Assert.Equal([104L], tap.Of(1, 0).Select(w => w.Row));
        // The same rule ranks the report's representative windows.
        Assert.True(NearestWindows.Precedes(0, 5.0, 9, 0.5f, 1.0, 1));
        Assert.True(NearestWindows.Precedes(0, 1.0, 1, 0, 1.0, 2));
        Assert.False(NearestWindows.Precedes(0, 2.0, 1, 0, 1.0, 2));
    }
}
