namespace Seiscat.Engine.Linear;

/// <summary>How a window's features are derived from its scattering coefficients before scaling and reduction.</summary>
public enum FeatureRecipe
{
    /// <summary>Floored log10 of every coefficient (scatseisnet's tutorial, with seiscat's floor): what windows look like.</summary>
    Log,
    /// <summary>
    /// How each band's envelope departs from stationary — log(max / mean) of every first-order path, averaged over
    /// components — and, when the windows come from continuous records (station and time known), the first-order
    /// spectrum and the second-order modulation (log S2/S1 of paths below their parent's band) relative to the
    /// station's own background: its shape and its modulation. Absolute levels are left out (across stations and
    /// instruments they measure gain and site, not the signal), and so is the level above the background (the size of
    /// an event, not its kind).
    /// </summary>
    Events,
    /// <summary>
    /// Events for seismic stations; Log for DAS fibres (features whose stations are loci): the channels of one
    /// interrogator share gain and clock, so levels compare along the fibre, and a per-channel background would hide
    /// what a fibre user looks for first — a dead channel, a noisy section (synth --das, four acquisitions: ARI 0.86–0.97
    /// with Log vs 0.40–0.65 with Events; docs/decisions/das.md).
    /// </summary>
    Auto,
}

/// <summary>What each coefficient column is (the features file's /coefficients, or a scatter output's layout).</summary>
public sealed record ColumnLayout(int[] Order, int[] Channel, int[] J1, int[] J2, double[] F1Hz, double[] F2Hz, int[] Statistic)
{
    public int Count => Order.Length;
}

/// <summary>
/// The <see cref="FeatureRecipe.Events"/> features of one window, from its raw coefficients. Which columns feed which
/// feature is decided once from the <see cref="ColumnLayout"/>; a row then costs a few logs per path.
/// <para>
/// Contrast C_j = mean over components of log10(max U_j / mean U_j) (both pooled over the window's flat part; not
/// floored, 0 for a dead band): high for transients (earthquakes, glitches), near its noise value for stationary
/// signal whatever the gain. Levels L_j = mean
/// over components of the floored log10 of the pooled coefficient; modulation M_p = mean over components of L2_p − L1
/// of its parent, for second-order paths whose modulation frequency is below the parent's centre frequency (the
/// others hold only numerical leakage). With a background (the station's median L and M): R = L − B_L, shape
/// S = R − mean_j R, modulation M − B_M. The overall excess level mean_j R itself is left out: it measures the size
/// of an event, and with it earthquakes split into a large-event and a small-event cluster (3 × 24 h synthetic
/// archive: 2 of 4 classes recovered over seeds 0–2 with it, 3, 3, 2 without; no archive scored worse).
/// </para>
/// </summary>
public sealed class EventFeatures
{
    private const int Mean = 0, Max = 1; // (int)Scattering.Pooling of the extra first-order statistics

    private readonly int[][] _pooled;   // per first-order filter j: its pooled columns (one per component)
    private readonly int[][] _mean, _max;
    private readonly (int[] Columns, int[] Parents)[] _modulation; // per kept second-order path
    private readonly int[] _poolColumns; // every configured-pooling column (the floor reference)
    private readonly int[] _firstPooled;  // first-order pooled columns (the modulation's parents)
    private readonly int[][] _parentSlots; // per modulation path: its parents' positions in _firstPooled

    public int Filters => _pooled.Length;
    public int ModulationPaths => _modulation.Length;
    public bool HasContrast { get; }

    /// <summary>Length of the background vector: levels (Filters) then modulation (ModulationPaths).</summary>
    public int BackgroundLength => Filters + ModulationPaths;

