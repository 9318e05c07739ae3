using Seiscat.Engine.Common;

namespace Seiscat.Engine.Linear;

/// <summary>None: rows used as they are (for matrices that are not scattering coefficients, e.g. ICA sources).</summary>
public enum ScaleKind { Log10, Standard, MinMax, None }
public enum ReduceKind { None, Pca, Ica }

public sealed record TransformOptions
{
    /// <summary>Coefficients below Floor × (their window's largest coefficient) are raised to it before log10; 0 = log10 of everything (scatseisnet's
    /// tutorial).</summary>
    public double Floor { get; init; } = 1e-5;
    public ScaleKind Scale { get; init; } = ScaleKind.Standard;
    public ReduceKind Reduce { get; init; } = ReduceKind.Pca;
    public int ReduceComponents { get; init; } = 10;
    public ulong Seed { get; init; }
    /// <summary>How features are derived from the coefficients (the Events recipe needs first-order max and mean
    /// statistics; without them, or for matrices that are not scattering coefficients, Log is used).</summary>
    public FeatureRecipe Recipe { get; init; } = FeatureRecipe.Auto;
}

/// <summary>
/// Scattering coefficients → the space the mixture is fitted in: floored log10 (per window, relative to its largest
/// coefficient), columns that sit at the floor in every fitted window dropped (they carry arithmetic, not signal:
/// fixtures README §3.1/§5.3), then per-column standardisation or min-max, then PCA or FastICA. Fitted on a sample;
/// applied row by row to everything.
/// </summary>
public sealed class FeatureTransform
{
    public required TransformOptions Options { get; init; }
    public required int InputFeatures { get; init; }
    public required int[] KeptColumns { get; init; }
    public required double[] Center { get; init; }   // standard: mean; minmax: min; log10: 0
    public required double[] Spread { get; init; }   // standard: std; minmax: max − min; log10: 1
    public Pca? Pca { get; init; }
    public FastIca? Ica { get; init; }
    public int OutputFeatures => Options.Reduce switch { ReduceKind.Pca => Pca!.Components, ReduceKind.Ica => Ica!.Components, _ => KeptColumns.Length };

    /// <summary>The column layout the Events recipe reads (null for Log).</summary>
    public ColumnLayout? Layout { get; init; }
    /// <summary>Events recipe: whether levels and modulation are taken relative to a per-station background.</summary>
    public bool Background { get; init; }
    private EventFeatures? _events;
    private EventFeatures? Events => Layout is null ? null : _events ??= new EventFeatures(Layout);

    /// <summary>Per-window features before scaling: the input columns (Log) or the Events features.</summary>
    public int DerivedFeatures => Events is { } e ? e.Length(Background) : InputFeatures;

    /// <summary>The length of a station background vector this transform expects (0: none).</summary>
    public int BackgroundLength => Background ? Events!.BackgroundLength : 0;

    /// <summary>
    /// Fits the Events recipe on X (n × d raw coefficients, rows' station backgrounds in <paramref name="backgrounds"/>
    /// when <paramref name="background"/>) and returns the transformed sample.
    /// </summary>
    public static FeatureTransform FitEvents(double[] x, int n, int d, TransformOptions o, ColumnLayout layout, bool background,
        Func<int, ReadOnlySpan<double>> backgrounds, out double[] transformed)
    {
        var events = new EventFeatures(layout);
        var m = events.Length(background);
        var derived = new double[(long)n * m];
        var scratch = new double[events.BackgroundLength];
        for (var i = 0; i < n; i++)
            events.Compute(x.AsSpan(i * d, d), o.Floor, background ? backgrounds(i) : default, derived.AsSpan(i * m, m), scratch);
        var fitted = ScaleAndReduce(derived, n, m, new bool[m], o with { Scale = o.Scale == ScaleKind.Log10 ? ScaleKind.None : o.Scale }, out transformed);
        return Assemble(fitted, o, d, layout, background);
    }

