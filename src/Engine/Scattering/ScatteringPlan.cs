using Seiscat.Native.Fftw;

namespace Seiscat.Engine.Scattering;

/// <summary>
/// Everything about a network that does not change between windows: banks (rounded to complex64 with FFTW's
/// missing 1/N folded in), FFT plans, the taper and the pooled index ranges. Immutable and shared by all threads;
/// each thread runs windows through its own <see cref="ScatteringNetwork"/>.
/// </summary>
public sealed class ScatteringPlan
{
    public ScatteringConfig Config { get; }
    public IReadOnlyList<IFilterBank> Banks { get; }
    public int Bins => Config.Bins;
    /// <summary>Floats between consecutive rows of N complex values / N reals: padded to 16 floats (64 bytes) so every row keeps FFTW's alignment.</summary>
    internal int ComplexRow { get; }
    internal int RealRow { get; }
    internal int HalfRow { get; }
    /// <summary>Per layer: its filters' Fourier multipliers, rows of <see cref="ComplexRow"/> floats.</summary>
    internal float[][] Multipliers { get; }
    internal double[]? Taper { get; }
    /// <summary>Pooled samples as [start, end) of the output array (the taper's flat part; everything without taper).</summary>
    public (int Start, int End) PoolRange { get; }
    /// <summary>
    /// Per first-layer filter, the samples its statistics (max, avg, ...) are pooled over. With a taper, the flat
    /// part. Without one, the window's edges are a discontinuity of the circular convolution, and its response
    /// dominates a band's maximum (the labelled real windows: ARI 0.33 on the max/mean contrast against 0.88 with
    /// the edges left out): each filter leaves out three standard deviations of its envelope at both ends, where it
    /// still reaches the edge (exp(−(t/w)²) has σ = w/√2; at most a quarter of the window per end).
    /// </summary>
    public (int Start, int End)[] StatisticsRanges { get; }
    internal FftwPlan RealForward { get; }
    internal FftwPlan[] Backward { get; }
    /// <summary>Per layer: r2c of all its U rows at once (rows RealRow floats apart), feeding the next layer.</summary>
    internal FftwPlan[] RealForwardBatch { get; }

    public ScatteringPlan(ScatteringConfig config, FftwEffort effort = FftwEffort.Estimate, Func<LayerConfig, IFilterBank>? bankFactory = null)
    {
        Config = config;
        var n = config.Bins;
        bankFactory ??= layer => new MorletFilterBank(layer, n, config.SamplingRate);
        Banks = config.Layers.Select(bankFactory).ToArray();
        ComplexRow = Pad16(2 * n);
        RealRow = Pad16(n);
        HalfRow = Pad16(2 * (n / 2 + 1));
        // The full-length multipliers and batched plans serve only the exact path: a fast plan skips them (planning the
        // batched 2000-point transforms PATIENT costs seconds on a cold wisdom cache).
        var exact = config.Path == ScatteringPath.Exact;
        Multipliers = !exact ? [] : Banks.Select(bank =>
        {
            var m = new float[bank.Count * ComplexRow];
            for (var j = 0; j < bank.Count; j++)
            {
                var f = bank.FrequencyResponse(j);
                for (var k = 0; k < n; k++)
                {
                    m[j * ComplexRow + 2 * k] = (float)(f[k].Real / n);
                    m[j * ComplexRow + 2 * k + 1] = (float)(f[k].Imaginary / n);
                }
            }
            return m;
        }).ToArray();
        if (config.TaperAlpha is { } alpha && alpha > 0)
        {
            Taper = Tukey(n, alpha);
            var first = Array.IndexOf(Taper, 1.0);
            var last = Array.LastIndexOf(Taper, 1.0);
            PoolRange = first < 0 ? (0, n) : (first, last + 1);
        }
        else PoolRange = (0, n);
        StatisticsRanges = Banks[0].BandwidthsHz.Select(bandwidth =>
        {
            if (Taper is not null) return PoolRange;
            var width = 2 * Math.Sqrt(Math.Log(2)) / (Math.PI * bandwidth); // w from the FWHM of the envelope's spectrum
            var margin = (int)Math.Min(Math.Ceiling(3 * width / Math.Sqrt(2) * config.SamplingRate), n / 4);
            return (margin, n - margin);
        }).ToArray();
        RealForward = FftwPlan.Get(new PlanKey(FftKind.RealToComplex, n, 1, RealRow, HalfRow / 2, effort));
        Backward = !exact ? [] : Banks.Select(b => FftwPlan.Get(new PlanKey(FftKind.ComplexBackward, n, b.Count, ComplexRow / 2, ComplexRow / 2,
            effort))).ToArray();
        RealForwardBatch = !exact ? [] : Banks.Take(Banks.Count - 1).Select(b => FftwPlan.Get(new PlanKey(FftKind.RealToComplex, n, b.Count, RealRow,
            HalfRow / 2, effort))).ToArray();
        PathsPerLayer = Banks.Select((_, l) => Banks.Take(l + 1).Aggregate(1, (acc, b) => acc * b.Count)).ToArray();
        Coefficients = BuildMeta();
        Pruned = new bool[Banks.Count > 1 ? Banks[0].Count * Banks[1].Count : 0];
        if (config.Prune && Banks.Count > 1)
            for (var j = 0; j < Banks[0].Count; j++)
                for (var k = 0; k < Banks[1].Count; k++) Pruned[j * Banks[1].Count + k] = Banks[1].CentersHz[k] >= Banks[0].CentersHz[j];
        BandLimited = config.Path == ScatteringPath.Fast ? new BandLimitedPlan(this) : null;
    }

