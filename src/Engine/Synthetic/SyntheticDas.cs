using Seiscat.Engine.Common;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Synthetic;

public sealed record DasSynthOptions
{
    public int Channels { get; init; } = 500;
    public double Rate { get; init; } = 500;
    public double Minutes { get; init; } = 10;
    /// <summary>Seconds per PRODML file (consecutive files join into continuous channels).</summary>
    public double FileSeconds { get; init; } = 60;
    public double SpacingM { get; init; } = 4;
    public ulong Seed { get; init; } = 1;
    public long StartNs { get; init; } = 1_704_067_200L * 1_000_000_000L; // 2024-01-01T00:00:00Z
    /// <summary>Chunks of one second × every channel, shuffle + deflate 1 (as some interrogators write); else contiguous.</summary>
    public bool Compressed { get; init; }
    /// <summary>Multiplies the event and vehicle rates.</summary>
    public double EventRate { get; init; } = 1;
}

/// <summary>
/// A synthetic DAS acquisition in PRODML 2.x files (time × locus int16 strain-rate counts, RawDataTime in µs) with its
/// truth per channel: coloured background noise; local events (earthquakes, icequakes) whose arrivals follow a
/// hyperbolic moveout along the fibre; vehicles driving along the road section of the fibre (a slow, narrow-band
/// signal moving from channel to channel); a noisy section near machinery (louder broadband noise and a hum); and a dead
/// channel (quantisation noise only). truth.csv has one row per channel and signal (class vehicle, event, noisy, dead).
/// Written block by block: memory stays at one second of rows whatever the duration. Same options, same bytes.
/// </summary>
public static class SyntheticDas
{
    private const double NoiseCounts = 20;

    private sealed record DasEvent(double OriginS, double X0, double DistanceM, double Velocity, double Amplitude, double FrequencyHz, double DecayS);
    private sealed record Vehicle(double StartS, double FromM, double Speed, double Amplitude, double FrequencyHz);

    public static SyntheticArchive.Result Generate(string outDir, DasSynthOptions o)
    {
        if (o.Channels is < 2 or > 100_000) throw new SeiscatException($"{Setting.Channels.Ref()} {o.Channels}: use 2..100000 channels");
        if (!(o.Rate >= 20) || o.Rate > 20_000) throw new SeiscatException($"{Setting.Rate.Ref()} {o.Rate}: use 20..20000 Hz");
        if (!(o.Minutes > 0) || o.Minutes > 7 * 24 * 60) throw new SeiscatException($"{Setting.Hours.Ref()}: use a positive duration up to a week");
        if (!(o.EventRate > 0) || o.EventRate > 100) throw new SeiscatException($"{Setting.EventRate.Ref()} {o.EventRate}: use a multiplier in (0, 100]");
        Directory.CreateDirectory(outDir);
        var fibre = Plant(o);
        var truth = Truth(o, fibre);
        var files = new List<string>();
        for (long first = 0; first < fibre.Total; first += fibre.PerFile) files.Add(WriteFile(outDir, o, fibre, first));
        return new SyntheticArchive.Result(files, SyntheticArchive.WriteTruth(outDir, truth), truth);
    }

    private const double VehicleHalfWidthM = 15;

    // What is planted along the fibre: the sections (road, noisy, dead channel), the events and vehicles, each channel's
    // phase, and the noise generator; drawn in this order from the seed.
    private sealed record Fibre(long Total, long PerFile, int Channels, (int First, int End) Road, (int First, int End) Noisy, int Dead, double Seconds,
        List<DasEvent> Events, List<Vehicle> Vehicles, double[] Phase, Xoshiro256 Noise, double SpacingM)
    {
        /// <summary>Each channel's AR(1) noise state, carried from file to file.</summary>
        public double[] Ar { get; } = new double[Channels];

        public bool IsNoisy(int ch) => ch >= Noisy.First && ch < Noisy.End;
        public bool OnRoad(int ch) => ch >= Road.First && ch < Road.End;

        // A vehicle's direction: from the road's start it drives up, from its end down.
        public double PassS(Vehicle v, int ch) => v.StartS + Math.Abs((ch - Road.First) * SpacingM - v.FromM) / v.Speed;
    }

