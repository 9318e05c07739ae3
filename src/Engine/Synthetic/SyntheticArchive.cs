using System.Globalization;
using System.Text;
using Seiscat.Engine.Common;
using Seiscat.Engine.Signal;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Synthetic;

public sealed record SynthOptions
{
    public int Stations { get; init; } = 2;
    public double Hours { get; init; } = 6;
    public double Rate { get; init; } = 50;
    public ulong Seed { get; init; } = 1;
    /// <summary>asdf (one pyasdf-like file per station) or generic (one plain file per station and continuous stretch).</summary>
    public string Layout { get; init; } = "asdf";
    public long StartNs { get; init; } = 1_704_067_200L * 1_000_000_000L; // 2024-01-01T00:00:00Z
    /// <summary>Multiplies every planted event rate (earthquakes, repeaters, tremor, glitches); 0.1 makes events rare.</summary>
    public double EventRate { get; init; } = 1;
}

/// <summary>
/// A synthetic 3-component archive realistic enough to cluster: coloured background noise (a 0.2 Hz microseism
/// and broadband cultural noise that is louder by day), earthquakes (P then S, magnitude-dependent amplitude,
/// corner frequency and coda), a repeating family with accelerating rate, tremor, glitches, and one data gap.
/// Writes the files and truth.csv; the same options give the same bytes.
/// </summary>
public static class SyntheticArchive
{
    private const double Vp = 6.0, Vs = 3.5; // km/s

    public sealed record Result(IReadOnlyList<string> Files, string TruthCsv, IReadOnlyList<TruthEvent> Truth);

    public static Result Generate(string outDir, SynthOptions o)
    {
        if (o.Stations is < 1 or > 999) throw new SeiscatException($"{Setting.StationCount.Ref()} {o.Stations}: use 1..999");
        if (!(o.Hours > 0) || o.Hours > 24 * 366) throw new SeiscatException($"{Setting.Hours.Ref()} {o.Hours}: use a positive duration up to a year");
        if (!(o.Rate >= 2) || o.Rate > 2000) throw new SeiscatException($"{Setting.Rate.Ref()} {o.Rate}: use 2..2000 Hz");
        if (o.Layout is not ("asdf" or "generic")) throw new SeiscatException($"{Setting.Layout.Ref()} {o.Layout}: use asdf or generic");
        Directory.CreateDirectory(outDir);

        if (!(o.EventRate > 0) || o.EventRate > 100) throw new SeiscatException($"{Setting.EventRate.Ref()} {o.EventRate}: use a multiplier in (0, 100]");
        var sources = SyntheticCatalogue.Draw(o.Seed, o.StartNs, o.Hours, o.EventRate);
        var total = (long)Math.Round(o.Hours * 3600 * o.Rate);
        var band = o.Rate >= 80 ? "HH" : o.Rate >= 10 ? "BH" : "LH";
        // Stations are independent (own files, own random streams): generated in parallel, gathered in station order,
        // so the bytes do not depend on the thread count.
        var perStation = new (List<TruthEvent> Truth, IReadOnlyList<string> Files)[o.Stations];
        Parallel.For(0, o.Stations, s => perStation[s] = GenerateStation(outDir, o, sources, total, band, s));
        var truth = perStation.SelectMany(p => p.Truth).ToList();
        var files = perStation.SelectMany(p => p.Files).ToList();
        return new Result(files, WriteTruth(outDir, truth), truth);
    }

