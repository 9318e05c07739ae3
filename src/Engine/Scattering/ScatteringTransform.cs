using Seiscat.Engine.Pipeline;

namespace Seiscat.Engine.Scattering;

/// <summary>Adapts a per-thread <see cref="ScatteringNetwork"/> to the pipeline's window transform.</summary>
public sealed class ScatteringTransform(ScatteringPlan plan) : IWindowTransform
{
    private readonly ScatteringNetwork _network = new(plan);

    public void Transform(ReadOnlySpan<float> window, int channels, Span<float> features) => _network.Transform(window, channels, features);

    public void Dispose() => _network.Dispose();
}
