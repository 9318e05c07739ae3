using Seiscat.Engine.Matching;

namespace Seiscat.Engine.Tests.Matching;

public class GroupDetectorTests
{
    [Fact]
    public void A_group_trace_is_the_mean_of_its_shifted_members_and_exists_only_where_every_member_has_data()
    {
        // Member 0 sees the event at index 5, member 1 (a farther station) at index 7: shifted by 0 and +2 they line up.
        float[] near = [0, 0, 0, 0, 0, 0.8f, 0, 0, 0, 0];
        float[] far = [0, 0, 0, 0, 0, 0, 0, 0.6f, 0, float.NaN, 0, 0];
        var (trace, valid) = GroupDetector.Stack([near, far], [0, 2], 10);
        Assert.Equal(0.7f, trace[5], 6);
        // Far's NaN (a gap) at 9 masks group index 7; index 9 + 2 = 11 is in range; 10 + 2 would not be.
        Assert.False(valid[7]);
        Assert.Equal(0, trace[7]);
        Assert.True(valid[9]);
        Assert.Equal(9, valid.Count(v => v));
        // A member whose trace is empty (no data in the block) leaves no valid sample.
        Assert.DoesNotContain(true, GroupDetector.Stack([near, []], [0, 0], 10).Valid);
    }

    [Fact]
    public void Detections_are_the_peak_of_each_run_above_the_mad_multiple()
    {
        // Background cycling −0.1, 0, 0.1 (median 0, MAD 0.1), two runs above 8 × MAD = 0.8: [20..22] peaking at 21, and
        // 40 alone; 60 is above but invalid (a gap).
        var trace = new float[100];
        var valid = new bool[100];
        for (var i = 0; i < trace.Length; i++) (trace[i], valid[i]) = ((i % 3 - 1) * 0.1f, true);
        (trace[20], trace[21], trace[22]) = (0.85f, 0.95f, 0.9f);
        trace[40] = 0.81f;
        (trace[60], valid[60]) = (0.99f, false);
        var found = GroupDetector.Detect(trace, valid, 8);
        Assert.Equal(0.1, found.Mad, 6);
        Assert.Equal(0.8, found.Threshold, 6);
        Assert.Equal(99, found.Samples);
        Assert.Equal([21, 40], found.Peaks);
        Assert.Equal(99, found.Histogram.Sum());
        // Values bin over [−1, 1] in 200 bins: 0 falls in bin 100.
        Assert.Equal(trace.Where((v, i) => valid[i] && v == 0).Count(), found.Histogram[100]);
        // Equal maxima in one run: the first.
        (trace[40], trace[41]) = (0.9f, 0.9f);
        Assert.Equal([21, 40], GroupDetector.Detect(trace, valid, 8).Peaks);
    }

    [Fact]
    public void A_constant_trace_or_one_without_data_detects_nothing()
    {
        var flat = GroupDetector.Detect(new float[50], Enumerable.Repeat(true, 50).ToArray(), 8);
        Assert.Equal(0, flat.Mad);
        Assert.Empty(flat.Peaks);
        Assert.Equal(50, flat.Samples);
        var empty = GroupDetector.Detect(new float[50], new bool[50], 8);
        Assert.True(double.IsNaN(empty.Threshold));
        Assert.Equal(0, empty.Samples);
        Assert.Empty(empty.Peaks);
    }

    [Fact]
    public void The_amplitude_ratio_is_the_geometric_mean_of_record_to_template_norms()
    {
        float[] template = [1, -1, 1, -1];
        // Member 0: the record holds the template × 4 (plus an offset, which the demeaning removes) at start 2; member 1:
        // × 1 on one component and × 16 on the other: geometric mean over all three components = (4 · 1 · 16)^(1/3) = 4.
        float[] scaled(float k, float offset) => template.Select(v => k * v + offset).ToArray();
        float[] record0 = [9, 9, .. scaled(4, 3), 9];
        var ratio = GroupDetector.AmplitudeRatio([
            ([record0], 2, [template]),
            ([scaled(1, 0), scaled(16, -2)], 0, [template, template]),
        ]);
        Assert.Equal(4, ratio, 9);
        // A silent template component does not count; none left: NaN.
        Assert.True(double.IsNaN(GroupDetector.AmplitudeRatio([([scaled(2, 0)], 0, [new float[4]])])));
    }
}