    private static (List<TruthEvent> Truth, IReadOnlyList<string> Files) GenerateStation(string outDir, SynthOptions o, List<SeismicSource> sources,
        long total, string band, int s)
    {
        var station = $"ST{s + 1:00}";
        var stationId = $"SC.{station}.00.{band}?";
        var distance = 8.0 + 14.0 * s;
        var glitches = DrawGlitches(o, s, total);
        var gap = s == 0 ? GapOf(total, o.Rate) : ((long, long)?)null;
        var pieces = Pieces(total, o.Rate, o.StartNs, gap);
        var truth = StationTruth(o, sources, glitches, gap, stationId, distance).ToList();

        var channels = new[] { "E", "N", "Z" }.Select(c => band + c).ToArray();
        var noiseState = channels.Select(_ => new double[3]).ToArray();
        // Generated lazily, one channel-piece (≤ a day) at a time, as the writers consume it: memory stays at one
        // piece whatever --hours is.
        IEnumerable<(string Channel, long First, float[] Samples)> Data()
        {
            foreach (var (first, count) in pieces)
            {
                for (var c = 0; c < 3; c++)
                {
                    var x = new double[count];
                    Noise(o, s, c, first, x, noiseState[c]);
                    foreach (var src in sources) AddSource(o, src, s, c, distance, first, x);
                    foreach (var g in glitches.Where(g => g.Component == c)) AddGlitch(o, g, first, x);
                    var samples = new float[count];
                    for (var i = 0; i < count; i++) samples[i] = (float)x[i];
                    yield return (channels[c], first, samples);
                }
            }
        }
        var data = Data();
        IReadOnlyList<string> files = o.Layout == "asdf" ? [WriteAsdf(outDir, o, station, data)] : WriteGeneric(outDir, o, station, data).ToList();
        return (truth, files);
    }

    /// <summary>truth.csv (start,end,class,station; ISO UTC) in time order, beside the archive.</summary>
    internal static string WriteTruth(string outDir, IEnumerable<TruthEvent> truth)
    {
        var truthPath = Path.Combine(outDir, "truth.csv");
        using var output = new AtomicOutput(truthPath);
        var sb = new StringBuilder("start,end,class,station\n");
        foreach (var t in truth.OrderBy(t => t.StartNs).ThenBy(t => t.Station, StringComparer.Ordinal).ThenBy(t => t.Class, StringComparer.Ordinal))
            sb.Append(TimeFormat.Iso(t.StartNs)).Append(',').Append(TimeFormat.Iso(t.EndNs)).Append(',')
                .Append(t.Class).Append(',').Append(t.Station).Append('\n');
        File.WriteAllText(output.TempPath, sb.ToString());
        output.Commit();
        return truthPath;
    }


    private static (long, long) GapOf(long total, double rate)
    {
        var length = (long)Math.Min(600 * rate, 0.05 * total);
        var at = (long)(0.45 * total);
        return (at, Math.Max(1, length));
    }

    // Continuous stretches: split at the gap and at UTC midnights (one dataset per channel-day, as archives do).
    private static List<(long First, long Count)> Pieces(long total, double rate, long startNs, (long At, long Length)? gap)
    {
        var cuts = new SortedSet<long> { 0, total };
        var day = (long)Math.Round(86400 * rate);
        var offset = (long)Math.Round(((startNs / 1_000_000_000L) % 86400) * rate);
        for (var k = day - offset; k < total; k += day) if (k > 0) cuts.Add(k);
        var list = new List<(long, long)>();
        var c = cuts.ToArray();
        for (var i = 0; i + 1 < c.Length; i++)
        {
            var (a, b) = (c[i], c[i + 1]);
            if (gap is { } g && a < g.At + g.Length && b > g.At)
            {
                if (g.At > a) list.Add((a, g.At - a));
                if (b > g.At + g.Length) list.Add((g.At + g.Length, b - g.At - g.Length));
            }
            else list.Add((a, b - a));
        }
        return list;
    }

    // Microseism (AR(2) resonance at 0.2 Hz, ~150 counts) + cultural noise (AR(1), ~40 counts, up to 1.8x at noon UTC).
    // State carries across pieces so the noise is continuous where the data are.
    private static void Noise(SynthOptions o, int station, int component, long first, double[] x, double[] state)
    {
        var rng = new Xoshiro256(o.Seed, 2, (ulong)station, (ulong)component, (ulong)first);
        var w = 2 * Math.PI * 0.2 / o.Rate;
        const double r = 0.995;
        var a1 = 2 * r * Math.Cos(w);
        var a2 = -r * r;
        var ar2Var = (1 + r * r) / ((1 - r * r) * ((1 + r * r) * (1 + r * r) - 4 * r * r * Math.Cos(w) * Math.Cos(w)));
        var sigmaMicro = 150 / Math.Sqrt(ar2Var);
        const double phi = 0.6;
        var sigmaCult = 40 * Math.Sqrt(1 - phi * phi);
        var (y1, y2, c1) = (state[0], state[1], state[2]);
        for (var i = 0; i < x.Length; i++)
        {
            var y = a1 * y1 + a2 * y2 + sigmaMicro * rng.NextGaussian();
            y2 = y1; y1 = y;
            c1 = phi * c1 + sigmaCult * rng.NextGaussian();
            var tNs = o.StartNs + (long)((first + i) * 1e9 / o.Rate);
            var hour = (tNs / 1e9 % 86400) / 3600.0;
            var daily = 1 + 0.8 * Math.Max(0, Math.Sin(2 * Math.PI * (hour - 6) / 24));
            x[i] = y + daily * c1;
        }
        state[0] = y1; state[1] = y2; state[2] = c1;
    }

