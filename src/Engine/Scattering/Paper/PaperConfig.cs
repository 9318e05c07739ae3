using Seiscat.Native.Fftw;
using Seiscat.Engine.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Seiscat.Engine.Scattering.Paper;

/// <summary>One layer of the learnable network: J octaves × Q wavelets per octave and its mother wavelet's spline values
/// and derivatives on the knots (null: the paper's Gabor-like start, <see cref="HermiteWavelet.Initial"/>).</summary>
public sealed record PaperLayer(int Octaves, int Resolution, double[]? Values = null, double[]? Derivatives = null)
{
    public int Filters => Octaves * Resolution;
}

/// <summary>
/// The deep scattering network of Seydoux et al. (2020) as a configuration (docs/paper.json):
/// <c>{"network": "paper", "sampling_rate": 50, "bins": 1024, "stride": 4, "knots": 7, "layers": [{"octaves": 4,
/// "resolution": 8}, {"octaves": 6, "resolution": 2}, {"octaves": 8, "resolution": 1}], "epsilon": 1e-3, "floor": 1e-4}</c>.
/// A window of <c>bins</c> samples is one pooled feature vector (the paper pools 1024 input samples); each layer runs at
/// the previous one's rate / stride. A learned bank adds <c>"m"</c> and <c>"p"</c> (values and derivatives on the
/// knots) to each layer. The learning keys (<c>pca_components</c>, <c>gmm_components</c>, <c>learning_rate</c>,
/// <c>batch</c>, <c>reg_covar</c>: the mixture's covariance floor as a share of the mean PCA variance) are read by
/// `seiscat learn` only.
/// </summary>
public sealed record PaperConfig(double SamplingRate, int Bins, IReadOnlyList<PaperLayer> Layers, int Stride = 4, int Knots = 7,
    double Epsilon = 1e-3, double Floor = 1e-4, int PcaComponents = 5, int GmmComponents = 10, double LearningRate = 1e-3, int Batch = 32,
    double RegCovar = 1e-3) : INetworkConfig
{
    public const string NetworkName = NetworkKinds.PaperName;

    public NetworkKind Kind => NetworkKind.Paper;

    /// <summary>The float FFTW forward (the double <see cref="PaperWorker"/> is the learning's and the checks' reference):
    /// features are the log, parent-normalised coefficients, pooled by the mean over the window.</summary>
    public NetworkPlan Plan(FftwEffort effort, int channels)
    {
        var network = new PaperNetwork(this);
        var plan = PaperFloatPlan.Of(network, effort);
        return new NetworkPlan(network.CoefficientsFor(channels).ToList(), null, ToJson(), network.WorkspaceBytes(channels), network.Banks,
            Pooling.Mean, [], network.OutputLength, plan.NewWorker);
    }

    private static readonly string[] KnownKeys = ["network", "sampling_rate", "bins", "stride", "knots", "layers", "epsilon", "floor",
        "pca_components", "gmm_components", "learning_rate", "batch", "reg_covar"];

    /// <summary>The configuration of the paper (depth 3: (4, 8), (6, 2), (8, 1); stride 4; 7 knots) at a rate and window.</summary>
    public static PaperConfig Published(double samplingRate, int bins = 1024) =>
        new(samplingRate, bins, [new PaperLayer(4, 8), new PaperLayer(6, 2), new PaperLayer(8, 1)]);

    /// <summary>Whether a stored or given configuration text is a paper-network one (<c>"network": "paper"</c>).</summary>
    public static bool IsPaper(string? json) => NetworkKinds.Of(json) == NetworkKind.Paper;

    public static PaperConfig Parse(string json, List<string>? warnings = null, string source = "config")
    {
        JsonNode? root;
        try { root = JsonNode.Parse(json); }
        catch (JsonException e) { throw new SeiscatException($"{source}: not valid JSON ({e.Message})"); }
        if (root is not JsonObject o) throw new SeiscatException($"{source}: expected a JSON object");
        foreach (var key in o.Select(kv => kv.Key).Where(k => !KnownKeys.Contains(k))) warnings?.Add($"{source}: unknown key '{key}' ignored");
        var rate = Number(o, "sampling_rate", source) ?? throw new SeiscatException($"{source}: 'sampling_rate' is required (Hz)");
        if (!(rate > 0)) throw new SeiscatException($"{source}: 'sampling_rate' must be positive, got {rate}");
        var stride = Integer(o, "stride", source, 4);
        if (stride < 2 || (stride & (stride - 1)) != 0) throw new SeiscatException($"{source}: 'stride' must be a power of two ≥ 2, got {stride}");
        var knots = Integer(o, "knots", source, 7);
        if (knots < 3 || knots % 2 == 0 || knots > 63) throw new SeiscatException($"{source}: 'knots' must be odd, between 3 and 63, got {knots}");
        if (o["layers"] is not JsonArray layers || layers.Count == 0)
            throw new SeiscatException($"{source}: 'layers' must be a non-empty list of {{octaves, resolution}}");
        var parsed = new List<PaperLayer>();
        for (var i = 0; i < layers.Count; i++)
        {
            var where = $"{source}: layers[{i}]";
            if (layers[i] is not JsonObject l) throw new SeiscatException($"{where} must be an object");
            foreach (var key in l.Select(kv => kv.Key).Where(k => k is not ("octaves" or "resolution" or "m" or "p")))
                warnings?.Add($"{where}: unknown key '{key}' ignored");
            var octaves = Integer(l, "octaves", where, null);
            var resolution = Integer(l, "resolution", where, null);
            if (octaves < 1 || octaves > 16) throw new SeiscatException($"{where}.octaves must be between 1 and 16, got {octaves}");
            if (resolution < 1 || resolution > 32) throw new SeiscatException($"{where}.resolution must be between 1 and 32, got {resolution}");
            var m = Vector(l, "m", where, knots);
            var p = Vector(l, "p", where, knots);
            if ((m is null) != (p is null)) throw new SeiscatException($"{where}: give both 'm' and 'p' (a learned bank) or neither (the initial wavelet)");
            parsed.Add(new PaperLayer(octaves, resolution, m, p));
        }
        var bins = Integer(o, "bins", source, null);
        var least = (int)Math.Pow(stride, parsed.Count);
        if (bins < least || (bins & (bins - 1)) != 0 || bins > 1 << 24)
            throw new SeiscatException($"{source}: 'bins' must be a power of two ≥ stride^layers = {least} (every layer keeps a whole number of " +
                $"samples), got {bins}");
        var epsilon = Number(o, "epsilon", source) ?? 1e-3;
        var floor = Number(o, "floor", source) ?? 1e-4;
        if (!(epsilon >= 0)) throw new SeiscatException($"{source}: 'epsilon' must be ≥ 0, got {epsilon}");
        if (!(floor > 0)) throw new SeiscatException($"{source}: 'floor' must be > 0 (the log's floor), got {floor}");
        var pcaComponents = Integer(o, "pca_components", source, 5);
        var gmmComponents = Integer(o, "gmm_components", source, 10);
        var learningRate = Number(o, "learning_rate", source) ?? 1e-3;
        var batch = Integer(o, "batch", source, 32);
        if (pcaComponents < 1) throw new SeiscatException($"{source}: 'pca_components' must be ≥ 1, got {pcaComponents}");
        if (gmmComponents < 1) throw new SeiscatException($"{source}: 'gmm_components' must be ≥ 1, got {gmmComponents}");
        if (!(learningRate > 0)) throw new SeiscatException($"{source}: 'learning_rate' must be > 0, got {learningRate}");
        if (batch < 1) throw new SeiscatException($"{source}: 'batch' must be ≥ 1, got {batch}");
        var regCovar = Number(o, "reg_covar", source) ?? 1e-3;
        if (!(regCovar >= 0)) throw new SeiscatException($"{source}: 'reg_covar' must be ≥ 0, got {regCovar}");
        return new PaperConfig(rate, bins, parsed, stride, knots, epsilon, floor, pcaComponents, gmmComponents, learningRate, batch, regCovar);
    }

    public static PaperConfig Load(string path, List<string>? warnings = null)
    {
        if (!File.Exists(path)) throw SeiscatException.For(path, null, "configuration file not found", $"pass {Setting.Config.Ref()} with a JSON file");
        return Parse(File.ReadAllText(path), warnings, path);
    }

    /// <summary>Layer l's wavelet parameters: the stored ones, else the initial Gabor-like wavelet.</summary>
    public (double[] M, double[] P) Parameters(int l) => Layers[l].Values is { } m
        ? (m, Layers[l].Derivatives!) : HermiteWavelet.Initial(Knots);

    /// <summary>The same network with these wavelet parameters (per layer: values, derivatives).</summary>
    public PaperConfig WithParameters(IReadOnlyList<(double[] M, double[] P)> parameters) =>
        this with { Layers = Layers.Select((l, i) => l with { Values = parameters[i].M.ToArray(), Derivatives = parameters[i].P.ToArray() }).ToArray() };

    /// <summary>The canonical JSON: stored in features.h5 and in bank files. Parameters are written at full precision ("R").</summary>
    public string ToJson()
    {
        var o = new JsonObject
        {
            ["network"] = NetworkName,
            ["sampling_rate"] = SamplingRate,
            ["bins"] = Bins,
            ["stride"] = Stride,
            ["knots"] = Knots,
            ["layers"] = new JsonArray(Layers.Select(l =>
            {
                var layer = new JsonObject { ["octaves"] = l.Octaves, ["resolution"] = l.Resolution };
                if (l.Values is { } m)
                {
                    layer["m"] = new JsonArray(m.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
                    layer["p"] = new JsonArray(l.Derivatives!.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
                }
                return (JsonNode)layer;
            }).ToArray()),
            ["epsilon"] = Epsilon,
            ["floor"] = Floor,
            ["pca_components"] = PcaComponents,
            ["gmm_components"] = GmmComponents,
            ["learning_rate"] = LearningRate,
            ["batch"] = Batch,
            ["reg_covar"] = RegCovar,
        };
        return o.ToJsonString();
    }

    private static double? Number(JsonObject o, string key, string where)
    {
        var node = o[key];
        if (node is null) return null;
        if (node is JsonValue v && v.TryGetValue<double>(out var d) && double.IsFinite(d)) return d;
        throw new SeiscatException($"{where}: '{key}' must be a finite number, got {node.ToJsonString()}");
    }

    private static int Integer(JsonObject o, string key, string where, int? fallback)
    {
        var d = Number(o, key, where);
        if (d is null) return fallback ?? throw new SeiscatException($"{where}.{key} is required");
        if (d != Math.Floor(d.Value) || Math.Abs(d.Value) > 1 << 30) throw new SeiscatException($"{where}.{key} must be an integer, got {d}");
        return (int)d.Value;
    }

    private static double[]? Vector(JsonObject o, string key, string where, int length)
    {
        if (o[key] is null) return null;
        if (o[key] is not JsonArray a || a.Count != length)
            throw new SeiscatException(string.Create(CultureInfo.InvariantCulture, $"{where}.{key} must be a list of {length} numbers (one per knot)"));
        return a.Select(n => n is JsonValue v && v.TryGetValue<double>(out var d) && double.IsFinite(d) ? d
            : throw new SeiscatException($"{where}.{key} holds {n?.ToJsonString() ?? "null"}, not a finite number")).ToArray();
    }
}
