using Seiscat.Engine.Io.Storage;

namespace Seiscat.Engine.Windows;

/// <summary>
/// A window as a network takes it: each component cut from the archive (gaps as the plan's policy says) and
/// preprocessed into consecutive blocks of <c>outSamples</c>. `features` and `learn` both cut through it, so a learnt
/// bank is trained on exactly the windows the features see. One per thread: the raw buffer and the per-unit
/// preprocessors (filter and resampler tables) are reused from window to window.
/// </summary>
public sealed class WindowPreparer(WindowPlan plan, ArchiveStorage storage, PreprocessOptions options, int outSamples, double? outputRate)
{
    private readonly float[] _raw = new float[plan.WindowSamples];
    private readonly Dictionary<int, Preprocessor> _preprocessors = [];

    public WindowCutter Cutter { get; } = new(plan, storage);

    public int OutSamples => outSamples;

    /// <summary>The preprocessor of one unit (its input length is that unit's window in samples).</summary>
    public Preprocessor For(int unit)
        => _preprocessors.TryGetValue(unit, out var p) ? p : _preprocessors[unit] = new Preprocessor(options, plan.RateOf(unit), outSamples, outputRate);

    /// <summary>Cuts and preprocesses the <paramref name="components"/> components of the window of <paramref name="unit"/>
    /// starting at <paramref name="startNs"/> into <paramref name="output"/> (components × outSamples); returns the samples
    /// the archive did not hold, over all components.</summary>
    public long Prepare(int unit, long startNs, int components, Span<float> output)
    {
        var raw = _raw.AsSpan(0, plan.WindowSamplesOf(unit));
        var preprocessor = For(unit);
        long missing = 0;
        for (var c = 0; c < components; c++)
        {
            missing += Cutter.Cut(unit, c, startNs, raw);
            preprocessor.Apply(raw, output.Slice(c * outSamples, outSamples));
        }
        return missing;
    }
}