    /// <summary>Fits on X (n × d) and returns the transformed sample (n × OutputFeatures).</summary>
    public static FeatureTransform Fit(ReadOnlySpan<double> x, int n, int d, TransformOptions o, out double[] transformed)
        => FitOverwriting(x.ToArray(), n, d, o, out transformed);

    /// <summary>
    /// As <see cref="Fit"/>, but takes X's storage for its working copies (X is left holding scratch), so a fit on a
    /// sample holds two n × d arrays instead of four: this is what bounds `fit`'s memory per sampled row.
    /// </summary>
    public static FeatureTransform FitOverwriting(double[] x, int n, int d, TransformOptions o, out double[] transformed)
    {
        if (o.Scale != ScaleKind.None)
            for (var t = 0; t < n * d; t++)
                if (x[t] < 0)
                    throw new SeiscatException($"feature {t % d} of sample row {t / d} is negative ({x[t]:G4}): the log10 scales expect scattering " +
                        $"coefficients (≥ 0); pass {Setting.Scale.Ref()} none for other matrices");
        // A column that equals its window's floor everywhere is constant noise-floor bookkeeping: drop it. Decided on
        // the raw values, before they are replaced by their logs.
        var atFloor = new bool[d];
        if (o.Floor > 0 && o.Scale != ScaleKind.None)
        {
            Array.Fill(atFloor, true);
            for (var i = 0; i < n; i++)
            {
                var row = x.AsSpan(i * d, d);
                double max = 0;
                foreach (var v in row) max = Math.Max(max, v);
                var level = o.Floor * max;
                for (var j = 0; j < d; j++) if (row[j] > level) atFloor[j] = false;
            }
        }
        var logged = x; // in place: FloorLog10 reads a row's maximum before writing it
        if (o.Scale != ScaleKind.None)
            for (var i = 0; i < n; i++) FloorLog10(x.AsSpan(i * d, d), o.Floor, logged.AsSpan(i * d, d));
        var fitted = ScaleAndReduce(logged, n, d, atFloor, o, out transformed);
        return Assemble(fitted, o with { Recipe = FeatureRecipe.Log }, d);
    }

    private static FeatureTransform Assemble((int[] KeptColumns, double[] Center, double[] Spread, Pca? Pca, FastIca? Ica) fitted,
        TransformOptions o, int inputFeatures, ColumnLayout? layout = null, bool background = false) => new()
        {
            Options = o,
            InputFeatures = inputFeatures,
            KeptColumns = fitted.KeptColumns,
            Center = fitted.Center,
            Spread = fitted.Spread,
            Pca = fitted.Pca,
            Ica = fitted.Ica,
            Layout = layout,
            Background = background,
        };