    private static Fibre Plant(DasSynthOptions o)
    {
        var total = (long)Math.Round(o.Minutes * 60 * o.Rate);
        var n = o.Channels;
        var length = n * o.SpacingM;
        var road = (First: (int)(0.1 * n), End: (int)(0.5 * n));
        var noisy = (First: (int)(0.6 * n), End: Math.Max((int)(0.6 * n) + 1, (int)(0.66 * n)));
        var seconds = total / o.Rate;
        var rng = new Xoshiro256(o.Seed, 0xDA5);
        var events = new List<DasEvent>();
        for (var t = Exponential(rng, 3600 / (30 * o.EventRate)); t < seconds; t += Exponential(rng, 3600 / (30 * o.EventRate)))
            events.Add(new DasEvent(t, rng.Uniform(0, length), rng.Uniform(200, 1500), rng.Uniform(1500, 3000), NoiseCounts * Math.Exp(rng.Uniform(
                Math.Log(3), Math.Log(40))), Math.Min(rng.Uniform(12, 40), 0.3 * o.Rate), rng.Uniform(0.3, 1.0)));
        var vehicles = new List<Vehicle>();
        var roadLength = (road.End - road.First) * o.SpacingM;
        for (var t = Exponential(rng, 3600 / (12 * o.EventRate)); t < seconds; t += Exponential(rng, 3600 / (12 * o.EventRate)))
            vehicles.Add(new Vehicle(t, rng.NextDouble() < 0.5 ? 0 : roadLength, rng.Uniform(8, 25), NoiseCounts * rng.Uniform(4, 10),
                Math.Min(rng.Uniform(6, 20), 0.3 * o.Rate)));
        var phase = Enumerable.Range(0, n).Select(_ => rng.Uniform(0, 2 * Math.PI)).ToArray();
        return new Fibre(total, Math.Max(1, (long)Math.Round(o.FileSeconds * o.Rate)), n, road, noisy, n / 4 + 3, seconds, events, vehicles, phase,
            new Xoshiro256(o.Seed, 0xDA5, 1), o.SpacingM);
    }

    private static List<TruthEvent> Truth(DasSynthOptions o, Fibre f)
    {
        var truth = new List<TruthEvent>();
        long Ns(double s) => o.StartNs + (long)Math.Round(s * 1e9);
        for (var ch = 0; ch < f.Channels; ch++)
        {
            var id = Io.Layouts.DasMatrix.ChannelId(ch);
            if (ch == f.Dead) { truth.Add(new TruthEvent(o.StartNs, Ns(f.Seconds), "dead", id)); continue; }
            if (f.IsNoisy(ch)) { truth.Add(new TruthEvent(o.StartNs, Ns(f.Seconds), "noisy", id)); continue; }
            foreach (var e in f.Events)
            {
                var arrival = e.OriginS + Math.Sqrt(e.DistanceM * e.DistanceM + Math.Pow(ch * o.SpacingM - e.X0, 2)) / e.Velocity;
                if (arrival < f.Seconds) truth.Add(new TruthEvent(Ns(arrival), Ns(Math.Min(f.Seconds, arrival + 3 * e.DecayS)), "event", id));
            }
            if (f.OnRoad(ch))
                foreach (var v in f.Vehicles)
                {
                    var pass = f.PassS(v, ch);
                    var half = 2 * VehicleHalfWidthM / v.Speed;
                    if (pass - half < f.Seconds)
                        truth.Add(new TruthEvent(Ns(Math.Max(0, pass - half)), Ns(Math.Min(f.Seconds, pass + half)), "vehicle", id));
                }
        }
        return truth;
    }

    // One file of the acquisition from row `first`: PRODML 2.x, int16 strain-rate counts, written a second of rows at a
    // time; the noise state runs on across files.
    private static string WriteFile(string outDir, DasSynthOptions o, Fibre fibre, long first)
    {
        var blockRows = (int)Math.Max(1, Math.Round(o.Rate));
        var block = new short[blockRows * fibre.Channels];
        var column = new double[blockRows];
        var rows = Math.Min(fibre.PerFile, fibre.Total - first);
        var startNs = o.StartNs + (long)Math.Round(first * 1e9 / o.Rate);
        var path = Path.Combine(outDir, $"synth_das_{DateTime.UnixEpoch.AddTicks(startNs / 100):yyyy-MM-dd'T'HHmmss}.h5");
        using var output = new AtomicOutput(path);
        using (var file = H5File.Create(output.TempPath))
        {
            using var acquisition = file.CreateGroup("Acquisition");
            acquisition.WriteAttribute("schemaVersion", "2.0");
            acquisition.WriteAttribute("NumberOfLoci", (long)fibre.Channels);
            acquisition.WriteAttribute("StartLocusIndex", 0L);
            acquisition.WriteAttribute("SpatialSamplingInterval", o.SpacingM);
            acquisition.WriteAttribute("SpatialSamplingIntervalUnit", "m");
            acquisition.WriteAttribute("GaugeLength", 2.5 * o.SpacingM);
            acquisition.WriteAttribute("GaugeLengthUnit", "m");
            acquisition.WriteAttribute("MeasurementStartTime", TimeFormat.Iso(o.StartNs));
            acquisition.WriteAttribute("AcquisitionDescription", "seiscat synth --das: synthetic strain rate with truth.csv");
            using var raw = acquisition.CreateGroup("Raw[0]");
            raw.WriteAttribute("OutputDataRate", o.Rate);
            raw.WriteAttribute("NumberOfLoci", (long)fibre.Channels);
            raw.WriteAttribute("StartLocusIndex", 0L);
            raw.WriteAttribute("RawDescription", "strain rate, counts");
            var options = o.Compressed
                ? new H5DatasetOptions { ChunkDims = [Math.Min(blockRows, rows), fibre.Channels], Shuffle = true, DeflateLevel = 1 } : null;
            using var data = raw.CreateDataset<short>("RawData", [rows, fibre.Channels], options);
            data.WriteAttribute("Dimensions", "time, locus");
            data.WriteAttribute("PartStartTime", TimeFormat.Iso(startNs));
            data.WriteAttribute("PartEndTime", TimeFormat.Iso(o.StartNs + (long)Math.Round((first + rows - 1) * 1e9 / o.Rate)));
            for (long r0 = 0; r0 < rows; r0 += blockRows)
            {
                var m = (int)Math.Min(blockRows, rows - r0);
                var t0 = (first + r0) / o.Rate;
                for (var ch = 0; ch < fibre.Channels; ch++)
                {
                    var col = column.AsSpan(0, m);
                    Noise(fibre.Noise, ref fibre.Ar[ch], col, ch == fibre.Dead ? 0.02 : fibre.IsNoisy(ch) ? 6 : 1);
                    if (fibre.IsNoisy(ch))
                        for (var i = 0; i < m; i++) col[i] += 3 * NoiseCounts * Math.Sin(2 * Math.PI * 0.29 * o.Rate * (t0 + i / o.Rate) + fibre.Phase[ch]);
                    if (ch != fibre.Dead)
                    {
                        foreach (var e in fibre.Events) AddEvent(e, ch * o.SpacingM, t0, o.Rate, col);
                        if (fibre.OnRoad(ch))
                            foreach (var v in fibre.Vehicles) AddVehicle(v, fibre.PassS(v, ch), VehicleHalfWidthM, fibre.Phase[ch], t0, o.Rate, col);
                    }
                    for (var i = 0; i < m; i++) block[i * fibre.Channels + ch] = (short)Math.Clamp(Math.Round(col[i]), short.MinValue, short.MaxValue);
                }
                data.WriteHyperslab<short>(block.AsSpan(0, m * fibre.Channels), [r0, 0], [m, fibre.Channels]);
            }
            var times = new long[rows];
            for (var i = 0; i < rows; i++) times[i] = (o.StartNs + (long)Math.Round((first + i) * 1e9 / o.Rate)) / 1000;
            raw.WriteDataset<long>("RawDataTime", times, [rows]);
        }
        output.Commit();
        return path;
    }