    private static double ArrivalS(SeismicSource src, double distance) => src.Class == "tremor" ? 0 : distance / Vs;
    private static double ArrivalP(SeismicSource src, double distance) => src.Class == "tremor" ? 0 : distance / Vp;

    private static void AddSource(SynthOptions o, SeismicSource src, int station, int component, double distance, long first, double[] x)
    {
        var startS = (src.OriginNs - o.StartNs) / 1e9 + ArrivalP(src, distance) - 1;
        var lengthS = src.Class switch
        {
            "tremor" => src.DurationS + 2,
            "repeater" => 10,
            _ => ArrivalS(src, distance) - ArrivalP(src,
            distance) + 1 + 5 * src.DurationS / 4
        };
        var i0 = (long)Math.Round(startS * o.Rate);
        var n = (int)(lengthS * o.Rate);
        if (i0 + n <= first || i0 >= first + x.Length) return;
        var w = src.Class switch
        {
            "earthquake" => Earthquake(o, src, station, component, distance, n),
            "repeater" => Repeater(o, src, station, component, distance, n),
            _ => Tremor(o, src, station, component, distance, n),
        };
        for (var i = Math.Max(0, first - i0); i < n && i0 + i < first + x.Length; i++) x[i0 + i - first] += w[i];
    }

    private static double[] Burst(Xoshiro256 rng, int n, double rate, FilterKind kind, double low, double high = double.NaN)
    {
        var b = new double[n];
        for (var i = 0; i < n; i++) b[i] = rng.NextGaussian();
        var nyq = rate / 2;
        low = Math.Min(low, 0.45 * rate);
        if (kind == FilterKind.Bandpass) high = Math.Min(high, 0.9 * nyq);
        if (kind == FilterKind.Bandpass && high <= low) kind = FilterKind.Highpass;
        var f = new SosFilter(Butterworth.Design(2, kind, rate, low, high));
        f.Filter(b, new double[2 * f.Sections]);
        var rms = Math.Sqrt(b.Sum(v => v * v) / Math.Max(1, n));
        for (var i = 0; i < n; i++) b[i] /= rms > 0 ? rms : 1;
        return b;
    }

    // P then S: filtered noise bursts with an abrupt onset and exponential coda; corner frequency falls and
    // amplitude and coda length grow with magnitude.
    private static double[] Earthquake(SynthOptions o, SeismicSource src, int station, int component, double distance, int n)
    {
        var rng = new Xoshiro256(o.Seed, 3, (ulong)src.Id, (ulong)station, (ulong)component);
        var amplitude = 300 * Math.Pow(10, src.Magnitude - 1) * 20 / distance;
        var fc = 8 * Math.Pow(10, -(src.Magnitude - 1) / 3);
        var w = new double[n];
        var tauS = src.DurationS / 4;
        var sp = ArrivalS(src, distance) - ArrivalP(src, distance);
        (double Offset, double Amp, double Tau)[] phases =
        [
            (1.0, amplitude / 1.7 * (component == 2 ? 1.0 : 0.35), tauS / 1.5),
            (1.0 + sp, amplitude * (component == 2 ? 0.35 : component == 0 ? 1.0 : 0.9), tauS),
        ];
        foreach (var (offset, amp, tau) in phases)
        {
            var i0 = (int)(offset * o.Rate);
            if (i0 >= n) continue;
            var burst = Burst(rng, n - i0, o.Rate, FilterKind.Bandpass, 0.5, Math.Max(1.0, fc * 2));
            var polarity = rng.NextDouble() < 0.5 ? -1 : 1;
            for (var i = 0; i < n - i0; i++)
            {
                var t = i / o.Rate;
                w[i0 + i] += polarity * amp * burst[i] * (1 - Math.Exp(-t / 0.05)) * Math.Exp(-t / tau);
            }
        }
        return w;
    }

