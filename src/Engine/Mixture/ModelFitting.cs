using Seiscat.Engine.Common;
using Seiscat.Engine.Io;
using Seiscat.Engine.Linear;


namespace Seiscat.Engine.Mixture;

public enum SamplingStrategy { Uniform, ByTime }

public sealed record FitOptions
{
    /// <summary>Rows to fit on: an absolute count, or a fraction of all rows (0..1]; null = all rows.</summary>
    public long? SampleCount { get; init; }
    public double? SampleFraction { get; init; }
    public SamplingStrategy Strategy { get; init; } = SamplingStrategy.Uniform;
    public TransformOptions Transform { get; init; } = new();
    public bool KMeans { get; init; }
    /// <summary>Fixed K, or (min, max) searched by BIC.</summary>
    public int Clusters { get; init; } = 8;
    public (int Min, int Max)? AutoRange { get; init; }
    /// <summary>With an automatic K: combine the BIC mixture's components whose posteriors overlap, until a join lowers
    /// the assignment entropy by less than this per window (<see cref="ComponentMerging"/>); null: one cluster per
    /// component.</summary>
    public double? MergeThreshold { get; init; } = ComponentMerging.DefaultThreshold;
    public GmmOptions Gmm { get; init; } = new() { Components = 8 };
    public GmmInit? Init { get; init; }
    /// <summary>With an automatic K: stop the BIC search after this many K in a row above the best (0: try the whole range).</summary>
    public int BicPatience { get; init; } = 3;
    /// <summary>With an automatic K and the merging: join the clusters whose windows coincide across stations beyond chance
    /// from this chance-corrected share on (<see cref="NetworkCoincidence"/>); null: never.</summary>
    public double? JoinThreshold { get; init; } = NetworkCoincidence.DefaultThreshold;
    /// <summary>With the join: join the station-local clusters, those whose windows have an event window at another station
    /// less often than this, above chance (<see cref="NetworkCoincidence"/>); null: never.</summary>
    public double? LocalJoinThreshold { get; init; } = NetworkCoincidence.DefaultLocalThreshold;
    /// <summary>How deep the cluster tree may grow (<see cref="ClusterTree"/>): 1 = one mixture, as before issue 27.</summary>
    public int Levels { get; init; } = ClusterTree.DefaultLevels;
    public bool RefuseNonFinite { get; init; }
    public ulong Seed { get; init; }
    /// <summary>Bounds the sample: an explicit --sample that cannot fit is refused; the default (all rows) is capped.</summary>
    public MemoryBudget Memory { get; init; } = MemoryBudget.Default;
}

public sealed record FitReport(long Rows, long Sampled, long DroppedNonFinite, int Clusters, IReadOnlyList<(int K, double Bic)> BicCurve, double Seconds)
{
    /// <summary>The mixture's component count (the BIC's choice; more than <see cref="Clusters"/> when combined).</summary>
    public int Components { get; init; } = Clusters;
    /// <summary>Set when the sample was capped to fit --memory.</summary>
    public string? SampleNote { get; init; }
    /// <summary>One line per refinement the tree tried (made or declined, and why).</summary>
    public IReadOnlyList<string> Tree { get; init; } = [];
}