    private static double Exponential(Xoshiro256 rng, double mean) => -mean * Math.Log(rng.NextDouble());

    // AR(1) noise (a red background like the microseism-dominated strain rate of a quiet fibre); each innovation is the sum
    // of four 16-bit uniforms of one draw (nearly Gaussian, one draw per sample).
    private static void Noise(Xoshiro256 rng, ref double state, Span<double> x, double scale)
    {
        const double Pole = 0.7;
        var gain = scale * NoiseCounts * Math.Sqrt(1 - Pole * Pole) / (65536 / Math.Sqrt(3));
        for (var i = 0; i < x.Length; i++)
        {
            var u = rng.NextUInt64();
            var e = (double)((long)(u & 0xFFFF) + (long)((u >> 16) & 0xFFFF) + (long)((u >> 32) & 0xFFFF) + (long)(u >> 48) - 131070);
            state = Pole * state + gain * e;
            x[i] = state;
        }
    }

    // A local event at this channel: onset at the hyperbolic arrival, a decaying oscillation with a 20 ms rise.
    private static void AddEvent(DasEvent e, double x, double t0, double rate, Span<double> col)
    {
        var r = Math.Sqrt(e.DistanceM * e.DistanceM + (x - e.X0) * (x - e.X0));
        var arrival = e.OriginS + r / e.Velocity;
        var end = arrival + 6 * e.DecayS;
        if (end < t0 || arrival > t0 + col.Length / rate) return;
        var amplitude = e.Amplitude * e.DistanceM / r;
        var from = Math.Max(0, (int)Math.Ceiling((arrival - t0) * rate));
        var to = Math.Min(col.Length, (int)Math.Ceiling((end - t0) * rate));
        for (var i = from; i < to; i++)
        {
            var tau = t0 + i / rate - arrival;
            col[i] += amplitude * Math.Exp(-tau / e.DecayS) * (1 - Math.Exp(-tau / 0.02)) * Math.Sin(2 * Math.PI * e.FrequencyHz * tau);
        }
    }

    // A vehicle passing this channel at passS: tyre and engine noise (a modulated tone) and the quasi-static strain of its
    // weight, both shaped by its distance to the channel.
    private static void AddVehicle(Vehicle v, double passS, double halfWidthM, double phase, double t0, double rate, Span<double> col)
    {
        var half = 4 * halfWidthM / v.Speed;
        if (passS + half < t0 || passS - half > t0 + col.Length / rate) return;
        var from = Math.Max(0, (int)Math.Floor((passS - half - t0) * rate));
        var to = Math.Min(col.Length, (int)Math.Ceiling((passS + half - t0) * rate));
        for (var i = from; i < to; i++)
        {
            var t = t0 + i / rate;
            var d = (t - passS) * v.Speed / halfWidthM;
            var shape = Math.Exp(-d * d);
            col[i] += v.Amplitude * shape * (Math.Sin(2 * Math.PI * v.FrequencyHz * t + phase) * (1 + 0.5 * Math.Sin(2 * Math.PI * 1.7 * t)) - 1.5 * d);
        }
    }
}
