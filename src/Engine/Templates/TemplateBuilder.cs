using System.Numerics;
using Seiscat.Engine.Signal;
using Seiscat.Engine.Windows;

namespace Seiscat.Engine.Templates;

/// <summary>
/// One cluster at one station → one template. The candidates (windows nearest the cluster centre) are read with a
/// margin, band-passed (Butterworth order 4, zero-phase) and their energy onsets picked (<see cref="OnsetPicker"/>).
/// Every candidate's onset segment is correlated with every other's (normalised, over lags up to half the template):
/// the candidate most correlated with the rest anchors the family, and the candidates that correlate with it at
/// least <see cref="TemplateOptions.MinCorrelation"/> — best first, up to <see cref="TemplateOptions.PerCluster"/> —
/// are aligned on it and stacked; the members are then re-aligned on the stack and stacked again. Choosing the most
/// coherent family, not just the nearest windows, is what makes a template of a cluster that also holds unrelated
/// events (a repeating family inside an earthquake cluster).
/// </summary>
public static class TemplateBuilder
{
    /// <summary>A candidate window of the cluster: where it starts.</summary>
    public readonly record struct Candidate(long WindowStartNs, double Distance);

    private sealed class Segment
    {
        public required long WindowStartNs;
        public required long ExtendedStartNs; // time of Extended[·][0]
        public required float[][] Extended;    // components × (M + 2·maxLag): the onset segment with lag room
        public required float[][] Core;        // components × M, starting `pre` samples before the onset
    }

    public static Template? Build(StretchReader reader, int cluster, IReadOnlyList<Candidate> candidates, long windowNs, TemplateOptions o,
        string name, out string? reason)
    {
        var rate = reader.Rate;
        var m = (int)Math.Round(o.LengthSeconds * rate);
        if (m < 8)
            throw new SeiscatException($"templates of {o.LengthSeconds} s at {rate} Hz hold {m} samples; use {Setting.TemplateLength.Ref()} of at least " +
                $"{8 / rate:0.###} s");
        var pre = (int)Math.Round(o.PreOnsetShare * m);
        var maxLag = m / 2;
        var window = (int)Math.Round(windowNs * rate / 1e9);
        // Without a band from the user, the members choose it: onsets picked broadband, then the band where their
        // signal stands above the noise before their onsets (BandOf).
        // Each candidate is read once; both passes filter copies of what was read.
        var margin = m + maxLag;
        var stretches = Read(reader, candidates, rate, margin, window);
        double low, high;
        if (o.LowHz is { } userLow && o.HighHz is { } userHigh) (low, high) = (userLow, userHigh);
        else if (o.LowHz is not null || o.HighHz is not null)
            throw new SeiscatException($"give both band corners ({Setting.Band.Ref()} LOW-HIGH) or neither");
        else
        {
            var (broadLow, broadHigh) = (Math.Min(0.4, 0.05 * rate), 0.45 * rate);
            var broad = Segments(stretches, rate, m, pre, maxLag, window, broadLow, broadHigh);
            (low, high) = BandOf(broad, rate, pre + maxLag, m) ?? TemplateOptions.FallbackBand(rate);
        }
        var segments = Segments(stretches, rate, m, pre, maxLag, window, low, high);
        if (segments.Count == 0)
        {
            reason = "no candidate window could be read in full (gaps or the record's ends)";
            return null;
        }

        // Pairwise best correlation over lags: the anchor is the candidate most correlated with all others.
        var k = segments.Count;
        var cc = new double[k, k];
        var lag = new int[k, k];
        for (var i = 0; i < k; i++)
        {
            var plan = new CorrelationPlan([segments[i].Core]);
            for (var j = 0; j < k; j++) (cc[i, j], lag[i, j]) = i == j ? (1.0, maxLag) : Best(plan, segments[j].Extended);
        }
        var anchor = Enumerable.Range(0, k).OrderByDescending(i => Enumerable.Range(0, k).Sum(j => cc[i, j])).ThenBy(i => i).First();
        var members = Enumerable.Range(0, k).Where(j => cc[anchor, j] >= o.MinCorrelation).OrderByDescending(j => cc[anchor, j]).ThenBy(j => j)
            .Take(o.PerCluster).ToArray();
        var shifts = members.Select(j => lag[anchor, j]).ToArray();
        var stack = Stack(segments, members, shifts, m, o.Stacking);
        // Once more against the stack: the anchor's own noise no longer decides the alignment.
        var stackPlan = new CorrelationPlan([stack]);
        var correlation = new double[members.Length];
        for (var u = 0; u < members.Length; u++) (_, shifts[u]) = Best(stackPlan, segments[members[u]].Extended);
        stack = Stack(segments, members, shifts, m, o.Stacking);
        stackPlan = new CorrelationPlan([stack]);
        for (var u = 0; u < members.Length; u++) (correlation[u], shifts[u]) = Best(stackPlan, segments[members[u]].Extended);

        // Back to the record's units: the members' median norm.
        var norms = members.Select(j => Norm(segments[j].Core)).Order().ToArray();
        var scale = (float)(norms[norms.Length / 2] / Math.Max(Norm(stack), 1e-30));
        foreach (var c in stack) for (var i = 0; i < c.Length; i++) c[i] *= scale;
        var (onsetSample, _) = OnsetPicker.Pick(stack, rate, pre / 2, Math.Min(m, pre + m / 4));
        long Ns(int samples) => (long)Math.Round(samples * 1e9 / rate);
        reason = null;
        return new Template
        {
            Name = name,
            Cluster = cluster,
            Station = reader.Unit.UnitId,
            Channels = [.. reader.Unit.ChannelIds],
            Rate = rate,
            Waveform = stack,
            OnsetSample = onsetSample,
            LowHz = low,
            HighHz = high,
            MemberOnsetNs = members.Select((j, u) => segments[j].ExtendedStartNs + Ns(shifts[u] + onsetSample)).ToArray(),
            MemberWindowStartNs = members.Select(j => segments[j].WindowStartNs).ToArray(),
            MemberCorrelation = correlation,
            Members = members.Select((j, u) => Unit(segments[j].Extended.Select(x => x.AsSpan(shifts[u], m).ToArray()).ToArray())).ToArray(),
        };
    }