    // Columns that vary and are not at the floor, scaled (standard / min-max / none), then reduced.
    private static (int[] KeptColumns, double[] Center, double[] Spread, Pca? Pca, FastIca? Ica) ScaleAndReduce(double[] logged, int n, int d,
        bool[] atFloor, TransformOptions o, out double[] transformed)
    {
        var kept = new List<int>();
        for (var j = 0; j < d; j++)
        {
            var varies = false;
            for (var i = 1; i < n && !varies; i++) varies = logged[i * d + j] != logged[j];
            if ((varies || n == 1) && !atFloor[j]) kept.Add(j);
        }
        if (kept.Count == 0) throw new SeiscatException($"every feature column is constant or at the floor in the sample; draw a larger or more " +
            $"varied sample, or lower {Setting.Floor.Ref()}");
        var m = kept.Count;
        var z = new double[n * m];
        for (var i = 0; i < n; i++) for (var c = 0; c < m; c++) z[i * m + c] = logged[i * d + kept[c]];
        var center = new double[m];
        var spread = new double[m];
        for (var c = 0; c < m; c++)
        {
            switch (o.Scale)
            {
                case ScaleKind.Standard:
                    double mean = 0;
                    for (var i = 0; i < n; i++) mean += z[i * m + c];
                    mean /= n;
                    double v = 0;
                    for (var i = 0; i < n; i++) v += (z[i * m + c] - mean) * (z[i * m + c] - mean);
                    center[c] = mean;
                    spread[c] = Math.Sqrt(v / n) is var s && s > 0 ? s : 1;
                    break;
                case ScaleKind.MinMax:
                    double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
                    for (var i = 0; i < n; i++) { lo = Math.Min(lo, z[i * m + c]); hi = Math.Max(hi, z[i * m + c]); }
                    center[c] = lo;
                    spread[c] = hi > lo ? hi - lo : 1;
                    break;
                default:
                    spread[c] = 1;
                    break;
            }
            for (var i = 0; i < n; i++) z[i * m + c] = (z[i * m + c] - center[c]) / spread[c];
        }
        Pca? pca = null;
        FastIca? ica = null;
        switch (o.Reduce)
        {
            case ReduceKind.Pca:
                pca = Pca.FitOverwriting(z, n, m, Math.Min(o.ReduceComponents, Math.Min(n, m)), out transformed);
                break;
            case ReduceKind.Ica:
                var c = Math.Min(o.ReduceComponents, Math.Min(n, m));
                var rng = new Xoshiro256(o.Seed, 200);
                var wInit = Enumerable.Range(0, c * c).Select(_ => rng.NextGaussian()).ToArray();
                ica = FastIca.FitOverwriting(z, n, m, c, wInit, out transformed);
                break;
            default:
                transformed = z;
                break;
        }
        return (kept.ToArray(), center, spread, pca, ica);
    }

    /// <summary>One row (without a station background) through the fitted transform.</summary>
    public void Transform(ReadOnlySpan<double> row, Span<double> output, Span<double> scratch) => Transform(row, default, output, scratch);

    /// <summary>
    /// One row through the fitted transform, with its station's background (<see cref="BackgroundLength"/> values, or
    /// empty when the transform has none). <paramref name="scratch"/> holds <see cref="ScratchLength"/> doubles.
    /// </summary>
    public void Transform(ReadOnlySpan<double> row, ReadOnlySpan<double> background, Span<double> output, Span<double> scratch)
    {
        var logged = scratch[..DerivedFeatures];
        if (Events is { } events)
        {
            if (background.Length != BackgroundLength) throw new ArgumentException("background vector of the wrong length", nameof(background));
            events.Compute(row, Options.Floor, background, logged, scratch.Slice(DerivedFeatures + KeptColumns.Length, events.BackgroundLength));
        }
        else if (Options.Scale == ScaleKind.None) row.CopyTo(logged);
        else FloorLog10(row, Options.Floor, logged);
        var z = scratch.Slice(DerivedFeatures, KeptColumns.Length);
        for (var c = 0; c < KeptColumns.Length; c++) z[c] = (logged[KeptColumns[c]] - Center[c]) / Spread[c];
        if (Pca is not null) Pca.Transform(z, output);
        else if (Ica is not null) Ica.Transform(z, output);
        else z.CopyTo(output);
    }

    public int ScratchLength => DerivedFeatures + KeptColumns.Length + (Events?.BackgroundLength ?? 0);

    /// <summary>log10(max(x_j, floor·max_j x_j)); with floor 0, plain log10 (zeros become −inf and are refused upstream).</summary>
    public static void FloorLog10(ReadOnlySpan<double> row, double floor, Span<double> output)
    {
        var level = FloorLevel(row, floor);
        for (var j = 0; j < row.Length; j++) output[j] = Math.Log10(Math.Max(row[j], level));
    }

    /// <summary>The value a row's coefficients are raised to before log10: floor × the row's largest (never 0).</summary>
    public static double FloorLevel(ReadOnlySpan<double> row, double floor)
    {
        double max = 0;
        foreach (var v in row) max = Math.Max(max, v);
        var level = floor * max;
        return level <= 0 ? double.Epsilon : level;
    }

}
