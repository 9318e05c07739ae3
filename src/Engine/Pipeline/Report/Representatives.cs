using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Layouts;
using Seiscat.Engine.Io.Storage;
using Seiscat.Engine.Scattering;
using Seiscat.Engine.Windows;

namespace Seiscat.Engine.Pipeline.Report;

/// <summary>
/// Reads each cluster's representative window back from the archive (through the window plan's own cut) and computes
/// its first-layer scalogram with the network the features used. A window that cannot be read back (the archive moved)
/// keeps its row and time, without samples.
/// </summary>
public static class Representatives
{
    /// <param name="layout">The options the features were made with (layout, selection, channel stacking), so a unit
    /// reads back as it was clustered.</param>
    public static RepresentativeWindow[] Load(IReadOnlyList<RepresentativeWindow> windows, IReadOnlyList<string> inputs, long windowNs, string? featureConfig,
        LayoutOptions? layout = null)
    {
        if (inputs.Count == 0 || windowNs <= 0 || windows.All(w => w.Row < 0)) return [.. windows];
        Archive archive;
        try { archive = ArchiveScanner.Open(inputs, layout); }
        catch (SeiscatException) { return [.. windows]; }
        using var storage = new ArchiveStorage();
        return windows.Select(w => w.Row < 0 ? w : Load(w, archive, storage, windowNs, featureConfig)).ToArray();
    }

    private static RepresentativeWindow Load(RepresentativeWindow w, Archive archive, ArchiveStorage storage, long windowNs, string? featureConfig)
    {
        // A station, or under --unit channel a channel standing alone.
        var station = ArchiveSelection.FindUnit(archive, w.Station);
        if (station is null) return w;
        try
        {
            var rate = station.Rate;
            var plan = new WindowPlan([station], (int)Math.Round(windowNs * rate / 1e9), windowNs, GapPolicy.ZeroFill);
            var cutter = new WindowCutter(plan, storage);
            var samples = new float[station.ChannelIds.Count][];
            for (var c = 0; c < samples.Length; c++)
            {
                samples[c] = new float[plan.WindowSamples];
                cutter.Cut(0, c, w.StartNs, samples[c]);
            }
            return w with
            {
                Channels = [.. station.ChannelIds],
                Samples = samples,
                Rate = rate,
                Scalogram = FirstLayer(featureConfig, samples[0], rate),
                Section = Section(archive, storage, station, w.StartNs, plan.WindowSamples),
            };
        }
        catch (SeiscatException) { return w; }
    }

    /// <summary>Traces shown in a record section at most.</summary>
    public const int SectionTraces = 96;

    // DAS: the representative window at up to SectionTraces channels evenly spread along the fibre, cut together as
    // `features` cuts them (one block of rows).
    private static RecordSection? Section(Archive archive, ArchiveStorage storage, UnitRecord unit, long startNs, int samples)
    {
        if (unit.Pieces[0][0].Fibre is null) return null;
        var rate = unit.Rate;
        var channels = archive.Units.Where(s => s.ChannelIds.Count == 1 && s.Pieces[0][0].Fibre is not null && s.Rate == rate)
            .OrderBy(s => s.Pieces[0][0].Fibre!.Locus).ToList();
        if (channels.Count < 2) return null;
        var step = Math.Max(1, (channels.Count + SectionTraces - 1) / SectionTraces);
        var picked = channels.Where((_, i) => i % step == 0).ToList();
        var plan = new WindowPlan(picked, samples, Math.Max(1, (long)Math.Round(samples * 1e9 / rate)), GapPolicy.ZeroFill);
        var cutter = new WindowCutter(plan, storage);
        var traces = new float[picked.Count][];
        for (var k = 0; k < picked.Count; k++)
        {
            traces[k] = new float[samples];
            cutter.Cut(k, 0, startNs, traces[k]);
        }
        var metres = picked.All(s => s.Pieces[0][0].Fibre!.DistanceM is not null);
        var positions = picked.Select(s => s.Pieces[0][0].Fibre is { } f ? (metres ? f.DistanceM!.Value : f.Locus) : 0).ToArray();
        return new RecordSection(positions, metres, traces, rate);
    }

    /// <summary>log10 of the first layer's |x ⋆ ψ_j| (J × ≤ 600 time columns, averaged), with the network the features used.</summary>
    public static Scalogram? FirstLayer(string? featureConfig, float[] x, double rate)
    {
        if (string.IsNullOrEmpty(featureConfig)) return null;
        ScatteringConfig cfg;
        try { cfg = ScatteringConfig.Parse(featureConfig); }
        catch (SeiscatException) { return null; }
        if (Math.Abs(cfg.SamplingRate - rate) > 1e-9 * rate || cfg.Bins != x.Length) return null; // decimated features: skip
        // Unpooled rows exist only on the exact path (features computed on the fast path describe the same coefficients).
        var plan = new ScatteringPlan(cfg with { Pooling = Pooling.None, Layers = [cfg.Layers[0]], TaperAlpha = null, Path = ScatteringPath.Exact });
        using var network = new ScatteringNetwork(plan);
        var output = new float[plan.OutputLength(1)];
        double sum0 = 0;
        foreach (var v in x) sum0 += v;
        var mean = (float)(sum0 / Math.Max(1, x.Length));
        var demeaned = new float[x.Length];
        for (var i = 0; i < x.Length; i++) demeaned[i] = x[i] - mean;
        network.Transform(demeaned, 1, output);
        var j = plan.Banks[0].Count;
        var n = cfg.Bins;
        var columns = Math.Min(600, n);
        var values = new double[j, columns];
        for (var r = 0; r < j; r++)
            for (var c = 0; c < columns; c++)
            {
                int a = c * n / columns, b = (c + 1) * n / columns;
                double sum = 0;
                for (var t = a; t < b; t++) sum += output[r * n + t];
                values[r, c] = Math.Log10(Math.Max(sum / Math.Max(1, b - a), 1e-12));
            }
        return new Scalogram(values, plan.Banks[0].CentersHz.ToArray());
    }
}