    /// <summary>Per second-order path (j1·J2 + j2): left out by the configuration's "prune" (its coefficient is 0).</summary>
    internal bool[] Pruned { get; }

    public bool IsPruned(int j1, int j2) => Pruned.Length > 0 && Pruned[j1 * Banks[1].Count + j2];

    /// <summary>Whether a coefficient is computed (false: a pruned second-order path, always 0).</summary>
    public bool IsComputed(CoefficientMeta m) => m.Order != 2 || !IsPruned(m.J1, m.J2);

    /// <summary>The fast path's band plan when the configuration asks for it (else null).</summary>
    public BandLimitedPlan? BandLimited { get; }

    /// <summary>A per-thread network for this plan: the fast path's when configured, else the exact one.</summary>
    public IWindowTransform NewWorker() => BandLimited is { } fast ? new FastScatteringNetwork(fast) : new ScatteringNetwork(this);

    private static int Pad16(int floats) => (floats + 15) / 16 * 16;

    /// <summary>scipy.signal.windows.tukey(n, alpha, sym=True), which scatseisnet multiplies onto every segment.</summary>
    public static double[] Tukey(int n, double alpha)
    {
        var w = new double[n];
        if (alpha <= 0) { Array.Fill(w, 1.0); return w; }
        if (alpha >= 1)
        {
            for (var i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / (n - 1));
            return w;
        }
        var width = (int)Math.Floor(alpha * (n - 1) / 2.0);
        for (var i = 0; i < n; i++)
        {
            if (i <= width) w[i] = 0.5 * (1 + Math.Cos(Math.PI * (-1 + 2.0 * i / alpha / (n - 1))));
            else if (i < n - width - 1) w[i] = 1.0;
            else w[i] = 0.5 * (1 + Math.Cos(Math.PI * (-2.0 / alpha + 1 + 2.0 * i / alpha / (n - 1))));
        }
        return w;
    }

    /// <summary>Paths per channel at each layer (J1, J1·J2, …).</summary>
    public IReadOnlyList<int> PathsPerLayer { get; }

    /// <summary>Bytes of one <see cref="ScatteringNetwork"/>'s buffers (a worker's workspace; the plan's filters are shared).</summary>
    public long WorkspaceBytes => BandLimited?.WorkspaceBytes ?? 4L * (RealRow + HalfRow + ComplexRow + 2 * Bins + 32
        + Banks.Sum(b => (long)b.Count * (2L * ComplexRow + RealRow + HalfRow)));

    /// <summary>Pooled values per window for C channels: Σ_l C·paths_l (× N without pooling).</summary>
    public int OutputLength(int channels) => channels * PathsPerLayer.Sum() * (Config.Pooling == Pooling.None ? Bins : 1)
        + channels * Banks[0].Count * Config.FirstOrderStatistics.Count;

    /// <summary>Where the first-order statistics start in a window's output: after every layer, statistic-major, then
    /// channel, then first-layer filter.</summary>
    public int StatisticsOffset(int channels) => channels * PathsPerLayer.Sum() * (Config.Pooling == Pooling.None ? Bins : 1);

    /// <summary>Where layer l's block starts in a window's output, for C channels.</summary>
    public int LayerOffset(int layer, int channels)
    {
        var offset = 0;
        for (var l = 0; l < layer; l++) offset += channels * PathsPerLayer[l] * (Config.Pooling == Pooling.None ? Bins : 1);
        return offset;
    }

    /// <summary>Per channel-independent path metadata, in flattening order [layer1 (C·J1) | layer2 (C·J1·J2) | …], for C = 1.</summary>
    public IReadOnlyList<CoefficientMeta> Coefficients { get; }

    /// <summary>Metadata of the flattened output for C channels (pooled configurations).</summary>
    public IEnumerable<CoefficientMeta> CoefficientsFor(int channels)
    {
        var perLayer = Coefficients.GroupBy(c => c.Order).OrderBy(g => g.Key).ToList();
        foreach (var layer in perLayer)
            for (var c = 0; c < channels; c++)
                foreach (var m in layer) yield return m with { Channel = c };
        foreach (var statistic in Config.FirstOrderStatistics)
            for (var c = 0; c < channels; c++)
                foreach (var m in perLayer[0]) yield return m with { Channel = c, Statistic = statistic };
    }

    private List<CoefficientMeta> BuildMeta()
    {
        var list = new List<CoefficientMeta>();
        var paths = new List<int[]> { Array.Empty<int>() };
        for (var l = 0; l < Banks.Count; l++)
        {
            paths = paths.SelectMany(p => Enumerable.Range(0, Banks[l].Count).Select(j => p.Append(j).ToArray())).ToList();
            foreach (var p in paths)
                list.Add(new CoefficientMeta(l + 1, 0, p[0], p.Length > 1 ? p[1] : -1, Banks[0].CentersHz[p[0]],
                    p.Length > 1 ? Banks[1].CentersHz[p[1]] : double.NaN, p));
        }
        return list;
    }
}
