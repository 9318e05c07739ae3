using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Seiscat.Engine.Benchmarks;
using Seiscat.Engine.Scattering;
using Seiscat.Native.Fftw;

namespace Seiscat.Cli.Commands;

internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Throughput measurements of the engine on this machine.");
        foreach (var sub in new[] { Scatter(), Paper(), Gmm(), Match(), Das() }) command.Subcommands.Add(sub);
        return command;
    }

    // scatseisnet's tutorial network exactly as scatseisnet runs it (the history in docs/speed.md is measured on it).
    private static ScatteringConfig Tutorial() => ScatteringConfig.Parse("{\"sampling_rate\": 50, \"bins\": 2000, \"layers\": [{\"octaves\": 6, " +
        "\"resolution\": 4, \"quality\": 2}, {\"octaves\": 6, \"resolution\": 1, \"quality\": 2}], \"pooling\": \"median\", " +
        "\"taper_alpha\": null, \"statistics\": []}");

    private static Command Scatter()
    {
        var scatter = new Command("scatter", "Windows per second through the scattering network (random windows, no I/O).");
        var config = new Option<string?>("--config")
        {
            Description = "configuration JSON (default: scatseisnet's tutorial: 50 Hz, 2000 bins, " +
            "(6,4,2)+(6,1,2), median, untapered, no statistics; `features`' own default: 'features' as the value)"
        };
        var channels = new Option<int>("--channels") { Description = "channels per window", DefaultValueFactory = _ => 3 };
        var threads = new Option<int[]>("--threads")
        {
            Description = "thread counts to measure, e.g. --threads 1 2",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => [1, Environment.ProcessorCount]
        };
        var seconds = new Option<double>("--seconds") { Description = "measurement time per thread count", DefaultValueFactory = _ => 5 };
        var effort = new Option<string>("--fftw") { Description = "FFTW planner effort: estimate | measure | patient", DefaultValueFactory = _ => "patient" };
        var json = new Option<bool>("--json") { Description = "print JSON" };
        var path = new Option<string>("--path")
        {
            Description = "exact | fast | both (both: the two paths in one run, and their ratio)",
            DefaultValueFactory = _ => "exact"
        };
        foreach (var o in new Option[] { path, config, channels, threads, seconds, effort, json }) scatter.Options.Add(o);
        scatter.SetAction(p =>
        {
            // The tutorial network, or the one `features` runs by default on a 50 Hz archive (avg pooling, taper, max statistic).
            var cfg = p.GetValue(config) switch
            {
                "features" => Seiscat.Engine.Scattering.ScatteringConfig.Default(50, 40),
                { } path => ScatteringConfig.Load(path),
                null => Tutorial(),
            };
            var fftw = CliOptions.Effort(p.GetValue(effort)!);
            var paths = p.GetValue(path)!.ToLowerInvariant() == "both" ? [ScatteringPath.Exact, ScatteringPath.Fast]
                : new[] { ScatteringConfig.ParsePath(p.GetValue(path)!) ?? throw new Seiscat.Engine.SeiscatException("--path: use exact, fast or both") };
            // Both paths alternate in five rounds each, so a noisy machine slows both alike and the ratio holds.
            var rounds = paths.Length > 1 ? 5 : 1;
            var results = FftwPlan.WithWisdom(() => p.GetValue(threads)!.Distinct().SelectMany(t =>
            {
                var perRound = Enumerable.Range(0, rounds).SelectMany(_ => paths.Select(sp => ScatteringBenchmark.Run(cfg with { Path = sp },
                    p.GetValue(channels), Math.Max(1, t), p.GetValue(seconds) / rounds, fftw))).ToList();
                return paths.Select((sp, i) => ScatteringBenchmark.Combine(perRound.Where((_, r) => r % paths.Length == i).ToList()));
            }).ToList());
            var o = p.InvocationConfiguration.Output;
            if (p.GetValue(json))
            {
                o.WriteLine(JsonSerializer.Serialize(results, CliJson.Default.ListScatterBenchResult));
                return 0;
            }
            o.WriteLine($"config {cfg.ToJson()}; {p.GetValue(channels)} channels; kernels {results[0].KernelPath}; FFTW {fftw.ToString().ToLowerInvariant()}");
            o.WriteLine($"{"path",5} {"threads",7} {"windows/s",10} {"ch-samples/s",13} {"in FFTW",8} {"B/window",9} {"vs exact, 1 thread",19}");
            foreach (var r in results)
                o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{r.Path,5} {r.Threads,7} {r.WindowsPerSecond,10:0.0} {r.ChannelSamplesPerSecond / 1e6,12:0.00}M {r.FftShare,8:P0} " +
                        $"{r.BytesPerWindow,9:0.0} {r.WindowsPerSecond / results[0].WindowsPerSecond,18:0.00}x"));
            return 0;
        });
        return scatter;
    }

    private static Command Paper()
    {
        var paper = new Command("paper",
            "The paper's learnable network (one thread): windows/s forward, forward + backward, and the Morlet exact path per input sample.");
        var paperConfig = new Option<string?>("--config") { Description = "paper network configuration (default: docs/paper.json's network at 50 Hz)" };
        var paperChannels = new Option<int>("--channels") { Description = "channels per window", DefaultValueFactory = _ => 3 };
        var paperSeconds = new Option<double>("--seconds") { Description = "measurement time per network", DefaultValueFactory = _ => 10 };
        foreach (var o in new Option[] { paperConfig, paperChannels, paperSeconds }) paper.Options.Add(o);
        paper.SetAction(p =>
        {
            var cfg = p.GetValue(paperConfig) is { } file ? Seiscat.Engine.Scattering.Paper.PaperConfig.Load(file)
                : Seiscat.Engine.Scattering.Paper.PaperConfig.Published(50);
            var c = p.GetValue(paperChannels);
            var r = FftwPlan.WithWisdom(() => PaperBenchmark.Run(cfg, c, p.GetValue(paperSeconds),
                FftwEffort.Patient));
            // The exact Morlet path on the tutorial network, in the same process, per input sample.
            var exact = FftwPlan.WithWisdom(() => ScatteringBenchmark.Run(Tutorial(), c, 1, p.GetValue(paperSeconds) / 2, FftwEffort.Patient));
            var o = p.InvocationConfiguration.Output;
            o.WriteLine($"paper network {cfg.ToJson()}; {c} channels; 1 thread");
            var ci = CultureInfo.InvariantCulture;
            o.WriteLine(string.Create(ci, $"forward (float32, FFTW; features):   {r.ForwardWindowsPerSecond,9:0.0} windows/s  ") +
                string.Create(ci, $"{r.ForwardChannelSamplesPerSecond / 1e6,6:0.000} M channel-samples/s"));
            o.WriteLine(string.Create(ci, $"forward (double; learn):             {r.DoubleForwardWindowsPerSecond,9:0.0} windows/s"));
            o.WriteLine(string.Create(ci, $"forward + backward (double; learn):  {r.TrainWindowsPerSecond,9:0.0} windows/s  ") +
                string.Create(ci, $"({r.TrainOverForward:0.00}× the double forward time; + {r.FilterBackwardMilliseconds:0.0} ms per batch for the spline ") +
                "parameters)");
            o.WriteLine(string.Create(ci, $"Morlet exact path (tutorial, 2000 bins): {exact.WindowsPerSecond,9:0.0} windows/s  ") +
                string.Create(ci, $"{exact.ChannelSamplesPerSecond / 1e6,6:0.000} M channel-samples/s  → paper forward / exact per input sample: ") +
                string.Create(ci, $"{r.ForwardChannelSamplesPerSecond / exact.ChannelSamplesPerSecond:0.00}"));
            return 0;
        });
        return paper;
    }

    private static Command Gmm()
    {
        var gmm = new Command("gmm",
            "Gaussian mixture: EM fit time (n × d, k clusters, fixed iterations) and scoring rows/s (all cores; DOTNET_PROCESSOR_COUNT=1 for one).");
        var n = new Option<int>("--samples") { DefaultValueFactory = _ => 100_000 };
        var d = new Option<int>("--dims") { DefaultValueFactory = _ => 10 };
        var k = new Option<int>("--clusters") { DefaultValueFactory = _ => 10 };
        var it = new Option<int>("--iterations") { DefaultValueFactory = _ => 100 };
        var cov = new Option<string>("--covariance") { DefaultValueFactory = _ => "full" };
        var gjson = new Option<bool>("--json");
        foreach (var o in new Option[] { n, d, k, it, cov, gjson }) gmm.Options.Add(o);
        gmm.SetAction(p =>
        {
            var r = MixtureBenchmark.Run(p.GetValue(n), p.GetValue(d), p.GetValue(k), p.GetValue(it),
                Enum.TryParse<Seiscat.Engine.Mixture.CovarianceType>(p.GetValue(cov), true,
                    out var t) ? t : throw new Seiscat.Engine.SeiscatException("--covariance: full, diag, tied or spherical"));
            var o = p.InvocationConfiguration.Output;
            if (p.GetValue(gjson))
            {
                o.WriteLine(JsonSerializer.Serialize(r, CliJson.Default.MixtureBenchResult)); return 0;
            }
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"GMM {r.Covariance}, n = {r.Samples}, d = {r.Dimensions}, k = {r.Clusters}: {r.Iterations} EM iterations in {r.FitSeconds:0.000} " +
                    $"s ({r.FitSeconds / r.Iterations * 1000:0.0} ms/iteration); scoring {r.PredictRowsPerSecond / 1e6:0.00} M rows/s; " +
                        $"{Environment.ProcessorCount} thread(s) (DOTNET_PROCESSOR_COUNT=1 for one)"));
            return 0;
        });
        return gmm;
    }

    private static Command Match()
    {
        var match = new Command("match",
            "Template matching: normalised correlation throughput (template-seconds × data-seconds per second) on random data; compare with " +
                "bench/match/compare.sh.");
        var templates = new Option<int>("--templates") { DefaultValueFactory = _ => 8 };
        var length = new Option<double>("--template-seconds") { DefaultValueFactory = _ => 20 };
        var rate = new Option<double>("--rate") { DefaultValueFactory = _ => 100 };
        var comps = new Option<int>("--components") { DefaultValueFactory = _ => 3 };
        var hours = new Option<double>("--hours") { DefaultValueFactory = _ => 1 };
        var mthreads = new Option<int>("--threads") { DefaultValueFactory = _ => 1 };
        var mjson = new Option<bool>("--json");
        foreach (var o in new Option[] { templates, length, rate, comps, hours, mthreads, mjson }) match.Options.Add(o);
        match.SetAction(p =>
        {
            var r = MatchBenchmark.Run(p.GetValue(templates), p.GetValue(length), p.GetValue(rate), p.GetValue(comps),
                p.GetValue(hours) * 3600, Math.Max(1, p.GetValue(mthreads)));
            var o = p.InvocationConfiguration.Output;
            if (p.GetValue(mjson))
            {
                o.WriteLine(JsonSerializer.Serialize(r, CliJson.Default.MatchBenchResult)); return 0;
            }
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"match: {r.Templates} templates × {r.Components} components of {r.TemplateSeconds} s at {r.Rate} Hz over {r.DataSeconds / 3600:0.##} h, " +
                    $"{r.Threads} thread(s): {r.Seconds:0.000} s per pass, {r.TemplateDataSecondsPerSecond:0.###e0} template-s × data-s per s " +
                        $"({r.TemplateDataSecondsPerSecond / r.Threads:0.###e0} per thread), {r.DirectShare:P2} of lags recomputed directly"));
            return 0;
        });
        return match;
    }

    private static Command Das()
    {
        var das = new Command("das",
            "DAS reading: GB/s from the files to per-channel float32 windows, through the transposing block reader and one channel at a time " +
                "(mapped, and libhdf5 hyperslabs); write an archive with `seiscat synth --das`.");
        var dasPaths = new Argument<string[]>("paths") { Description = "DAS files or folders", Arity = ArgumentArity.OneOrMore };
        var dasWindow = new Option<double>("--window") { Description = "window length (s)", DefaultValueFactory = _ => 10 };
        var dasThreads = new Option<int>("--threads") { DefaultValueFactory = _ => 1 };
        var budget = new Option<double>("--budget") { Description = "seconds per method at most", DefaultValueFactory = _ => 20 };
        var dasJson = new Option<bool>("--json");
        das.Arguments.Add(dasPaths);
        foreach (var o in new Option[] { dasWindow, dasThreads, budget, dasJson }) das.Options.Add(o);
        das.SetAction(p =>
        {
            var r = DasReadBenchmark.Run(p.GetValue(dasPaths)!, new(), p.GetValue(dasWindow), Math.Max(1, p.GetValue(dasThreads)),
                p.GetValue(budget));
            var o = p.InvocationConfiguration.Output;
            if (p.GetValue(dasJson))
            {
                o.WriteLine(JsonSerializer.Serialize(r, CliJson.Default.DasReadBenchResult)); return 0;
            }
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"das: {r.Channels} channels at {r.Rate} Hz, {r.SampleType}, {r.Storage}, {r.ArchiveBytes / 1e9:0.00} GB; {r.WindowSamples}-sample windows, " +
                    $"{r.Threads} thread(s)"));
            var block = r.Methods[0].GigabytesPerSecond;
            foreach (var m in r.Methods)
            {
                var ratio = m == r.Methods[0] ? "" : string.Create(CultureInfo.InvariantCulture, $"  block is {block / m.GigabytesPerSecond:0.0}×");
                o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {m.Name,-28} {m.GigabytesPerSecond,8:0.000} GB/s  {m.WindowsPerSecond,10:0} windows/s") +
                    string.Create(CultureInfo.InvariantCulture, $"  ({m.Bytes / 1e9:0.00} GB in {m.Seconds:0.0} s)") + ratio);
            }
            return 0;
        });
        return das;
    }
}
