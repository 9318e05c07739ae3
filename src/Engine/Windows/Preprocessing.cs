using System.Runtime.Intrinsics;
using Seiscat.Engine.Signal;

namespace Seiscat.Engine.Windows;

/// <summary>
/// What happens to each component of a window before scattering, in this order: NaN/Inf and gaps become zeros,
/// detrend (demean by default: scatseisnet's fixtures demean every window), optional Butterworth filter
/// (zero-phase), optional decimation with anti-alias filter. Windows are processed independently, so results do
/// not depend on shards, threads or which neighbours were read.
/// </summary>
public sealed record PreprocessOptions
{
    public DetrendKind Detrend { get; init; } = DetrendKind.Demean;
    public FilterKind? Filter { get; init; }
    public double FilterLowHz { get; init; } = double.NaN;
    public double FilterHighHz { get; init; } = double.NaN;
    public int FilterOrder { get; init; } = 4;
    public int Decimation { get; init; } = 1;

    public string Describe() =>
        $"detrend={Detrend.ToString().ToLowerInvariant()}"
        + (Filter is { } f ? $", {f.ToString().ToLowerInvariant()} {FilterLowHz}{(f == FilterKind.Bandpass ? $"-{FilterHighHz}" : "")} Hz order " +
            "{FilterOrder} zero-phase" : "")
        + (Decimation > 1 ? $", decimate x{Decimation}" : "");
}

/// <summary>Per-thread preprocessing state: filters designed once, scratch reused (no allocation per window).</summary>
public sealed class Preprocessor
{
    private readonly PreprocessOptions _options;
    private readonly SosFilter? _filter;
    private readonly Decimator _decimator;
    private readonly double[] _scratch;

    public int InputSamples { get; }
    public int OutputSamples { get; }

    public Preprocessor(PreprocessOptions options, double inputRate, int outputSamples)
    {
        _options = options;
        OutputSamples = outputSamples;
        InputSamples = outputSamples * options.Decimation;
        if (options.Filter is { } kind)
            _filter = new SosFilter(Butterworth.Design(options.FilterOrder, kind, inputRate, options.FilterLowHz, options.FilterHighHz));
        _decimator = new Decimator(options.Decimation, inputRate);
        _scratch = new double[Math.Max(_filter?.ScratchLength(InputSamples) ?? 0, _decimator.ScratchLength(InputSamples))];
    }

    /// <summary>Counts and zeroes non-finite samples (they are treated as missing data).</summary>
    public static int ZeroNonFinite(Span<float> x)
    {
        // Records are almost always finite: a vector test (v − v is 0 for finite v, NaN for NaN and ±Inf) skips blocks.
        var bad = 0;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i + 8 <= x.Length; i += 8)
            {
                var v = Vector256.Create<float>(x.Slice(i, 8));
                if (Vector256.EqualsAll(v - v, Vector256<float>.Zero)) continue;
                for (var k = i; k < i + 8; k++)
                    if (!float.IsFinite(x[k])) { x[k] = 0; bad++; }
            }
        for (; i < x.Length; i++)
            if (!float.IsFinite(x[i])) { x[i] = 0; bad++; }
        return bad;
    }

    /// <summary>Processes <see cref="InputSamples"/> raw samples in place and writes <see cref="OutputSamples"/> to output.</summary>
    public void Apply(Span<float> raw, Span<float> output)
    {
        Detrend.Apply(raw, _options.Detrend);
        _filter?.FiltFilt(raw, _scratch);
        if (_options.Decimation > 1)
        {
            _decimator.Apply(raw, output, _scratch);
            // Demean again: the anti-alias filter's edges can leave an offset the scattering would see.
            if (_options.Detrend != DetrendKind.None) Detrend.Apply(output, DetrendKind.Demean);
        }
        else raw.CopyTo(output);
    }
}
