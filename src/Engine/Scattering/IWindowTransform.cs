namespace Seiscat.Engine.Scattering;

/// <summary>
/// A window → feature-row transform with per-thread state (the scattering network's workspace). `features` runs one
/// per worker thread; the fixed Morlet network is one, the learnable and fast networks are others.
/// </summary>
public interface IWindowTransform : IDisposable
{
    /// <summary>Input: channels × samples, channel-major. Output: one feature row.</summary>
    void Transform(ReadOnlySpan<float> window, int channels, Span<float> features);
}