/// <summary>
/// fit: draw a sample across the whole input (never all rows in memory unless asked), transform it, cluster it.
/// The sample is drawn by index with xoshiro256** (uniform), or evenly across UTC hours of window start (by-time),
/// then read in one pass in row order.
/// </summary>
public static class ModelFitting
{
    public static ClusterModel Fit(FeatureSource source, FitOptions o, out FitReport report)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var n = source.Rows;
        if (n == 0) throw SeiscatException.For(source.Path, source.Dataset, "holds no rows", "compute features first");
        var take = o.SampleCount ?? (o.SampleFraction is { } f ? (long)Math.Ceiling(f * n) : n);
        take = Math.Clamp(take, 1, n);
        var d = source.Columns;
        string? note = null;
        var (fits, fixedBytes, perRow) = SampleCapacity(o, n, d);
        if (take > fits)
        {
            if (o.SampleCount is null && o.SampleFraction is null && fits >= Math.Min(n, 1000))
            {
                note = $"fitting on {fits} of {n} rows (all of them would need about " +
                    $"{MemoryBudget.Format(fixedBytes + perRow * n + MemoryBudget.RuntimeBytes)}, {Setting.Memory.Ref()} is {o.Memory}); pass " +
                        $"{Setting.Sample.Ref()} to choose, or raise {Setting.Memory.Ref()}";
                take = fits;
            }
            else
                o.Memory.Require(fixedBytes + perRow * take, $"fit on {take} rows × {d} features",
                    $"use {Setting.Sample.Ref()} {Math.Max(1, fits)} or less, or raise {Setting.Memory.Ref()}");
        }
        var rows = Choose(source, take, o.Strategy, o.Seed);
        var x = new double[rows.Length * d];
        var stations = new int[rows.Length];
        var starts = new long[rows.Length];
        ReadRows(source, rows, x, stations, starts);
        // Non-finite rows (e.g. windows of a corrupt stretch) are dropped with a count, or refused.
        var keep = new List<int>();
        for (var i = 0; i < rows.Length; i++)
        {
            if (IsFinite(x.AsSpan(i * d, d))) keep.Add(i);
            else if (o.RefuseNonFinite) throw SeiscatException.For(source.Path, source.Dataset, $"row {rows[i]} holds NaN or Inf",
                $"recompute the features or fit with {Setting.NanPolicy.Ref()} drop");
        }
        var dropped = rows.Length - keep.Count;
        if (dropped > 0)
        {
            var compact = new double[keep.Count * d];
            for (var i = 0; i < keep.Count; i++) x.AsSpan(keep[i] * d, d).CopyTo(compact.AsSpan(i * d, d));
            x = compact;
            stations = keep.Select(i => stations[i]).ToArray();
            starts = keep.Select(i => starts[i]).ToArray();
        }
        var m = keep.Count;
        var model = FitNode(source, x, m, d, stations, o, null, out var curve, out var recipeNote, Coincidence.Of(source, starts, everyone: false));
        x = []; // the sample is done with: the tree's second pass takes its room in the budget
        if (recipeNote is not null) note = note is null ? recipeNote : note + "; " + recipeNote;
        model = model.WithSampling($"{o.Strategy.ToString().ToLowerInvariant()} {m} of {n}", m);
        IReadOnlyList<string> tree = [];
        if (o.Levels > 1 && ClusterTree.Applies(model, o)) (model, tree) = ClusterTree.Refine(source, model, o);
        report = new FitReport(n, m, dropped, model.Clusters, curve, clock.Elapsed.TotalSeconds)
        {
            SampleNote = note,
            Components = model.Mixture?.K ?? model.Clusters,
            Tree = tree,
        };
        return model;
    }

    /// <summary>
    /// One node of the model: the transform fitted on X (m sampled rows × d, with their station indices), then the
    /// mixture (BIC over the options' range and the merging of overlapping components) or k-means. A tree's lower nodes
    /// pass the root's station <paramref name="backgrounds"/>, so every node measures levels on the same scale.
    /// </summary>
    internal static ClusterModel FitNode(FeatureSource source, double[] x, int m, int d, int[] stations, FitOptions o, UnitBackgrounds? backgrounds,
        out List<(int K, double Bic)> curve, out string? recipeNote, Coincidence? coincidence = null)
    {
        var (transform, z, fitted, note) = FitTransform(source, x, m, d, stations, o.Transform with { Seed = o.Seed }, backgrounds);
        recipeNote = note;
        var q = transform.OutputFeatures;
        curve = [];
        int[]? componentCluster = null;
        IReadOnlyList<MergeStep> merges = [];
        IReadOnlyList<CoincidenceJoin> joins = [];
        GaussianMixture? gmm = null;
        KMeans? km = null;
        int k;
        if (o.KMeans)
        {
            k = o.Clusters;
            km = Mixture.KMeans.Fit(z, m, q, k, o.Seed);
        }
        else if (o.AutoRange is { } range && o.Init is null)
        {
            double bestBic = double.PositiveInfinity;
            k = range.Min;
            for (var kk = range.Min; kk <= Math.Min(range.Max, m); kk++)
            {
                // The BIC of a mixture rises steadily past its best K; BicPatience K in a row above the best end the
                // search (the larger K cost the most: on 34 525 windows 2..12 took 20 s, 2..7 about 8 s).
                if (o.BicPatience > 0 && kk - k > o.BicPatience) break;
                var candidate = GaussianMixture.Fit(z, m, q, o.Gmm with { Components = kk, Seed = o.Seed });
                var bic = candidate.Bic(z, m);
                curve.Add((kk, bic));
                if (bic < bestBic) { bestBic = bic; gmm = candidate; k = kk; }
            }
            if (o.MergeThreshold is { } threshold && gmm is not null && gmm.K > 1)
            {
                var ll = new double[m];
                var logResp = new double[m * gmm.K];
                gmm.ScoreSamples(z, m, ll, logResp);
                for (var t = 0; t < logResp.Length; t++) logResp[t] = Math.Exp(logResp[t]);
                (componentCluster, k, merges) = ComponentMerging.Merge(logResp, m, gmm.K, threshold);
                if (o.JoinThreshold is { } join && coincidence is not null && k > 1)
                    (componentCluster, k, joins) = coincidence.Join(logResp, m, gmm.K, componentCluster, k, stations, join, o.LocalJoinThreshold);
            }
        }
        else
        {
            k = o.Init is { } init ? init.Means.Length / q : o.Clusters;
            if (o.Init is { } i0 && i0.Means.Length != k * q)
                throw new SeiscatException($"{Setting.Init.Ref()} means have {i0.Means.Length} values, not a multiple of the {q} reduced features");
            gmm = GaussianMixture.Fit(z, m, q, o.Gmm with { Components = k, Seed = o.Seed }, o.Init);
        }
        return new ClusterModel
        {
            Transform = transform,
            Mixture = gmm,
            KMeans = km,
            Clusters = k,
            FeatureConfig = source.ConfigJson,
            SampleSize = m,
            Seed = o.Seed,
            Source = $"{source.Path}:{source.Dataset}",
            Selection = curve.Count > 0 ? (curve.Select(c => c.Item1).ToArray(), curve.Select(c => c.Item2).ToArray()) : null,
            Backgrounds = fitted,
            ComponentCluster = componentCluster,
            Merges = merges,
            Joins = joins,
        };
    }

    /// <summary>
    /// The feature transform the options ask for, as far as the source allows: the Events recipe needs the first-order
    /// max and mean statistics (features computed by seiscat 0.2 or later) — without them, the Log recipe, said in a
    /// note; plain matrices get Log silently — and takes levels relative to station backgrounds when the windows have
    /// stations and times.
    /// </summary>
    public static (FeatureTransform Transform, double[] Transformed, UnitBackgrounds? Backgrounds, string? Note) FitTransform(FeatureSource source,
        double[] x, int n, int d, int[] stations, TransformOptions o, UnitBackgrounds? known = null)
    {
        // The paper network's features are already logs of parent-normalised coefficients: as the paper, PCA takes them as they are.
        if (o.Recipe == FeatureRecipe.Auto && NetworkKinds.Of(source.ConfigJson) == NetworkKind.Paper)
            o = o with { Recipe = FeatureRecipe.Log, Scale = ScaleKind.None };
        if (o.Recipe == FeatureRecipe.Auto) o = o with { Recipe = source.StationDistanceM is null ? FeatureRecipe.Events : FeatureRecipe.Log };
        // A plain matrix's columns are anonymous: the Events recipe has nothing to read, and Log is what the user asked.
        if (o.Recipe == FeatureRecipe.Events && o.Scale != ScaleKind.None && source.DescribesCoefficients)
        {
            var paths = source.ColumnPaths();
            var layout = new ColumnLayout(paths.Order, paths.Channel, paths.J1, paths.J2, paths.F1Hz, paths.F2Hz, paths.Statistic);
            if (new EventFeatures(layout).HasContrast)
            {
                var background = known ?? UnitBackgrounds.TryCompute(source, layout, o.Floor);
                var t = FeatureTransform.FitEvents(x, n, d, o, layout, background is not null, i => background!.For(stations[i]), out var z);
                return (t, z, background, null);
            }
            var fallback = FeatureTransform.FitOverwriting(x, n, d, o with { Recipe = FeatureRecipe.Log }, out var logged);
            return (fallback, logged, null, $"{source.Path} has no first-order max/avg statistics (features from an older seiscat, or a " +
                "configuration with \"statistics\": []): fitted on log coefficients instead of the event contrasts");
        }
        return (FeatureTransform.FitOverwriting(x, n, d, o with { Recipe = FeatureRecipe.Log }, out var plain), plain, null, null);
    }

    /// <summary>
    /// How many sampled rows fit the budget. Per row: the features (logged in place) and the kept, scaled columns
    /// (centred in place for the SVD) — two n × d arrays, plus a quarter for the GC's slack — the reduced rows twice,
    /// and three K-wide arrays in EM (responsibilities, log-densities, a copy); by-time sampling adds per-hour counts
    /// and the drawn indices. Measured: 53 829 rows × 504 features peaked at 460 MiB RSS.
    /// </summary>
    public static (long Rows, long FixedBytes, long PerRow) SampleCapacity(FitOptions o, long n, int d)
    {
        var q = o.Transform.Reduce == Linear.ReduceKind.None ? d : Math.Min(d, o.Transform.ReduceComponents);
        var k = o.AutoRange?.Max ?? o.Clusters;
        var perRow = 8L * (5L * d / 2 + 2L * q + 3L * k) + 16 + (o.Strategy == SamplingStrategy.ByTime ? 64 : 0);
        // The SVD works on the smaller Gram matrix (ThinSvd): d × d, or n × n for wide features such as the paper network's.
        var small = Math.Min(d, n);
        var fixedBytes = (o.Strategy == SamplingStrategy.ByTime ? 2L << 20 : 0) + 8L * 4096 * d + 16L * small * small;
        return (Math.Max(0, (o.Memory.Available - fixedBytes) / perRow), fixedBytes, perRow);
    }

    /// <summary>Whether every value of a row is finite (rows holding NaN or Inf are dropped from a fit, or refused).</summary>
    internal static bool IsFinite(ReadOnlySpan<double> row)
    {
        foreach (var v in row) if (!double.IsFinite(v)) return false;
        return true;
    }

    /// <summary>Sorted row indices of the sample.</summary>
    public static long[] Choose(FeatureSource source, long take, SamplingStrategy strategy, ulong seed)
    {
        var n = source.Rows;
        if (take >= n) return Enumerable.Range(0, (int)n).Select(i => (long)i).ToArray();
        var rng = new Xoshiro256(seed, 300);
        if (strategy == SamplingStrategy.ByTime)
        {
            if (!source.HasTimes)
                throw SeiscatException.For(source.Path, source.Dataset, "has no /window_start_ns, so it cannot be sampled by time",
                    $"use {Setting.Strategy.Ref()} uniform");
            // Equal share per UTC hour that has windows (fewer when an hour has fewer), the rest uniformly. Two streaming
            // passes over the start times keep memory at O(hours + sample): count windows per hour, draw local indices
            // per hour, then map them to rows (an hour's windows are its rows in ascending order).
            var perHour = new SortedDictionary<long, int>();
            ForEachHour(source, (_, hour) => perHour[hour] = perHour.GetValueOrDefault(hour) + 1);
            var share = Math.Max(1, take / perHour.Count);
            var picks = new Dictionary<long, HashSet<long>>();
            foreach (var (hour, count) in perHour) picks[hour] = Sampling.Floyd(count, Math.Min(share, count), rng.BelowByScaling);
            var chosen = new HashSet<long>();
            var seen = new Dictionary<long, int>();
            ForEachHour(source, (row, hour) =>
            {
                var local = seen.GetValueOrDefault(hour);
                seen[hour] = local + 1;
                if (picks[hour].Contains(local)) chosen.Add(row);
            });
            var rest = take - chosen.Count;
            while (rest > 0)
            {
                var i = (long)(rng.NextDouble() * n) % n;
                if (chosen.Add(i)) rest--;
            }
            return chosen.Order().Take((int)take).ToArray();
        }
        return Sampling.Floyd(n, take, rng.BelowByScaling).Order().ToArray();
    }

    private static void ForEachHour(FeatureSource source, Action<long, long> visit)
        => source.ForEachMeta((row, startNs, _) => visit(row, (long)Math.Floor(startNs / 3.6e12)));

    /// <summary>Reads the sorted rows (and, when asked, their station indices) in one forward pass of 4096-row blocks.</summary>
    public static void ReadRows(FeatureSource source, long[] rows, double[] destination, int[]? stations = null, long[]? startNs = null)
    {
        const int block = 4096;
        var d = source.Columns;
        var buffer = new double[block * d];
        var starts = new long[block];
        var station = new int[block];
        var gaps = new float[block];
        var next = 0;
        for (long first = 0; first < source.Rows && next < rows.Length; first += block)
        {
            var count = (int)Math.Min(block, source.Rows - first);
            if (rows[next] >= first + count) continue;
            source.ReadRows(first, count, buffer);
            if (stations is not null || startNs is not null) source.ReadMeta(first, count, starts, station, gaps);
            while (next < rows.Length && rows[next] < first + count)
            {
                buffer.AsSpan((int)(rows[next] - first) * d, d).CopyTo(destination.AsSpan(next * d, d));
                if (stations is not null) stations[next] = station[(int)(rows[next] - first)];
                if (startNs is not null) startNs[next] = starts[(int)(rows[next] - first)];
                next++;
            }
        }
    }
}