    private sealed record Stretch(long WindowStartNs, long StartNs, float[][] Data, bool[] Missing);

    // Each candidate window with a template's length (plus lag room) on both sides, so any onset in it can be cut.
    private static List<Stretch> Read(StretchReader reader, IReadOnlyList<Candidate> candidates, double rate, int margin, int window)
    {
        var total = window + 2 * margin;
        return candidates.Select(c =>
        {
            var startNs = c.WindowStartNs - (long)Math.Round(margin * 1e9 / rate);
            var data = Enumerable.Range(0, reader.Components).Select(_ => new float[total]).ToArray();
            var missing = new bool[total];
            reader.Read(startNs, data, missing);
            return new Stretch(c.WindowStartNs, startNs, data, missing);
        }).ToList();
    }

    // The stretches band-passed, their onsets picked and their onset segments cut; overlapping windows see the same
    // event twice, so an onset already taken is skipped.
    private static List<Segment> Segments(List<Stretch> stretches, double rate, int m, int pre, int maxLag, int window, double low, double high)
    {
        var band = new ZeroPhaseBandpass(rate, low, high);
        var margin = m + maxLag;
        var segments = new List<Segment>();
        var onsetsNs = new List<long>();
        var templateNs = (long)Math.Round(m * 1e9 / rate);
        foreach (var s in stretches)
        {
            var data = s.Data.Select(x => (float[])x.Clone()).ToArray();
            var total = data[0].Length;
            foreach (var x in data) band.Apply(x, s.Missing);
            var (onset, _) = OnsetPicker.Pick(data, rate, margin, margin + window);
            var first = onset - pre - maxLag;
            var onsetNs = s.StartNs + (long)Math.Round(onset * 1e9 / rate);
            if (onsetsNs.Any(t => Math.Abs(t - onsetNs) < templateNs)) continue;
            if (first < 0 || first + m + 2 * maxLag > total || s.Missing.AsSpan(first, m + 2 * maxLag).Contains(true)) continue;
            segments.Add(new Segment
            {
                WindowStartNs = s.WindowStartNs,
                ExtendedStartNs = s.StartNs + (long)Math.Round(first * 1e9 / rate),
                Extended = data.Select(x => x.AsSpan(first, m + 2 * maxLag).ToArray()).ToArray(),
                Core = data.Select(x => x.AsSpan(first + maxLag, m).ToArray()).ToArray(),
            });
            onsetsNs.Add(onsetNs);
        }
        return segments;
    }

    /// <summary>Least bandwidth × template length of an automatic band.</summary>
    public const double MinTimeBandwidth = 20;

