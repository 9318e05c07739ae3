using Seiscat.Engine.Linear;

namespace Seiscat.Engine.Tests.Linear;

public class EventFeaturesTests
{
    // Two components, three first-order filters (8, 4, 2 Hz), two second-order filters (3, 1 Hz) per parent, then
    // the mean and max statistics of every first-order filter: the column order of a seiscat features file.
    private static readonly double[] F1 = [8, 4, 2];
    private static readonly double[] F2 = [3, 1];

    private static ColumnLayout Layout()
    {
        var order = new List<int>(); var channel = new List<int>(); var j1 = new List<int>(); var j2 = new List<int>();
        var f1 = new List<double>(); var f2 = new List<double>(); var statistic = new List<int>();
        void Add(int o, int c, int a, int b, int s)
        {
            order.Add(o); channel.Add(c); j1.Add(a); j2.Add(b); f1.Add(F1[a]); f2.Add(b < 0 ? double.NaN : F2[b]); statistic.Add(s);
        }
        for (var c = 0; c < 2; c++) for (var a = 0; a < 3; a++) Add(1, c, a, -1, -1);
        for (var c = 0; c < 2; c++) for (var a = 0; a < 3; a++) for (var b = 0; b < 2; b++) Add(2, c, a, b, -1);
        foreach (var s in new[] { 0, 1 }) for (var c = 0; c < 2; c++) for (var a = 0; a < 3; a++) Add(1, c, a, -1, s);
        return new ColumnLayout([.. order], [.. channel], [.. j1], [.. j2], [.. f1], [.. f2], [.. statistic]);
    }

    // A row: first-order level u1[c, j], second order u1·ratio, mean = u1, max = u1 · peak[j].
    private static double[] Row(double gain, double[] peak, double ratio = 0.1)
    {
        var row = new List<double>();
        for (var c = 0; c < 2; c++) for (var a = 0; a < 3; a++) row.Add(gain * (a + 1) * (c + 1));
        for (var c = 0; c < 2; c++) for (var a = 0; a < 3; a++) for (var b = 0; b < 2; b++) row.Add(gain * (a + 1) * (c + 1) * ratio);
        for (var c = 0; c < 2; c++) for (var a = 0; a < 3; a++) row.Add(gain * (a + 1) * (c + 1));
        for (var c = 0; c < 2; c++) for (var a = 0; a < 3; a++) row.Add(gain * (a + 1) * (c + 1) * peak[a]);
        return [.. row];
    }

    [Fact]
    public void The_layout_is_read_into_filters_contrasts_and_the_modulation_paths_below_their_parent()
    {
        var e = new EventFeatures(Layout());
        Assert.Equal(3, e.Filters);
        Assert.True(e.HasContrast);
        // Second-order paths with f2 < f1: (8 Hz; 3, 1), (4 Hz; 3, 1), (2 Hz; 1): five, each averaged over components.
        Assert.Equal(5, e.ModulationPaths);
        Assert.Equal(3, e.Length(background: false));
        Assert.Equal(2 * 3 + 5, e.Length(background: true));
    }

    [Fact]
    public void The_contrast_is_the_log_peak_to_mean_ratio_whatever_the_gain()
    {
        var e = new EventFeatures(Layout());
        var quiet = new double[3];
        var loud = new double[3];
        e.Compute(Row(1, [2, 10, 1]), 1e-5, default, quiet, new double[e.BackgroundLength]);
        e.Compute(Row(1e6, [2, 10, 1]), 1e-5, default, loud, new double[e.BackgroundLength]);
        Assert.Equal(Math.Log10(2), quiet[0], 12);
        Assert.Equal(1.0, quiet[1], 12);
        Assert.Equal(0.0, quiet[2], 12);
        for (var j = 0; j < 3; j++) Assert.Equal(quiet[j], loud[j], 12);
        // A dead band (mean and max 0) contributes 0, never -inf or NaN.
        var dead = Row(1, [2, 10, 1]);
        var layout = Layout();
        for (var i = 0; i < dead.Length; i++) if (layout.Order[i] == 1 && layout.J1[i] == 2 && layout.Statistic[i] >= 0) dead[i] = 0;
        e.Compute(dead, 1e-5, default, quiet, new double[e.BackgroundLength]);
        Assert.Equal(0.0, quiet[2]);
        Assert.All(quiet, v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void Relative_to_a_background_neither_gain_nor_size_moves_the_features()
    {
        var e = new EventFeatures(Layout());
        var background = new double[e.BackgroundLength];
        e.Levels(Row(1, [1.5, 1.5, 1.5]), 1e-5, background);
        var m = e.Length(background: true);
        var same = new double[m];
        var louder = new double[m];
        var scratch = new double[e.BackgroundLength];
        e.Compute(Row(1, [1.5, 1.5, 1.5]), 1e-5, background, same, scratch);
        e.Compute(Row(1000, [1.5, 1.5, 1.5]), 1e-5, background, louder, scratch);
        // The background window itself: no shape, no modulation change.
        for (var j = 0; j < 3; j++) Assert.Equal(0.0, same[j], 12);
        for (var p = 0; p < 5; p++) Assert.Equal(0.0, same[3 + 3 + p], 12);
        // ×1000 (a bigger event of the same kind): the same features.
        for (var i = 0; i < m; i++) Assert.Equal(same[i], louder[i], 9);
        // A richer modulation shows in M − B_M only.
        var modulated = new double[m];
        e.Compute(Row(1, [1.5, 1.5, 1.5], ratio: 1.0), 1e-5, background, modulated, scratch);
        for (var p = 0; p < 5; p++) Assert.Equal(1.0, modulated[6 + p], 9);
        for (var j = 0; j < 3; j++) Assert.Equal(0.0, modulated[j], 9);
    }

    [Fact]
    public void The_events_transform_round_trips_through_its_fit()
    {
        var layout = Layout();
        var rng = new Random(3);
        const int n = 200;
        var d = layout.Count;
        var x = new double[n * d];
        for (var i = 0; i < n; i++)
        {
            var peak = new[] { 1 + rng.NextDouble() * (i % 10 == 0 ? 20 : 1), 1 + rng.NextDouble(), 1 + rng.NextDouble() };
            Row(Math.Exp(rng.NextDouble() * 3), peak, 0.05 + 0.1 * rng.NextDouble()).CopyTo(x, i * d);
        }
        var o = new TransformOptions { Reduce = ReduceKind.Pca, ReduceComponents = 2 };
        var t = FeatureTransform.FitEvents(x, n, d, o, layout, background: false, _ => default, out var z);
        Assert.Equal(3, t.DerivedFeatures);
        Assert.Equal(2, t.OutputFeatures);
        var output = new double[2];
        var scratch = new double[t.ScratchLength];
        for (var i = 0; i < n; i++)
        {
            t.Transform(x.AsSpan(i * d, d), output, scratch);
            Assert.Equal(z[i * 2], output[0], 10);
            Assert.Equal(z[i * 2 + 1], output[1], 10);
        }
    }
}
