using Seiscat.Engine.Scattering;
using Seiscat.Engine.Scattering.Paper;
using Seiscat.Native.Fftw;

namespace Seiscat.Engine.Pipeline;

/// <summary>
/// The network `features` runs, seen from the pipeline: its columns, the configuration text stored with them, each
/// worker's workspace and a factory of per-thread transforms. Either the Morlet scattering network (exact or fast path,
/// <see cref="ScatteringPlan"/>) or the paper's learnable Hermite-spline network (<see cref="PaperNetwork"/>).
/// </summary>
public sealed record FeatureNetwork(IReadOnlyList<CoefficientMeta> Columns, int[]? Computed, string ConfigJson, long WorkspaceBytes,
    Func<IWindowTransform> NewWorker)
{
    public static FeatureNetwork Scattering(ScatteringConfig config, FftwEffort effort, int channels)
    {
        // Estimate plans are the same on every machine only without wisdom: FFTW uses any wisdom it holds, whatever the flag
        // (a PATIENT run's ~/.cache wisdom changed an estimate run's bytes).
        var plan = effort == FftwEffort.Estimate ? new ScatteringPlan(config, effort) : FftwPlan.WithWisdom(() => new ScatteringPlan(config, effort));
        var meta = plan.CoefficientsFor(channels).ToList();
        return new FeatureNetwork(meta, config.Prune ? meta.Select(m => plan.IsComputed(m) ? 1 : 0).ToArray() : null, config.ToJson(),
            plan.WorkspaceBytes, plan.NewWorker);
    }

    public static FeatureNetwork Paper(PaperConfig config, FftwEffort effort, int channels)
    {
        var network = new PaperNetwork(config);
        // Single-precision FFTW workers (the double PaperWorker is the learning's and the checks' reference).
        var plan = PaperFloatPlan.Of(network, effort);
        return new FeatureNetwork(network.CoefficientsFor(channels).ToList(), null, config.ToJson(), network.WorkspaceBytes(channels), plan.NewWorker);
    }
}