    /// <summary>
    /// The band where the candidates' signal (after their onsets) stands out from their noise (before): power summed over
    /// candidates and components in sixth-octave bands, the band of largest signal-to-noise ratio widened while the
    /// ratio stays at least its square root (half its value in decibels) and at least 2; then widened to an octave and to
    /// <see cref="MinTimeBandwidth"/>.
    /// Null when nothing stands out (peak ratio below 2).
    /// </summary>
    private static (double Low, double High)? BandOf(List<Segment> segments, double rate, int onset, int m)
    {
        var length = Math.Min(onset, m);
        if (segments.Count == 0 || length < 16) return null;
        var signal = new double[length / 2 + 1];
        var noise = new double[length / 2 + 1];
        var taper = Enumerable.Range(0, length).Select(i => 0.5 - 0.5 * Math.Cos(2 * Math.PI * (i + 0.5) / length)).ToArray();
        foreach (var s in segments)
            foreach (var x in s.Extended)
            {
                AddPower(x.AsSpan(onset, length), taper, signal);
                AddPower(x.AsSpan(onset - length, length), taper, noise);
            }
        var resolution = rate / length;
        var (lowest, highest) = (Math.Max(0.4, 2 * resolution), 0.4 * rate);
        if (highest <= 2 * lowest) return null;
        var bands = new List<(double Low, double High, double Snr)>();
        for (var f = lowest; f * Math.Pow(2, 1.0 / 6) <= highest; f *= Math.Pow(2, 1.0 / 6))
        {
            var (a, b) = ((int)Math.Ceiling(f / resolution), (int)Math.Floor(f * Math.Pow(2, 1.0 / 6) / resolution));
            double ps = 0, pn = 0;
            for (var k = a; k <= Math.Min(b, signal.Length - 1); k++) (ps, pn) = (ps + signal[k], pn + noise[k]);
            bands.Add((f, f * Math.Pow(2, 1.0 / 6), pn > 0 ? ps / pn : 0));
        }
        if (bands.Count == 0) return null;
        var peak = Enumerable.Range(0, bands.Count).MaxBy(j => bands[j].Snr);
        if (bands[peak].Snr < 2) return null;
        var floor = Math.Max(2, Math.Sqrt(bands[peak].Snr));
        var (lo, hi) = (peak, peak);
        while (lo > 0 && bands[lo - 1].Snr >= floor) lo--;
        while (hi < bands.Count - 1 && bands[hi + 1].Snr >= floor) hi++;
        var (low, high) = (bands[lo].Low, bands[hi].High);
        // At least an octave, and at least MinTimeBandwidth independent samples over the template: a narrow band makes a
        // correlation trace so smooth that its MAD puts any threshold above 1 (found on YH.DC06's 0.6–1.1 Hz clusters).
        var seconds = m / rate;
        while ((high < 2 * low || (high - low) * seconds < MinTimeBandwidth) && (low > lowest || high < highest))
            (low, high) = (Math.Max(lowest, low / Math.Pow(2, 1.0 / 6)), Math.Min(highest, high * Math.Pow(2, 1.0 / 6)));
        return (low, high);
    }

    private static void AddPower(ReadOnlySpan<float> x, double[] taper, double[] power)
    {
        var z = new Complex[x.Length];
        for (var i = 0; i < x.Length; i++) z[i] = new Complex(x[i] * taper[i], 0);
        var spectrum = DoubleFft.Forward(z);
        for (var k = 0; k < power.Length; k++) power[k] += spectrum[k].Magnitude * spectrum[k].Magnitude;
    }

    // The largest normalised correlation of a template plan over an extended segment, and the lag (segment offset) of it.
    private static (double Cc, int Lag) Best(CorrelationPlan plan, float[][] extended)
    {
        var trace = new float[NormalizedCorrelation.Lags(extended[0].Length, plan.LengthOf(0))];
        NormalizedCorrelation.Correlate(plan, extended, null, [trace]);
        var best = 0;
        for (var t = 1; t < trace.Length; t++) if (trace[t] > trace[best]) best = t;
        return (trace[best], best);
    }

    private static float[][] Stack(List<Segment> segments, int[] members, int[] shifts, int m, Stacking how)
    {
        var components = segments[0].Core.Length;
        var aligned = members.Select((j, u) => Unit(segments[j].Extended.Select(x => x.AsSpan(shifts[u], m).ToArray()).ToArray())).ToArray();
        var stack = new float[components][];
        for (var c = 0; c < components; c++)
        {
            var s = new double[m];
            foreach (var a in aligned) for (var i = 0; i < m; i++) s[i] += a[c][i];
            if (how == Stacking.PhaseWeighted)
            {
                // Phase coherence |(1/N) Σ exp(iφ_j)|², φ the instantaneous phase of each member's analytic signal.
                var coherence = new Complex[m];
                foreach (var a in aligned)
                {
                    var z = AnalyticSignal.Of(a[c]);
                    for (var i = 0; i < m; i++) coherence[i] += z[i].Magnitude > 0 ? z[i] / z[i].Magnitude : Complex.Zero;
                }
                for (var i = 0; i < m; i++) s[i] *= Math.Pow(coherence[i].Magnitude / aligned.Length, 2);
            }
            stack[c] = s.Select(v => (float)(v / aligned.Length)).ToArray();
        }
        return stack;
    }

    private static double Norm(float[][] x)
    {
        double s = 0;
        foreach (var c in x) foreach (var v in c) s += (double)v * v;
        return Math.Sqrt(s);
    }

    private static float[][] Unit(float[][] x)
    {
        var norm = Norm(x);
        return norm > 0 ? x.Select(c => c.Select(v => (float)(v / norm)).ToArray()).ToArray() : x;
    }
}
