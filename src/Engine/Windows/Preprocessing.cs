using Seiscat.Engine.Kernels;
using Seiscat.Engine.Signal;

namespace Seiscat.Engine.Windows;

/// <summary>
/// What happens to each component of a window before scattering, in this order: NaN/Inf and gaps become zeros,
/// detrend (demean by default: scatseisnet's fixtures demean every window), optional Butterworth filter
/// (zero-phase), optional decimation or resampling to the configuration's rate (scipy's resample_poly). Windows are processed independently, so results do
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

    /// <summary>What was done, as features.h5's <c>preprocess</c> attribute and the CLI summary say it (culture-invariant).</summary>
    public string Describe() => $"detrend={Detrend.ToString().ToLowerInvariant()}{FilterText()}"
        + (Decimation > 1 ? FormattableString.Invariant($", decimate x{Decimation} (resample_poly)") : "");

    private string FilterText()
    {
        if (Filter is not { } f) return "";
        var corners = f == FilterKind.Bandpass ? FormattableString.Invariant($"{FilterLowHz}-{FilterHighHz}") : FormattableString.Invariant($"{FilterLowHz}");
        return FormattableString.Invariant($", {f.ToString().ToLowerInvariant()} {corners} Hz order {FilterOrder} zero-phase");
    }
}

/// <summary>Per-thread preprocessing state: filters designed once, scratch reused (no allocation per window).</summary>
public sealed class Preprocessor
{
    private readonly PreprocessOptions _options;
    private readonly SosFilter? _filter;
    private readonly PolyphaseResampler? _resampler;
    private readonly double[] _scratch;

    public int InputSamples { get; }
    public int OutputSamples { get; }

    /// <param name="outputRate">The rate the window must reach (the configuration's), from
    /// <paramref name="inputRate"/> by any ratio of integers (<see cref="PolyphaseResampler"/>: scipy's resample_poly,
    /// the same anti-alias filter family for a decimation by 2 and a 50 → 40 Hz change); null: decimation by
    /// <see cref="PreprocessOptions.Decimation"/>.</param>
    public Preprocessor(PreprocessOptions options, double inputRate, int outputSamples, double? outputRate = null)
    {
        _options = options;
        OutputSamples = outputSamples;
        _resampler = outputRate is { } target ? Conversion(inputRate, target)
            : options.Decimation > 1 ? new PolyphaseResampler(1, options.Decimation) : null;
        InputSamples = _resampler?.InputLength(outputSamples) ?? outputSamples;
        if (options.Filter is { } kind)
            _filter = new SosFilter(Butterworth.Design(options.FilterOrder, kind, inputRate, options.FilterLowHz, options.FilterHighHz));
        _scratch = new double[_filter?.ScratchLength(InputSamples) ?? 0];
    }

    /// <summary>Raw samples a window of <paramref name="outputSamples"/> at <paramref name="outputRate"/> needs at
    /// <paramref name="inputRate"/>.</summary>
    public static int InputSamplesFor(double inputRate, double outputRate, int outputSamples)
        => Conversion(inputRate, outputRate)?.InputLength(outputSamples) ?? outputSamples;

    /// <summary>True when <paramref name="inputRate"/> reaches <paramref name="outputRate"/> downwards by a ratio of
    /// integers (denominator ≤ 1000).</summary>
    public static bool CanReach(double inputRate, double outputRate)
        => inputRate >= outputRate * (1 - 1e-9) && PolyphaseResampler.Ratio(inputRate, outputRate) is not null;

    private static PolyphaseResampler? Conversion(double inputRate, double outputRate)
    {
        if (!CanReach(inputRate, outputRate) || PolyphaseResampler.Ratio(inputRate, outputRate) is not var (up, down))
            throw new SeiscatException($"{inputRate} Hz cannot be brought to {outputRate} Hz (only down, by a ratio of integers); " +
                $"select other stations ({Setting.Stations.Ref()}) or change the config's sampling_rate");
        return up == down ? null : new PolyphaseResampler(up, down);
    }

    /// <summary>Counts and zeroes non-finite samples (they are treated as missing data).</summary>
    public static int ZeroNonFinite(Span<float> x) => Elementwise.ZeroNonFinite(x);

    /// <summary>Processes <see cref="InputSamples"/> raw samples in place and writes <see cref="OutputSamples"/> to output.</summary>
    public void Apply(Span<float> raw, Span<float> output)
    {
        Detrend.Apply(raw, _options.Detrend);
        _filter?.FiltFilt(raw, _scratch);
        if (_resampler is not null)
        {
            _resampler.Apply(raw, output);
            // Demean again: the anti-alias filter's edges can leave an offset the scattering would see.
            if (_options.Detrend != DetrendKind.None) Detrend.Apply(output, DetrendKind.Demean);
        }
        else raw.CopyTo(output);
    }
}
