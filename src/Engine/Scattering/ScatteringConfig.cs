using Seiscat.Native.Fftw;
using Seiscat.Engine.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Seiscat.Engine.Scattering;

public enum Pooling { Mean, Max, Median, None }

public enum WaveletNormalization { None, L1, L2 }

/// <summary>How the convolutions are computed: full-length FFTs (scatseisnet-exact, the reference) or band-limited and decimated.</summary>
public enum ScatteringPath { Exact, Fast }

/// <summary>One filter bank: J = octaves × resolution wavelets, centre frequencies from Nyquist down by 2^(−1/resolution).</summary>
public sealed record LayerConfig(int Octaves, int Resolution, double Quality, WaveletNormalization Normalize = WaveletNormalization.None)
{
    public int Filters => Octaves * Resolution;
}

/// <summary>
/// The network's configuration, with scatseisnet's names (the fixtures' `config` attribute uses them):
/// <c>{"sampling_rate": 50, "bins": 2000, "layers": [{"octaves": 6, "resolution": 4, "quality": 2}, …],
/// "pooling": "median", "taper_alpha": null}</c>; <c>segment_samples</c> is accepted for bins and
/// <c>normalize_wavelet</c> ("L1"/"L2"/null) per layer. seiscat adds <c>"statistics"</c>: further poolings of every
/// first-order path computed in the same pass (default ["avg", "max"]: their ratio is how transient the band is, the
/// amplitude-free contrast the default features are built on; only ["max"] when the pooling is avg over a taper's
/// flat part, which is the avg statistic already; [] for none). Unlike scatseisnet, a configuration
/// without <c>"taper_alpha"</c> gets a 10 % Tukey taper (<see cref="DefaultTaperAlpha"/>): untapered windows join end to
/// start in the circular convolution and that seam's response sits in every band's maximum (issue 12: ARI 0.33
/// against 0.90 on the labelled real windows). <c>"taper_alpha": null</c> asks for scatseisnet's untapered transform.
/// <c>"path": "fast"</c> computes every convolution over its filter's band only (<see cref="BandLimitedPlan"/>); absent
/// or "exact" is the reference path. <c>"prune": true</c> leaves out the second-order paths whose wavelet is not below
/// its parent's centre frequency (their coefficient is 0 and /coefficients/computed says so): the modulus of a band
/// holds no such modulation, only numerical leakage, and the events recipe never reads them.
/// </summary>
public sealed record ScatteringConfig(double SamplingRate, int Bins, IReadOnlyList<LayerConfig> Layers, Pooling Pooling, double? TaperAlpha,
    IReadOnlyList<Pooling>? Statistics = null, ScatteringPath Path = ScatteringPath.Exact, bool Prune = false) : INetworkConfig
{
    public NetworkKind Kind => NetworkKind.Morlet;

    public NetworkPlan Plan(FftwEffort effort, int channels)
    {
        // Estimate plans are the same on every machine only without wisdom: FFTW uses any wisdom it holds, whatever the flag
        // (a PATIENT run's ~/.cache wisdom changed an estimate run's bytes).
        var plan = effort == FftwEffort.Estimate ? new ScatteringPlan(this, effort) : FftwPlan.WithWisdom(() => new ScatteringPlan(this, effort));
        var meta = plan.CoefficientsFor(channels).ToList();
        return new NetworkPlan(meta, Prune ? meta.Select(m => plan.IsComputed(m) ? 1 : 0).ToArray() : null, ToJson(), plan.WorkspaceBytes,
            plan.Banks, Pooling, FirstOrderStatistics, plan.OutputLength, plan.NewWorker);
    }

    public static readonly string[] KnownKeys = ["sampling_rate", "bins", "segment_samples", "layers", "pooling", "taper_alpha", "n_windows", "events",
        "statistics", "path", "prune"];

    /// <summary>The first-order statistics computed besides the pooling (none when pooling is none: scalograms).</summary>
    public IReadOnlyList<Pooling> FirstOrderStatistics => Pooling == Pooling.None ? NoStatistics : Statistics
        // With a taper, avg pooling and the avg statistic pool the same samples: the same numbers, stored once.
        ?? (Pooling == Pooling.Mean && TaperAlpha is not null ? MaxOnly : DefaultStatistics);

    private static readonly IReadOnlyList<Pooling> NoStatistics = [];
    private static readonly IReadOnlyList<Pooling> MaxOnly = [Pooling.Max];

    public static readonly IReadOnlyList<Pooling> DefaultStatistics = [Pooling.Mean, Pooling.Max];
    public const double DefaultTaperAlpha = 0.1;

    /// <summary>
    /// The network `features` runs without a configuration: scatseisnet's tutorial banks ((6,4,2) then (6,1,2)) at
    /// <paramref name="rate"/>, with fewer octaves when the window is too short for the lowest wavelet (its envelope,
    /// 2Q·2^J/fs seconds, must fit in the window), and a 10 % Tukey taper: without it, the circular convolution's response
    /// to the window's edges sits in every band and the pooled values describe the cut, not the signal (issue 12: the
    /// transient contrasts of the default features). Average pooling, not the tutorial's median: a median leaves out what
    /// lasts less than half the window — the short transients the event features look for. The fast path with pruning
    /// (issue 14): same clusters as the exact path (ARI 1.000 between their labels through one fit on the demo, 3 × 24 h
    /// and labelled archives), ≈ 4–5× faster.
    /// </summary>
    public static ScatteringConfig Default(double rate, double windowSeconds)
    {
        var bins = (int)Math.Round(windowSeconds * rate);
        var octaves = Math.Clamp((int)Math.Floor(Math.Log2(bins / 4.0)), 1, 6);
        return Parse(string.Create(CultureInfo.InvariantCulture,
            $"{{\"sampling_rate\": {rate}, \"bins\": {bins}, \"layers\": [{{\"octaves\": {octaves}, \"resolution\": 4, \"quality\": 2}}, " +
                $"{{\"octaves\": {octaves}, \"resolution\": 1, \"quality\": 2}}], \"pooling\": \"avg\", \"taper_alpha\": 0.1, \"path\": \"fast\", " +
                $"\"prune\": true}}"));
    }

    /// <summary>Parses and validates; unknown keys go to <paramref name="warnings"/>. Errors name the key and the reason.</summary>
    public static ScatteringConfig Parse(string json, List<string>? warnings = null, string source = "config")
    {
        JsonNode? root;
        try { root = JsonNode.Parse(json); }
        catch (JsonException e) { throw new SeiscatException($"{source}: not valid JSON ({e.Message})"); }
        if (root is not JsonObject o) throw new SeiscatException($"{source}: expected a JSON object");
        foreach (var key in o.Select(kv => kv.Key).Where(k => !KnownKeys.Contains(k)))
            warnings?.Add($"{source}: unknown key '{key}' ignored");

        double rate = Number(o, "sampling_rate", source) ?? throw new SeiscatException($"{source}: 'sampling_rate' is required (Hz)");
        if (!(rate > 0)) throw new SeiscatException($"{source}: 'sampling_rate' must be positive, got {rate}");
        var binsValue = Number(o, "bins", source) ?? Number(o, "segment_samples", source)
                        ?? throw new SeiscatException($"{source}: 'bins' (or 'segment_samples') is required: samples per window");
        if (binsValue < 2 || binsValue != Math.Floor(binsValue) || binsValue > 1 << 24)
            throw new SeiscatException($"{source}: 'bins' must be an integer number of samples ≥ 2, got {binsValue}");
        var bins = (int)binsValue;

        if (o["layers"] is not JsonArray layers || layers.Count == 0)
            throw new SeiscatException($"{source}: 'layers' must be a non-empty list of {{octaves, resolution, quality}}");
        var parsed = layers.Select((layer, i) => Layer(layer, $"{source}: layers[{i}]", rate, bins, warnings)).ToList();

        var poolingText = o["pooling"] is JsonValue pv && pv.TryGetValue<string>(out var ps) ? ps : o["pooling"] is null ? "avg" : null;
        var pooling = poolingText?.ToLowerInvariant() switch
        {
            "avg" or "mean" => Pooling.Mean,
            "max" => Pooling.Max,
            "median" => Pooling.Median,
            "none" => Pooling.None,
            _ => throw new SeiscatException($"{source}: 'pooling' must be avg, mean, max, median or none, got {o["pooling"]?.ToJsonString() ?? "null"}"),
        };
        double? taper = !o.ContainsKey("taper_alpha") ? DefaultTaperAlpha : o["taper_alpha"] is null ? null : Number(o, "taper_alpha", source);
        if (taper is { } t && !(t >= 0 && t <= 1)) throw new SeiscatException($"{source}: 'taper_alpha' must be between 0 and 1 (or null), got {t}");
        IReadOnlyList<Pooling>? statistics = null;
        if (o["statistics"] is JsonArray stats)
            statistics = stats.Select(s => s is JsonValue v && v.TryGetValue<string>(out var name) ? name.ToLowerInvariant() switch
            {
                "avg" or "mean" => Pooling.Mean,
                "max" => Pooling.Max,
                "median" => Pooling.Median,
                _ => throw new SeiscatException($"{source}: 'statistics' entries must be avg, max or median, got \"{name}\""),
            } : throw new SeiscatException($"{source}: 'statistics' must be a list of strings")).Distinct().ToList();
        else if (o["statistics"] is not null) throw new SeiscatException($"{source}: 'statistics' must be a list such as [\"avg\", \"max\"]");
        var path = o["path"] is null ? ScatteringPath.Exact
            : o["path"] is JsonValue pathValue && pathValue.TryGetValue<string>(out var pathName) && ParsePath(pathName) is { } parsedPath ? parsedPath
            : throw new SeiscatException($"{source}: 'path' must be \"exact\" or \"fast\", got {o["path"]!.ToJsonString()}");
        var prune = o["prune"] is null ? false
            : o["prune"] is JsonValue pruneValue && pruneValue.TryGetValue<bool>(out var pruneFlag) ? pruneFlag
            : throw new SeiscatException($"{source}: 'prune' must be true or false, got {o["prune"]!.ToJsonString()}");
        return new ScatteringConfig(rate, bins, parsed, pooling, taper, statistics, path, prune);
    }

    // One layer of the configuration; its lowest wavelet must fit in the window.
    private static LayerConfig Layer(JsonNode? layer, string where, double rate, int bins, List<string>? warnings)
    {
        if (layer is not JsonObject l) throw new SeiscatException($"{where} must be an object");
        foreach (var key in l.Select(kv => kv.Key).Where(k => k is not ("octaves" or "resolution" or "quality" or "normalize_wavelet")))
            warnings?.Add($"{where}: unknown key '{key}' ignored");
        var octaves = Integer(l, "octaves", where);
        var resolution = Integer(l, "resolution", where);
        var quality = Number(l, "quality", where) ?? throw new SeiscatException($"{where}.quality is required");
        if (octaves < 1) throw new SeiscatException($"{where}.octaves must be ≥ 1, got {octaves}");
        if (resolution < 1) throw new SeiscatException($"{where}.resolution must be ≥ 1, got {resolution}");
        if (!(quality > 0)) throw new SeiscatException($"{where}.quality must be > 0, got {quality}");
        // The lowest centre frequency's wavelet must fit in the window, or its envelope is cut and the bank is meaningless.
        var lowest = rate / 2 * Math.Pow(2, -(double)octaves * resolution / resolution);
        var width = quality / lowest;
        var window = bins / rate;
        if (width > window)
            throw new SeiscatException(string.Create(CultureInfo.InvariantCulture,
                $"{where}.octaves = {octaves}: the lowest wavelet ({lowest:0.####} Hz, envelope width {width:0.##} s) exceeds the " +
                    $"{window:0.##} s window; use fewer octaves, a lower quality or longer windows"));
        var norm = l["normalize_wavelet"] switch
        {
            null => WaveletNormalization.None,
            JsonValue v when v.TryGetValue<string>(out var s) => s.ToUpperInvariant() switch
            {
                "L1" => WaveletNormalization.L1,
                "L2" => WaveletNormalization.L2,
                "NONE" or "" => WaveletNormalization.None,
                _ => throw new SeiscatException($"{where}.normalize_wavelet must be \"L1\", \"L2\" or null, got \"{s}\""),
            },
            _ => throw new SeiscatException($"{where}.normalize_wavelet must be \"L1\", \"L2\" or null"),
        };
        return new LayerConfig(octaves, resolution, quality, norm);
    }

    /// <summary>Whether two stored configurations describe the same coefficients, whichever path computed them.</summary>
    public static bool SameCoefficients(string a, string b)
    {
        if (a == b) return true;
        try { return (Parse(a) with { Path = ScatteringPath.Exact }).ToJson() == (Parse(b) with { Path = ScatteringPath.Exact }).ToJson(); }
        // (prune stays in the comparison: a pruned column is 0, not an approximation)
        catch (SeiscatException) { return false; }
    }

    /// <summary>"exact" or "fast" (any case), else null.</summary>
    public static ScatteringPath? ParsePath(string text) => text.ToLowerInvariant() switch
    {
        "exact" => ScatteringPath.Exact,
        "fast" => ScatteringPath.Fast,
        _ => null,
    };

    public static ScatteringConfig Load(string path, List<string>? warnings = null)
    {
        if (!File.Exists(path)) throw SeiscatException.For(path, null, "configuration file not found",
            $"pass {Setting.Config.Ref()} with a JSON file (see docs/archives.md)");
        return Parse(File.ReadAllText(path), warnings, path);
    }

    /// <summary>The canonical JSON (scatseisnet names), stored in every output.</summary>
    public string ToJson()
    {
        var o = new JsonObject
        {
            ["sampling_rate"] = SamplingRate,
            ["bins"] = Bins,
            ["layers"] = new JsonArray(Layers.Select(l => (JsonNode)new JsonObject
            {
                ["octaves"] = l.Octaves,
                ["resolution"] = l.Resolution,
                ["quality"] = l.Quality,
                ["normalize_wavelet"] = l.Normalize == WaveletNormalization.None ? null : l.Normalize.ToString(),
            }).ToArray()),
            ["pooling"] = Name(Pooling),
            ["taper_alpha"] = TaperAlpha,
            ["statistics"] = new JsonArray(FirstOrderStatistics.Select(s => (JsonNode)JsonValue.Create(Name(s))!).ToArray()),
        };
        // Written only when fast, so exact-path outputs keep the bytes they had before the fast path existed.
        if (Path == ScatteringPath.Fast) o["path"] = "fast";
        if (Prune) o["prune"] = true;
        return o.ToJsonString();
    }

    public static string Name(Pooling p) => p == Pooling.Mean ? "avg" : p.ToString().ToLowerInvariant();

    private static double? Number(JsonObject o, string key, string where)
    {
        var node = o[key];
        if (node is null) return null;
        if (node is JsonValue v && v.TryGetValue<double>(out var d)) return d;
        throw new SeiscatException($"{where}: '{key}' must be a number, got {node.ToJsonString()}");
    }

    private static int Integer(JsonObject o, string key, string where)
    {
        var d = Number(o, key, where) ?? throw new SeiscatException($"{where}.{key} is required");
        if (d != Math.Floor(d) || Math.Abs(d) > 1 << 20) throw new SeiscatException($"{where}.{key} must be an integer, got {d}");
        return (int)d;
    }
}