    public EventFeatures(ColumnLayout layout)
    {
        int[] Where(Func<int, bool> keep) => Enumerable.Range(0, layout.Count).Where(keep).ToArray();
        var filters = Where(i => layout.Order[i] == 1 && layout.Statistic[i] < 0).Select(i => layout.J1[i]).Distinct().Order().ToArray();
        _pooled = filters.Select(j => Where(i => layout.Order[i] == 1 && layout.Statistic[i] < 0 && layout.J1[i] == j)).ToArray();
        // The band's mean: the avg statistic, else (avg pooling over a taper stores it once) the pooled value.
        _mean = filters.Select(j => Where(i => layout.Order[i] == 1 && layout.Statistic[i] == Mean && layout.J1[i] == j)).ToArray();
        for (var j = 0; j < filters.Length; j++) if (_mean[j].Length == 0) _mean[j] = _pooled[j];
        _max = filters.Select(j => Where(i => layout.Order[i] == 1 && layout.Statistic[i] == Max && layout.J1[i] == j)).ToArray();
        HasContrast = filters.Length > 0 && _mean.All(m => m.Length > 0) && _max.All(m => m.Length > 0);
        _poolColumns = Where(i => layout.Statistic[i] < 0);
        var parent = new Dictionary<(int Channel, int J1), int>();
        foreach (var i in Where(i => layout.Order[i] == 1 && layout.Statistic[i] < 0)) parent[(layout.Channel[i], layout.J1[i])] = i;
        _modulation = Where(i => layout.Order[i] == 2 && layout.Statistic[i] < 0 && layout.F2Hz[i] < layout.F1Hz[i])
            .GroupBy(i => (layout.J1[i], layout.J2[i]))
            .OrderBy(g => g.Key)
            .Select(g => (g.ToArray(), g.Select(i => parent.GetValueOrDefault((layout.Channel[i], layout.J1[i]), -1)).ToArray()))
            .Where(p => p.Item2.All(v => v >= 0))
            .ToArray();
        // Parents by slot in the first-order pooled columns: each parent's log is taken once per row, not once per child.
        _firstPooled = Where(i => layout.Order[i] == 1 && layout.Statistic[i] < 0);
        var slot = _firstPooled.Select((column, s) => (column, s)).ToDictionary(t => t.column, t => t.s);
        _parentSlots = _modulation.Select(m => m.Parents.Select(pc => slot[pc]).ToArray()).ToArray();
    }

    /// <summary>Features per window: contrast only (Filters), or shape, contrast and modulation.</summary>
    public int Length(bool background) => background ? 2 * Filters + ModulationPaths : Filters;

    /// <summary>
    /// Levels then modulation of one window (the quantities a background is the median of), into
    /// <paramref name="output"/> (<see cref="BackgroundLength"/>).
    /// </summary>
    public void Levels(ReadOnlySpan<double> row, double floor, Span<double> output)
    {
        var level = Level(row, floor);
        for (var j = 0; j < Filters; j++) output[j] = MeanLog(row, _pooled[j], level);
        Span<double> parentLogs = _firstPooled.Length <= 512 ? stackalloc double[_firstPooled.Length] : new double[_firstPooled.Length];
        for (var i = 0; i < _firstPooled.Length; i++) parentLogs[i] = Log(row[_firstPooled[i]], level);
        for (var p = 0; p < ModulationPaths; p++)
        {
            var columns = _modulation[p].Columns;
            double s = 0;
            var slots = _parentSlots[p];
            for (var c = 0; c < columns.Length; c++) s += Log(row[columns[c]], level) - parentLogs[slots[c]];
            output[Filters + p] = s / columns.Length;
        }
    }

    /// <summary>
    /// The window's features into <paramref name="output"/> (<see cref="Length"/>): [C] without a background, else
    /// [S, C, M − B_M]. <paramref name="scratch"/> holds <see cref="BackgroundLength"/> doubles.
    /// </summary>
    public void Compute(ReadOnlySpan<double> row, double floor, ReadOnlySpan<double> background, Span<double> output, Span<double> scratch)
    {
        var at = 0;
        if (!background.IsEmpty)
        {
            var levels = scratch[..BackgroundLength];
            Levels(row, floor, levels);
            double a = 0;
            for (var j = 0; j < Filters; j++) a += levels[j] - background[j];
            a /= Math.Max(1, Filters);
            for (var j = 0; j < Filters; j++) output[at++] = levels[j] - background[j] - a;
        }
        for (var j = 0; j < Filters; j++)
        {
            double s = 0;
            var (mean, max) = (_mean[j], _max[j]);
            // Unfloored: a ratio is free of gain, and a quiet band (near Nyquist, below the window's loudest by more
            // than the floor) still tells transient from stationary (labelled windows: ARI 0.84 floored, 0.94 not).
            for (var c = 0; c < mean.Length; c++) s += Contrast(row[max[c]], row[mean[c]]);
            output[at++] = mean.Length > 0 ? s / mean.Length : 0;
        }
        if (!background.IsEmpty)
        {
            var levels = scratch[..BackgroundLength];
            for (var p = 0; p < ModulationPaths; p++) output[at++] = levels[Filters + p] - background[Filters + p];
        }
    }

    // The window's floor: floor × its largest pooled coefficient (never 0), as the Log recipe's.
    private double Level(ReadOnlySpan<double> row, double floor)
    {
        double max = 0;
        foreach (var i in _poolColumns) max = Math.Max(max, row[i]);
        var level = floor * max;
        return level > 0 ? level : double.Epsilon;
    }

    private static double Contrast(double max, double mean) => max > 0 && mean > 0 ? Math.Log10(max / mean) : 0;

    private static double Log(double v, double level) => Math.Log10(Math.Max(v, level));

    private static double MeanLog(ReadOnlySpan<double> row, int[] columns, double level)
    {
        double s = 0;
        foreach (var i in columns) s += Log(row[i], level);
        return columns.Length > 0 ? s / columns.Length : 0;
    }
}
