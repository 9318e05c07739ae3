using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Seiscat.Engine;
using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Storage;
using Seiscat.Engine.Io.Writers;
using Seiscat.Engine.Pipeline;
using Seiscat.Engine.Scattering;
using Seiscat.Engine.Signal;
using Seiscat.Native.Fftw;

namespace Seiscat.Cli.Commands;

internal static class FeaturesCommand
{
    public static Command Create()
    {
        var command = new Command("features", "Stream an archive through preprocessing and the scattering network into features.h5 (one row per window and station).");
        var archive = new ArchiveOptions();
        archive.AddTo(command);
        var config = new Option<string?>("--config") { Description = "scattering configuration JSON (default: scatseisnet's tutorial banks (6,4,2)+(6,1,2), median pooling, at the archive's rate)" };
        var output = new Option<string>("--out") { Description = "output features.h5", Required = true };
        var window = new Option<string?>("--window") { Description = "window length (default: bins / sampling_rate of the config, else 40s)" };
        var step = new Option<string?>("--step") { Description = "step between windows (default: half the window)" };
        var gaps = new Option<string>("--gaps") { Description = "skip: only windows fully covered by every component; zero-fill: windows across gaps shorter than a window, missing samples zero (gap_fraction records how many)", DefaultValueFactory = _ => "skip" };
        var detrend = new Option<string>("--detrend") { Description = "none | demean | linear", DefaultValueFactory = _ => "demean" };
        var highpass = new Option<double?>("--highpass") { Description = "Butterworth high-pass corner (Hz), zero-phase" };
        var bandpass = new Option<string?>("--bandpass") { Description = "Butterworth band-pass corners, e.g. 1-10 (Hz), zero-phase" };
        var order = new Option<int>("--filter-order") { Description = "Butterworth order", DefaultValueFactory = _ => 4 };
        var decimate = new Option<int?>("--decimate") { Description = "integer decimation factor (anti-alias filtered); default: archive rate / config rate when that is an integer" };
        var components = new Option<string?>("--components") { Description = "keep only these component codes, e.g. Z or ENZ" };
        var threads = new Option<int>("--threads") { Description = "worker threads (default: all cores)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var fftw = new Option<string>("--fftw") { Description = "FFTW planner effort: estimate | measure | patient (patient plans once per machine and configuration, ~10 s, kept in ~/.cache/seiscat)", DefaultValueFactory = _ => "patient" };
        foreach (var o in new Option[] { config, output, window, step, gaps, detrend, highpass, bandpass, order, decimate, components, threads, fftw }) command.Options.Add(o);
        command.SetAction(p =>
        {
            var err = p.InvocationConfiguration.Error;
            var a = ArchiveScanner.Open(p.GetValue(archive.Paths)!, archive.Read(p));
            if (p.GetValue(components) is { } keep) a = KeepComponents(a, keep);
            var rate = a.Stations[0].Pieces[0][0].Rate;

            var warnings = new List<string>();
            var windowSeconds = p.GetValue(window) is { } ws ? TimeFormat.ParseSeconds(ws, "--window") : (double?)null;
            ScatteringConfig cfg;
            if (p.GetValue(config) is { } path) cfg = ScatteringConfig.Load(path, warnings);
            else
            {
                var seconds = windowSeconds ?? 40;
                cfg = ScatteringConfig.Parse(string.Create(CultureInfo.InvariantCulture,
                    $"{{\"sampling_rate\": {rate}, \"bins\": {(int)Math.Round(seconds * rate)}, \"layers\": [{{\"octaves\": 6, \"resolution\": 4, \"quality\": 2}}, {{\"octaves\": 6, \"resolution\": 1, \"quality\": 2}}], \"pooling\": \"median\"}}"));
            }
            foreach (var w in warnings) err.WriteLine("seiscat: warning: " + w);

            var q = p.GetValue(decimate) ?? InferDecimation(rate, cfg.SamplingRate);
            var windowRaw = cfg.Bins * q;
            if (windowSeconds is { } wsec && Math.Abs(wsec * rate - windowRaw) > 0.5)
                throw new SeiscatException(string.Create(CultureInfo.InvariantCulture,
                    $"--window {wsec} s is {wsec * rate:0} samples at {rate} Hz, but the configuration needs {cfg.Bins} samples at {cfg.SamplingRate} Hz (×{q} decimation = {windowRaw}); change --window or the config's bins"));
            var stepSeconds = p.GetValue(step) is { } ss ? TimeFormat.ParseSeconds(ss, "--step") : windowRaw / rate / 2;
            var pre = new PreprocessOptions
            {
                Detrend = p.GetValue(detrend)!.ToLowerInvariant() switch
                {
                    "none" => DetrendKind.None, "demean" => DetrendKind.Demean, "linear" => DetrendKind.Linear,
                    var other => throw new SeiscatException($"--detrend {other}: use none, demean or linear"),
                },
                FilterOrder = p.GetValue(order),
                Decimation = q,
            };
            if (p.GetValue(bandpass) is { } bp)
            {
                var parts = bp.Split('-');
                if (parts.Length != 2 || !double.TryParse(parts[0], CultureInfo.InvariantCulture, out var lo) || !double.TryParse(parts[1], CultureInfo.InvariantCulture, out var hi))
                    throw new SeiscatException($"--bandpass '{bp}' must be LOW-HIGH in Hz, e.g. 1-10");
                pre = pre with { Filter = FilterKind.Bandpass, FilterLowHz = lo, FilterHighHz = hi };
            }
            else if (p.GetValue(highpass) is { } hp) pre = pre with { Filter = FilterKind.Highpass, FilterLowHz = hp };
            var policy = p.GetValue(gaps) switch
            {
                "skip" => GapPolicy.Skip, "zero-fill" => GapPolicy.ZeroFill,
                var other => throw new SeiscatException($"--gaps {other}: use skip or zero-fill"),
            };

            var stations = ArchiveWindows.Stations(a);
            foreach (var st in a.Stations)
            {
                var r = st.Pieces[0][0].Rate;
                if (Math.Abs(r - cfg.SamplingRate * q) > 1e-6 * r)
                    throw new SeiscatException($"{st.StationId} is sampled at {r} Hz but the configuration expects {cfg.SamplingRate} Hz × decimation {q}; set --decimate or the config's sampling_rate, or select stations");
            }
            var channels = a.Stations[0].ChannelIds.Count;
            var plan = new WindowPlan(stations, windowRaw, (long)Math.Round(stepSeconds * 1e9), policy);
            var effort = CliOptions.Effort(p.GetValue(fftw)!);
            var scattering = FftwPlan.WithWisdom(() => new ScatteringPlan(cfg, effort));
            if (cfg.Pooling == Pooling.None) throw new SeiscatException("pooling \"none\" gives scalograms, not feature rows; use avg, max or median for features (or `seiscat scatter` for scalograms)");
            var meta = scattering.CoefficientsFor(channels).ToList();
            var columns = new FeatureColumns(meta.Select(m => m.Order).ToArray(), meta.Select(m => m.Channel).ToArray(), meta.Select(m => m.J1).ToArray(),
                meta.Select(m => m.J2).ToArray(), meta.Select(m => m.F1Hz).ToArray(), meta.Select(m => m.F2Hz).ToArray());

            var clock = System.Diagnostics.Stopwatch.StartNew();
            using var storage = new ArchiveStorage();
            long done;
            using (var writer = new FeaturesWriter(p.GetValue(output)!, columns, a.Stations.Select(s => s.StationId).ToList(), cfg.ToJson(),
                       (long)Math.Round(windowRaw * 1e9 / rate), plan.StepNs))
            {
                writer.SetProvenance(pre.Describe(), policy == GapPolicy.Skip ? "skip" : "zero-fill", a.Layout,
                    JsonSerializer.Serialize(a.Files), a.Stations.Select(s => string.Join(",", s.ChannelIds)).ToList(), effort.ToString().ToLowerInvariant());
                done = FeatureExtraction.Run(plan, channels, cfg.Bins, new ArchiveWindows.Source(a, storage), pre,
                    () => new ScatteringTransform(scattering), columns.Count, writer,
                    new FeatureExtraction.Options(Math.Max(1, p.GetValue(threads))), new ProgressLine(err, "features", "windows"));
                writer.Complete();
            }
            var secs = clock.Elapsed.TotalSeconds;
            p.InvocationConfiguration.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {p.GetValue(output)}: {done} windows × {columns.Count} features from {a.Stations.Count} station(s) in {secs:0.0} s ({done / Math.Max(secs, 1e-9):0} windows/s); {pre.Describe()}"));
            return 0;
        });
        return command;
    }

    private static int InferDecimation(double archiveRate, double configRate)
    {
        var ratio = archiveRate / configRate;
        var q = (int)Math.Round(ratio);
        if (q >= 1 && Math.Abs(ratio - q) < 1e-6) return q;
        throw new SeiscatException(string.Create(CultureInfo.InvariantCulture,
            $"the archive is sampled at {archiveRate} Hz and the configuration at {configRate} Hz, which is not an integer ratio; set the config's sampling_rate to {archiveRate} or a divisor of it"));
    }

    private static Archive KeepComponents(Archive a, string codes)
    {
        var stations = a.Stations.Select(s =>
        {
            var keep = s.ChannelIds.Select((id, i) => (id, i)).Where(x => codes.Contains(x.id[^1])).ToList();
            return s with { ChannelIds = keep.Select(k => k.id).ToList(), Pieces = keep.Select(k => s.Pieces[k.i]).ToList() };
        }).Where(s => s.ChannelIds.Count > 0).ToList();
        if (stations.Count == 0) throw new SeiscatException($"--components {codes}: no channel has one of these component codes");
        return a with { Stations = stations };
    }
}
