using System.CommandLine;
using System.Globalization;
using Seiscat.Engine;
using Seiscat.Engine.Pipeline;
using Seiscat.Engine.Scattering;
using Seiscat.Engine.Signal;
using Seiscat.Engine.Windows;

namespace Seiscat.Cli.Commands;

/// <summary>The options of `features`, shared with `run` (which is one process: no shard options).</summary>
internal sealed class FeaturesOptionSet(bool sharded = true)
{
    public readonly ArchiveOptions Archive = new();
    public readonly Option<string?> Config = new("--config")
    {
        Description = "scattering configuration JSON (default: scatseisnet's tutorial banks " +
        "(6,4,2)+(6,1,2), average pooling, 10 % taper, at the archive's rate)"
    };
    public readonly Option<string?> Bank = new("--bank")
    {
        Description = "a learned wavelet bank (bank.h5 from `seiscat learn`): the paper network it describes instead of --config"
    };
    public readonly Option<string?> ScatterPath = new("--path")
    {
        Description = "exact: full-length FFTs, scatseisnet's numbers (the reference); fast: every convolution over its " +
        "filter's band only, decimated (README \"Fast path\": accuracy and speed); default: the config's \"path\", else exact"
    };
    public readonly Option<string?> Window = new("--window") { Description = "window length (default: bins / sampling_rate of the config, else 40s)" };
    public readonly Option<string?> Step = new("--step") { Description = "step between windows (default: half the window)" };
    public readonly Option<string> Gaps = new("--gaps")
    {
        Description = "skip: only windows fully covered by every component; zero-fill: windows " +
        "at least half covered, missing samples zero (gap_fraction records how many)",
        DefaultValueFactory = _ => "skip"
    };
    public readonly Option<string> Detrend = new("--detrend") { Description = "none | demean | linear", DefaultValueFactory = _ => "demean" };
    public readonly Option<double?> Highpass = new("--highpass") { Description = "Butterworth high-pass corner (Hz), zero-phase" };
    public readonly Option<string?> Bandpass = new("--bandpass") { Description = "Butterworth band-pass corners, e.g. 1-10 (Hz), zero-phase" };
    public readonly Option<int> Order = new("--filter-order") { Description = "Butterworth order", DefaultValueFactory = _ => 4 };
    public readonly Option<int?> Decimate = new("--decimate")
    {
        Description = "integer decimation factor (anti-alias filtered); default: archive " +
        "rate / config rate when that is an integer"
    };
    public readonly Option<string?> Components = new("--components") { Description = "keep only these component codes, e.g. Z or ENZ" };
    public readonly Option<string> Unit = new("--unit")
    {
        Description = "what a feature row describes: station (its components together), channel (each channel alone: stations with " +
        "different component sets share one model) or auto (station when all stations have as many components, else channel)",
        DefaultValueFactory = _ => "auto"
    };
    public readonly Option<string> Gain = new("--gain")
    {
        Description = "none: samples as stored (counts); stationxml: divided by each channel's StationXML sensitivity (ASDF), so " +
        "broadband and strong-motion amplitudes are comparable",
        DefaultValueFactory = _ => "none"
    };
    public readonly Option<int> Threads = ThreadsOption.Create();
    public readonly ShardOptions Shards = new();
    public readonly Option<string> Memory = MemoryOption.Create();
    public readonly Option<int> Checkpoint = new("--checkpoint-windows")
    {
        Description = "windows per checkpoint part: a killed run resumes from " +
        "the last finished part",
        DefaultValueFactory = _ => 8192
    };
    public readonly Option<string> Fftw = new("--fftw")
    {
        Description = "FFTW planner effort: estimate | measure | patient (patient plans once per " +
        "machine and configuration, ~10 s, kept in ~/.cache/seiscat)",
        DefaultValueFactory = _ => "patient"
    };

    public void AddTo(Command c)
    {
        Archive.AddTo(c);
        foreach (var o in new Option[] { Config, Bank, ScatterPath, Window, Step, Gaps, Detrend, Highpass, Bandpass, Order, Decimate, Components, Unit, Gain,
            Threads, Fftw,
            Checkpoint, Memory }) c.Options.Add(o);
        if (sharded) Shards.AddTo(c);
    }

    public FeaturesRequest Read(ParseResult p)
    {
        var pre = new PreprocessOptions
        {
            Detrend = p.GetValue(Detrend)!.ToLowerInvariant() switch
            {
                "none" => DetrendKind.None,
                "demean" => DetrendKind.Demean,
                "linear" => DetrendKind.Linear,
                var other => throw new SeiscatException($"--detrend {other}: use none, demean or linear"),
            },
            FilterOrder = p.GetValue(Order),
        };
        if (p.GetValue(Bandpass) is { } bp)
        {
            var parts = bp.Split('-');
            if (parts.Length != 2 || !double.TryParse(parts[0], CultureInfo.InvariantCulture, out var lo) || !double.TryParse(parts[1],
                CultureInfo.InvariantCulture, out var hi))
                throw new SeiscatException($"--bandpass '{bp}' must be LOW-HIGH in Hz, e.g. 1-10");
            pre = pre with { Filter = FilterKind.Bandpass, FilterLowHz = lo, FilterHighHz = hi };
        }
        else if (p.GetValue(Highpass) is { } hp) pre = pre with { Filter = FilterKind.Highpass, FilterLowHz = hp };
        var (shard, shards) = sharded ? Shards.Read(p) : (0, 1);
        return new FeaturesRequest
        {
            Paths = p.GetValue(Archive.Paths)!,
            Layout = Archive.Read(p),
            ConfigPath = p.GetValue(Config),
            BankPath = p.GetValue(Bank),
            ScatterPath = p.GetValue(ScatterPath) is { } sp ? ScatteringConfig.ParsePath(sp)
                ?? throw new SeiscatException($"--path {sp}: use exact or fast") : null,
            WindowSeconds = p.GetValue(Window) is { } w ? TimeFormat.ParseSeconds(w, "--window") : null,
            StepSeconds = p.GetValue(Step) is { } s ? TimeFormat.ParseSeconds(s, "--step") : null,
            Gaps = p.GetValue(Gaps) switch
            {
                "skip" => GapPolicy.Skip,
                "zero-fill" => GapPolicy.ZeroFill,
                var other => throw new SeiscatException($"--gaps {other}: use skip or zero-fill"),
            },
            Preprocess = pre,
            Decimation = p.GetValue(Decimate),
            Components = p.GetValue(Components),
            Gain = p.GetValue(Gain)!.ToLowerInvariant() switch
            {
                "none" => GainRemoval.None,
                "stationxml" => GainRemoval.StationXml,
                var other => throw new SeiscatException($"--gain {other}: use none or stationxml"),
            },
            Unit = p.GetValue(Unit)!.ToLowerInvariant() switch
            {
                "auto" => ClusterUnit.Auto,
                "station" => ClusterUnit.Station,
                "channel" => ClusterUnit.Channel,
                var other => throw new SeiscatException($"--unit {other}: use auto, station or channel"),
            },
            Threads = ThreadsOption.Read(p, Threads),
            Effort = CliOptions.Effort(p.GetValue(Fftw)!),
            ShardIndex = shard,
            ShardCount = shards,
            Memory = MemoryOption.Read(p, Memory),
            CheckpointWindows = p.GetValue(Checkpoint) is var cw && cw >= 64 ? cw : throw new SeiscatException($"--checkpoint-windows {cw}: use at least 64"),
        };
    }
}
