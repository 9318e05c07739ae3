using Seiscat.Engine.Common;
using Seiscat.Engine.Scattering.Paper;
using Seiscat.Native.Fftw;

namespace Seiscat.Engine.Scattering;

/// <summary>
/// A network either family can describe — the Morlet scattering network (<see cref="ScatteringConfig"/>: exact or fast
/// path) or the paper's learnable Hermite-spline network (<see cref="PaperConfig"/>) — as every command that runs one
/// sees it: its kind, rate and window, the JSON stored with its outputs, and a plan to run it.
/// </summary>
public interface INetworkConfig
{
    NetworkKind Kind { get; }
    double SamplingRate { get; }
    /// <summary>Samples per window.</summary>
    int Bins { get; }
    string ToJson();
    /// <summary>The network planned for windows of <paramref name="channels"/> components. Estimate plans use no wisdom,
    /// so their bytes are the same on every machine; other efforts read and extend the wisdom file.</summary>
    NetworkPlan Plan(FftwEffort effort, int channels);
}

/// <summary>
/// A planned network: its output columns (and, for a pruned network, which are computed), the configuration text, each
/// worker's workspace, the filter banks per layer, the pooling and extra first-order statistics, the output length per
/// window, and a factory of per-thread transforms.
/// </summary>
public sealed record NetworkPlan(IReadOnlyList<CoefficientMeta> Columns, int[]? Computed, string ConfigJson, long WorkspaceBytes,
    IReadOnlyList<IFilterBank> Banks, Pooling Pooling, IReadOnlyList<Pooling> Statistics, Func<int, int> OutputLength,
    Func<IWindowTransform> NewWorker);

/// <summary>
/// The one loader of networks: a configuration file (either family: the paper's says <c>"network": "paper"</c>) or a
/// learned bank (<see cref="PaperBank"/>), and the text that identifies it for fingerprints.
/// </summary>
public static class NetworkConfigs
{
    /// <summary>The network a command is given, or null for none (the command's default network).</summary>
    public static INetworkConfig? Load(string? configPath, string? bankPath, List<string> warnings)
    {
        if (bankPath is not null)
        {
            if (configPath is not null)
                throw new SeiscatException($"{Setting.Bank.Ref()} and {Setting.Config.Ref()} both describe the network; pass one of them");
            return PaperBank.Load(bankPath);
        }
        if (configPath is null) return null;
        if (!File.Exists(configPath)) return ScatteringConfig.Load(configPath, warnings); // its one-line refusal
        var json = File.ReadAllText(configPath);
        return NetworkKinds.Of(json) == NetworkKind.Paper ? PaperConfig.Parse(json, warnings, configPath) : ScatteringConfig.Parse(json, warnings, configPath);
    }

    /// <summary>What identifies the network of a configuration or bank file for a fingerprint ("default" for none).</summary>
    public static string Text(string? configPath, string? bankPath)
        => (configPath is { } c && File.Exists(c) ? File.ReadAllText(c) : "default") + "\n" + (bankPath is { } b ? "bank " + PaperBank.ConfigText(b) : "");
}