    // One template per component for the whole family; each repeat adds 5 % of its own noise.
    private static double[] Repeater(SynthOptions o, SeismicSource src, int station, int component, double distance, int n)
    {
        var template = Burst(new Xoshiro256(o.Seed, 4, (ulong)station, (ulong)component), n, o.Rate, FilterKind.Bandpass, 3, 8);
        var rng = new Xoshiro256(o.Seed, 5, (ulong)src.Id, (ulong)station, (ulong)component);
        var amplitude = 300 * Math.Pow(10, src.Magnitude - 1) * 20 / distance;
        var w = new double[n];
        for (var i = 0; i < n; i++)
        {
            var t = i / o.Rate - 1.0;
            var env = t < 0 ? 0 : (1 - Math.Exp(-t / 0.02)) * Math.Exp(-t / 1.2);
            w[i] = amplitude * env * (template[i] + 0.05 * rng.NextGaussian());
        }
        return w;
    }

    // Emergent narrow-band (2–5 Hz) tremor with cosine ramps of a quarter of its duration.
    private static double[] Tremor(SynthOptions o, SeismicSource src, int station, int component, double distance, int n)
    {
        var rng = new Xoshiro256(o.Seed, 6, (ulong)src.Id, (ulong)station, (ulong)component);
        var burst = Burst(rng, n, o.Rate, FilterKind.Bandpass, 2, 5);
        var amplitude = 250 * Math.Sqrt(20 / distance);
        var ramp = src.DurationS / 4;
        var w = new double[n];
        for (var i = 0; i < n; i++)
        {
            var t = i / o.Rate - 1.0;
            var env = t < 0
                || t > src.DurationS ? 0
                : t < ramp ? 0.5 * (1 - Math.Cos(Math.PI * t / ramp))
                : t > src.DurationS - ramp ? 0.5 * (1 - Math.Cos(Math.PI * (src.DurationS - t) / ramp)) : 1;
            w[i] = amplitude * env * burst[i];
        }
        return w;
    }

    private sealed record Glitch(long Sample, int Component, bool Spike, double Amplitude);

    private static List<Glitch> DrawGlitches(SynthOptions o, int station, long total)
    {
        var rng = new Xoshiro256(o.Seed, 7, (ulong)station);
        var count = Math.Max(o.EventRate >= 1 ? 3 : 1, (int)(o.Hours * 2 * o.EventRate));
        return Enumerable.Range(0, count).Select(_ => new Glitch((long)(rng.NextDouble() * (total - 20 * o.Rate)),
            (int)(rng.NextDouble() * 3), rng.NextDouble() < 0.5, (rng.NextDouble() < 0.5 ? -1 : 1) * rng.Uniform(1.5e4, 4e4))).OrderBy(g => g.Sample).ToList();
    }

    // A one-sample spike, or a step that decays over a few seconds (a mass re-centre or telemetry glitch).
    private static void AddGlitch(SynthOptions o, Glitch g, long first, double[] x)
    {
        var n = g.Spike ? 1 : (int)(10 * o.Rate);
        for (var i = 0; i < n; i++)
        {
            var k = g.Sample + i - first;
            if (k < 0 || k >= x.Length) continue;
            x[k] += g.Spike ? g.Amplitude : g.Amplitude * Math.Exp(-i / (1.5 * o.Rate));
        }
    }

    private static IEnumerable<TruthEvent> StationTruth(SynthOptions o, List<SeismicSource> sources, List<Glitch> glitches, (long At,
        long Length)? gap, string stationId, double distance)
    {
        long Ns(double seconds) => (long)Math.Round(seconds * 1e9);
        foreach (var s in sources)
        {
            var p = s.OriginNs + Ns(ArrivalP(s, distance));
            var end = s.Class switch
            {
                "tremor" => s.OriginNs + Ns(s.DurationS),
                "repeater" => p + Ns(6),
                _ => s.OriginNs + Ns(ArrivalS(s, distance) + 4 * s.DurationS / 4),
            };
            yield return new TruthEvent(p, end, s.Class, stationId);
        }
        foreach (var g in glitches)
        {
            var t = o.StartNs + Ns(g.Sample / o.Rate);
            yield return new TruthEvent(t, t + Ns(g.Spike ? 1 : 6), "glitch", stationId);
        }
        if (gap is { } gp)
            yield return new TruthEvent(o.StartNs + Ns(gp.At / o.Rate), o.StartNs + Ns((gp.At + gp.Length) / o.Rate), "gap", stationId);
    }

    private static string NameTime(long ns) => DateTime.UnixEpoch.AddTicks(ns / 100).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    // pyasdf's layout and storage: chunked, shuffle + gzip 3 + Fletcher-32, starttime (ns) and sampling_rate attributes.
    private static string WriteAsdf(string dir, SynthOptions o, string station, IEnumerable<(string Channel, long First, float[] Samples)> data)
    {
        var path = Path.Combine(dir, $"SC.{station}.asdf.h5");
        using var output = new AtomicOutput(path);
        using (var f = H5File.Create(output.TempPath))
        {
            f.WriteAttribute("file_format", "ASDF");
            f.WriteAttribute("file_format_version", "1.0.3");
            f.CreateGroup("AuxiliaryData").Dispose();
            f.CreateGroup("Provenance").Dispose();
            foreach (var (channel, first, samples) in data)
            {
                var start = o.StartNs + (long)Math.Round(first * 1e9 / o.Rate);
                var end = o.StartNs + (long)Math.Round((first + samples.Length - 1) * 1e9 / o.Rate);
                var name = $"Waveforms/SC.{station}/SC.{station}.00.{channel}__{NameTime(start)}__{NameTime(end)}__raw_recording";
                using var ds = f.CreateDataset<float>(name, [samples.Length],
                    new H5DatasetOptions
                    {
                        ChunkDims = [Math.Min(samples.Length, 16384)],
                        Shuffle = true,
                        DeflateLevel = 3,
                        Fletcher32 = true,
                        MaxDims = [-1]
                    });
                ds.Write<float>(samples);
                ds.WriteAttribute("starttime", start);
                ds.WriteAttribute("sampling_rate", o.Rate);
            }
        }
        output.Commit();
        return path;
    }

    // The simple layout of ../shared/data/continuous: one 1-D float32 dataset per channel, one file per continuous stretch.
    private static IEnumerable<string> WriteGeneric(string dir, SynthOptions o, string station, IEnumerable<(string Channel, long First, float[] Samples)> data)
    {
        var paths = new List<string>();
        var group = new List<(string Channel, long First, float[] Samples)>();
        foreach (var item in data.Append(("", -1, [])))
        {
            if (group.Count > 0 && item.First != group[0].First)
            {
                paths.Add(WriteGenericFile(dir, o, station, group));
                group.Clear();
            }
            group.Add(item);
        }
        return paths;
    }

    private static string WriteGenericFile(string dir, SynthOptions o, string station, List<(string Channel, long First, float[] Samples)> group)
    {
        var start = o.StartNs + (long)Math.Round(group[0].First * 1e9 / o.Rate);
        var path = Path.Combine(dir, $"SC.{station}_{NameTime(start).Replace(":", "")}.h5");
        using var output = new AtomicOutput(path);
        using (var f = H5File.Create(output.TempPath))
        {
            f.WriteAttribute("layout", "simple-v1: one 1-D float32 dataset per channel, named NET.STA.LOC.CHA");
            foreach (var (channel, _, samples) in group)
            {
                using var ds = f.CreateDataset<float>($"SC.{station}.00.{channel}", [samples.Length]);
                ds.Write<float>(samples);
                ds.WriteAttribute("sampling_rate", o.Rate);
                ds.WriteAttribute("starttime_ns", start);
                ds.WriteAttribute("network", "SC");
                ds.WriteAttribute("station", station);
                ds.WriteAttribute("location", "00");
                ds.WriteAttribute("channel", channel);
            }
        }
        output.Commit();
        return path;
    }
}
