using Seiscat.Engine.Common;
using Seiscat.Engine.Kernels;
using Seiscat.Engine.Linear;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Mixture;

/// <summary>A node's non-background clusters (<see cref="Parents"/>) pooled and refitted as <see cref="Model"/>, on the
/// <see cref="Rows"/> windows of the whole input that fell in them.</summary>
public sealed record ClusterBranch(int[] Parents, ClusterModel Model, long Rows, string Note);

/// <summary>
/// A fitted model: the feature transform and a Gaussian mixture (or k-means centres), with what it expects.
/// model.h5 documents itself (h5py-readable):
/// <code>
/// /scale/{kept_columns (int32), center, spread}        attrs kind (log10|standard|minmax), floor
/// /reduce/{mean, components, [whitening, unmixing, mixing]}  attrs kind (none|pca|ica), explained_variance_ratio (pca)
/// /mixture/{weights, means, covariances, precisions_cholesky}   sklearn shapes; attrs covariance_type, n_iter, converged, lower_bound
/// /kmeans/centers                                       (clusterer = kmeans)
/// /selection/{k, bic}                                   BIC per K when K was chosen automatically
/// root attrs: clusterer, n_clusters, n_features, feature_config, sample_size, sampling, seed, source, seiscat_version
/// /branch/parents (int32)                               a hierarchical model: the node's clusters refitted as one group,
/// /branch/{scale, reduce, mixture, …, branch}           and the child node in the same layout (attrs rows, note, …)
/// </code>
/// </summary>
public sealed class ClusterModel
{
    public required FeatureTransform Transform { get; init; }
    public GaussianMixture? Mixture { get; init; }
    public KMeans? KMeans { get; init; }
    public required int Clusters { get; init; }
    public string? FeatureConfig { get; init; }
    private long _sampleSize;
    private string _sampling = "";
    private ClusterBranch? _branch;
    public long SampleSize { get => _sampleSize; init => _sampleSize = value; }
    public string Sampling { get => _sampling; init => _sampling = value; }
    public ulong Seed { get; init; }
    public string Source { get; init; } = "";
    public (int[] K, double[] Bic)? Selection { get; init; }
    /// <summary>The cluster of each mixture component when components were combined (null: one cluster each).</summary>
    public int[]? ComponentCluster { get; init; }
    /// <summary>The merge hierarchy of the components (for the report's dendrogram); empty when not combined.</summary>
    public IReadOnlyList<MergeStep> Merges { get; init; } = [];
    /// <summary>Clusters of the merging joined afterwards because their windows coincide across stations
    /// (<see cref="NetworkCoincidence"/>); <see cref="ComponentCluster"/> already maps to the joined clusters.</summary>
    public IReadOnlyList<CoincidenceJoin> Joins { get; init; } = [];
    /// <summary>The stations' backgrounds the transform was fitted with (Events recipe with backgrounds).</summary>
    public StationBackgrounds? Backgrounds { get; init; }
    /// <summary>The refinement of this node's non-background clusters (<see cref="ClusterTree"/>): null for a leaf-only
    /// node, i.e. a flat model.</summary>
    public ClusterBranch? Branch { get => _branch; init => _branch = value; }

    /// <summary>This node with its provenance: how the sample was drawn and its size.</summary>
    public ClusterModel WithSampling(string sampling, long size)
    {
        var copy = (ClusterModel)MemberwiseClone();
        copy._sampling = sampling;
        copy._sampleSize = size;
        return copy;
    }

    /// <summary>This node with <paramref name="branch"/> as its refinement (the node itself is shared, not copied).</summary>
    public ClusterModel WithBranch(ClusterBranch? branch)
    {
        var copy = (ClusterModel)MemberwiseClone();
        copy._branch = branch;
        return copy;
    }

    /// <summary>How many labels predict gives: this node's clusters, with the refined group replaced by the child's labels.</summary>
    public int Labels => Branch is { } b ? Clusters - b.Parents.Length + b.Model.Labels : Clusters;

    /// <summary>The labels' names, the path through the tree ("0", "2.1", "2.0.1"): this node's clusters outside the
    /// refined group keep their order and come first; the group is named by the next number and its child's labels follow.</summary>
    public IReadOnlyList<string> LabelNames()
    {
        if (Branch is not { } b) return Enumerable.Range(0, Clusters).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var kept = Clusters - b.Parents.Length;
        var names = Enumerable.Range(0, kept).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        names.AddRange(b.Model.LabelNames().Select(n => $"{kept}.{n}"));
        return names;
    }

    /// <summary>Per label, its top-level cluster: the first number of its name.</summary>
    public int[] TopLevel()
    {
        if (Branch is not { } b) return Enumerable.Range(0, Clusters).ToArray();
        var kept = Clusters - b.Parents.Length;
        return [.. Enumerable.Range(0, kept), .. Enumerable.Repeat(kept, b.Model.Labels)];
    }

    /// <summary>Each of this node's clusters' share of the fitted windows: the summed weights of its mixture components
    /// (uniform for k-means).</summary>
    public double[] ClusterWeights()
    {
        var w = new double[Clusters];
        if (Mixture is { } g)
            for (var c = 0; c < g.K; c++) w[ComponentCluster is { } map ? map[c] : c] += g.Weights[c];
        else Array.Fill(w, 1.0 / Clusters);
        return w;
    }

    /// <summary>
    /// The tree's one rule for a refined group (the predictor's and the fit's second pass): a row falls in it when the
    /// group's summed posterior exceeds every other cluster's. <paramref name="group"/>: that sum; <paramref name="bestKept"/>:
    /// the most probable cluster outside the group (-1 when every cluster is in it).
    /// </summary>
    internal static bool FallsInGroup(ReadOnlySpan<double> post, bool[] inGroup, out double group, out int bestKept)
    {
        group = 0;
        bestKept = -1;
        for (var c = 0; c < post.Length; c++)
        {
            if (inGroup[c]) group += post[c];
            else if (bestKept < 0 || post[c] > post[bestKept]) bestKept = c;
        }
        return bestKept < 0 || group > post[bestKept];
    }

    /// <summary>Each label's share of the fitted windows: a cluster's mixture weight, a refined group's weight split by its
    /// child's label weights. Uniform for k-means.</summary>
    public double[] LabelWeights()
    {
        var w = ClusterWeights();
        if (Branch is not { } b) return w;
        var inGroup = new bool[Clusters];
        foreach (var c in b.Parents) inGroup[c] = true;
        var group = b.Parents.Sum(c => w[c]);
        return [.. Enumerable.Range(0, Clusters).Where(c => !inGroup[c]).Select(c => w[c]), .. b.Model.LabelWeights().Select(v => group * v)];
    }

    /// <summary>Tree depth: 1 for a flat model.</summary>
    public int Depth => Branch is { } b ? 1 + b.Model.Depth : 1;

    /// <summary>Cluster centres in the reduced space: a mixture component's mean, or the weighted mean of a combined
    /// cluster's components; k-means centres.</summary>
    public double[] Centers()
    {
        if (Mixture is not { } gmm) return KMeans!.Centers;
        if (ComponentCluster is not { } map) return gmm.Means;
        var q = gmm.D;
        var centers = new double[Clusters * q];
        var weight = new double[Clusters];
        for (var k = 0; k < gmm.K; k++)
        {
            weight[map[k]] += gmm.Weights[k];
            for (var j = 0; j < q; j++) centers[map[k] * q + j] += gmm.Weights[k] * gmm.Means[k * q + j];
        }
        for (var c = 0; c < Clusters; c++)
            for (var j = 0; j < q; j++) centers[c * q + j] /= Math.Max(weight[c], double.Epsilon);
        return centers;
    }

    /// <summary>
    /// Labels rows of one feature source. A model whose transform takes station backgrounds needs the source's
    /// (<see cref="StationBackgrounds.Compute(Io.FeatureSource, FeatureTransform)"/>) and each row's station index.
    /// </summary>
    public sealed class Predictor
    {
        private readonly ClusterModel _model;
        private readonly StationBackgrounds? _backgrounds;
        private readonly double[] _scratch;
        private readonly double[] _centers;
        private readonly Predictor? _child;
        // Node cluster -> label for the clusters outside the refined group (-1: in the group).
        private readonly int[] _keptLabel;
        private readonly bool[] _inGroup;
        private readonly double[] _childPrior = [];
        private double[] _z = [];
        private double[] _logResp = [];
        private double[] _ll = [];
        private double[] _post = [];
        private double[] _nodePost = [];
        private double[] _groupMass = [];
        private double[] _childRows = [];
        private int[] _childStations = [], _childIndex = [], _childCluster = [];
        private double[] _childProbability = [], _childLl = [], _childDistance = [], _childProba = [];

        public Predictor(ClusterModel model, StationBackgrounds? backgrounds = null)
        {
            if (model.Transform.Background && backgrounds is null)
                throw new ArgumentException("this model's features are relative to station backgrounds: pass the source's", nameof(backgrounds));
            _model = model;
            _backgrounds = backgrounds;
            _scratch = new double[model.Transform.ScratchLength];
            _centers = model.Centers();
            _inGroup = new bool[model.Clusters];
            _keptLabel = new int[model.Clusters];
            if (model.Branch is { } b)
            {
                foreach (var c in b.Parents) _inGroup[c] = true;
                _child = new Predictor(b.Model, backgrounds);
                var prior = b.Model.LabelWeights();
                var total = prior.Sum();
                _childPrior = prior.Select(v => v / total).ToArray();
            }
            for (int c = 0, next = 0; c < model.Clusters; c++) _keptLabel[c] = _inGroup[c] ? -1 : next++;
        }

        /// <summary>The reduced features of one row (its station's background applied) in this node's space.</summary>
        public void Reduce(ReadOnlySpan<double> row, int station, Span<double> z)
            => _model.Transform.Transform(row, _model.Transform.Background ? _backgrounds!.For(station) : default, z, _scratch);

        public void Predict(ReadOnlySpan<double> rows, int n, Span<int> cluster, Span<double> probability, Span<double> logLikelihood,
            Span<double> distance, Span<double> proba = default) => Predict(rows, n, default, cluster, probability, logLikelihood, distance, proba);

        /// <summary>Per row: label (a leaf of the tree), its probability (the product of the posteriors along its path),
        /// the top node's mixture log-likelihood, the distance to the leaf's centre in its node's reduced space, and
        /// optionally every label's probability (n × Labels). <paramref name="stations"/>: each row's station index (may
        /// be empty when the model has no backgrounds). A row descends into the refined group when the group's summed
        /// posterior exceeds every other cluster's; the child is evaluated for every row whose group posterior is not
        /// negligible, so the label probabilities stay a distribution while background rows cost one node.</summary>
        public void Predict(ReadOnlySpan<double> rows, int n, ReadOnlySpan<int> stations, Span<int> cluster, Span<double> probability,
            Span<double> logLikelihood, Span<double> distance, Span<double> proba = default)
        {
            var model = _model;
            var d = model.Transform.InputFeatures;
            var q = model.Transform.OutputFeatures;
            var k = model.Clusters;
            var labels = model.Labels;
            var k0 = model.Mixture?.K ?? k;
            if (_z.Length < n * q)
            {
                _z = new double[n * q];
                _logResp = new double[n * k0];
                _ll = new double[n];
                _post = new double[k];
                _nodePost = _child is null ? [] : new double[n * k];
                _groupMass = _child is null ? [] : new double[n];
            }
            for (var i = 0; i < n; i++) Reduce(rows.Slice(i * d, d), stations.IsEmpty ? 0 : stations[i], _z.AsSpan(i * q, q));
            var centers = _centers;
            var nodeCluster = cluster; // this node's cluster per row, rewritten as labels below when there is a branch
            if (model.Mixture is { } gmm)
            {
                gmm.ScoreSamples(_z, n, _ll, _logResp);
                var map = model.ComponentCluster;
                for (var i = 0; i < n; i++)
                {
                    // A combined cluster's probability is the sum of its components'.
                    Array.Clear(_post);
                    for (var c = 0; c < k0; c++) _post[map is null ? c : map[c]] += Math.Exp(_logResp[i * k0 + c]);
                    var best = Reductions.ArgMax(_post.AsSpan(0, k));
                    nodeCluster[i] = best;
                    probability[i] = _post[best];
                    logLikelihood[i] = _ll[i];
                    if (_child is not null) _post.CopyTo(_nodePost.AsSpan(i * k, k));
                    else if (!proba.IsEmpty) for (var c = 0; c < k; c++) proba[i * k + c] = _post[c];
                }
            }
            else
            {
                var assigned = new int[n];
                Seiscat.Engine.Mixture.KMeans.Assign(_z.AsSpan(0, n * q), n, q, centers, k, assigned);
                for (var i = 0; i < n; i++) { nodeCluster[i] = assigned[i]; probability[i] = 1; logLikelihood[i] = double.NaN; }
            }
            for (var i = 0; i < n; i++)
            {
                double s = 0;
                for (var j = 0; j < q; j++) { var t = _z[i * q + j] - centers[nodeCluster[i] * q + j]; s += t * t; }
                distance[i] = Math.Sqrt(s);
            }
            if (_child is not null) Descend(rows, n, stations, cluster, probability, distance, proba, labels);
        }

        // Rows that fall in the refined group, and rows whose group posterior is above Descent, go through the child (in
        // one batch): the group's mass is split by the child's posteriors. Below it, by the child's label weights: the
        // chosen label and its probability are exact either way, and a background row costs one node (with 1e-9
        // instead, most background rows went down too and predict took 2.2× the flat model's time).
        private void Descend(ReadOnlySpan<double> rows, int n, ReadOnlySpan<int> stations, Span<int> cluster, Span<double> probability,
            Span<double> distance, Span<double> proba, int labels)
        {
            const double Descent = 1e-3;
            var k = _model.Clusters;
            var d = _model.Transform.InputFeatures;
            var offset = k - _model.Branch!.Parents.Length;
            var childLabels = labels - offset;
            if (_childIndex.Length < n)
            {
                _childIndex = new int[n];
                _childRows = new double[(long)n * d];
                _childStations = new int[n];
                _childCluster = new int[n];
                _childProbability = new double[n];
                _childLl = new double[n];
                _childDistance = new double[n];
                _childProba = new double[n * childLabels];
            }
            var m = 0;
            for (var i = 0; i < n; i++)
            {
                var post = _nodePost.AsSpan(i * k, k);
                var descends = FallsInGroup(post, _inGroup, out var group, out var keptBest);
                _groupMass[i] = group;
                if (!proba.IsEmpty)
                {
                    var row = proba.Slice(i * labels, labels);
                    row.Clear();
                    for (var c = 0; c < k; c++) if (!_inGroup[c]) row[_keptLabel[c]] = post[c];
                }
                if (descends) cluster[i] = -1; // labelled below
                else { cluster[i] = _keptLabel[keptBest]; probability[i] = post[keptBest]; }
                if (group <= Descent && cluster[i] >= 0)
                {
                    if (!proba.IsEmpty)
                        for (var c = 0; c < childLabels; c++) proba[i * labels + offset + c] = group * _childPrior[c];
                    continue;
                }
                {
                    _childIndex[m] = i;
                    rows.Slice(i * d, d).CopyTo(_childRows.AsSpan(m * d, d));
                    _childStations[m] = stations.IsEmpty ? 0 : stations[i];
                    m++;
                }
            }
            if (m == 0) return;
            _child!.Predict(_childRows.AsSpan(0, m * d), m, _childStations.AsSpan(0, m), _childCluster, _childProbability, _childLl, _childDistance,
                proba.IsEmpty ? default : _childProba.AsSpan(0, m * childLabels));
            for (var t = 0; t < m; t++)
            {
                var i = _childIndex[t];
                var group = _groupMass[i];
                if (!proba.IsEmpty)
                    for (var c = 0; c < childLabels; c++) proba[i * labels + offset + c] = group * _childProba[t * childLabels + c];
                if (cluster[i] >= 0) continue;
                cluster[i] = offset + _childCluster[t];
                probability[i] = group * _childProbability[t];
                distance[i] = _childDistance[t];
            }
        }
    }

    public void Save(string path)
    {
        using var output = new AtomicOutput(path);
        using (var f = H5File.Create(output.TempPath)) Write(f);
        output.Commit();
    }

    // One node into a group (the file's root, or its parent's /branch): a child is written as the same layout one level down.
    private void Write(H5Group f)
    {
        {
            if (Branch is { } branch)
            {
                if (Mixture is null) throw new InvalidOperationException("a refined node needs a mixture");
                using var b = f.CreateGroup("branch");
                b.WriteDataset<int>("parents", branch.Parents, [branch.Parents.Length]);
                b.WriteAttribute("rows", branch.Rows);
                b.WriteAttribute("note", branch.Note);
                branch.Model.Write(b);
            }
            var t = Transform;
            using (var g = f.CreateGroup("scale"))
            {
                g.WriteAttribute("kind", t.Options.Scale.ToString().ToLowerInvariant());
                g.WriteAttribute("floor", t.Options.Floor);
                g.WriteDataset<int>("kept_columns", t.KeptColumns, [t.KeptColumns.Length]);
                g.WriteDataset<double>("center", t.Center, [t.Center.Length]);
                g.WriteDataset<double>("spread", t.Spread, [t.Spread.Length]);
                g.WriteAttribute("recipe", t.Layout is null ? "log" : "events");
                g.WriteAttribute("background", t.Background ? 1L : 0L);
                if (t.Layout is { } l)
                {
                    var n = (long)l.Count;
                    g.WriteDataset<int>("layout/order", l.Order, [n]);
                    g.WriteDataset<int>("layout/channel", l.Channel, [n]);
                    g.WriteDataset<int>("layout/j1", l.J1, [n]);
                    g.WriteDataset<int>("layout/j2", l.J2, [n]);
                    g.WriteDataset<double>("layout/f1_hz", l.F1Hz, [n]);
                    g.WriteDataset<double>("layout/f2_hz", l.F2Hz, [n]);
                    g.WriteDataset<int>("layout/statistic", l.Statistic, [n]);
                }
            }
            if (Backgrounds is { } bg)
            {
                using var g = f.CreateGroup("background");
                g.WriteStringDataset("stations", bg.Stations);
                var length = bg.Values.Count > 0 ? bg.Values[0].Length : 0;
                g.WriteDataset<double>("values", bg.Values.SelectMany(v => v).ToArray(), [bg.Values.Count, length]);
            }
            if (ComponentCluster is { } map)
            {
                using var g = f.CreateGroup("merge");
                g.WriteDataset<int>("component_cluster", map, [map.Length]);
                var steps = Merges.SelectMany(s => new[] { s.Groups, s.A, s.B, s.EntropyDecrease, s.PerWindow }).ToArray();
                g.WriteDataset<double>("steps", steps, [Merges.Count, 5]);
                g.WriteAttribute("columns", "groups before the join, group a, group b, entropy decrease, decrease per window of the pair");
                if (Joins.Count > 0)
                {
                    g.WriteDataset<double>("joins", Joins.SelectMany(j => new[] { j.A, j.B, j.Score }).ToArray(), [Joins.Count, 3]);
                    g.WriteAttribute("joins_columns", "cluster a, cluster b (numbered after the merging, before the joins), " +
                        "chance-corrected share of a's windows with a window of b at another station");
                }
            }
            using (var g = f.CreateGroup("reduce"))
            {
                g.WriteAttribute("kind", t.Options.Reduce.ToString().ToLowerInvariant());
                var m = t.KeptColumns.Length;
                if (t.Pca is { } pca)
                {
                    g.WriteDataset<double>("mean", pca.Mean, [m]);
                    g.WriteDataset<double>("components", pca.ComponentsMatrix, [pca.Components, m]);
                    g.WriteDataset<double>("explained_variance_ratio", pca.ExplainedVarianceRatio, [pca.Components]);
                    g.WriteDataset<double>("singular_values", pca.SingularValues, [pca.Components]);
                }
                if (t.Ica is { } ica)
                {
                    g.WriteDataset<double>("mean", ica.Mean, [m]);
                    g.WriteDataset<double>("components", ica.ComponentsMatrix, [ica.Components, m]);
                    g.WriteDataset<double>("whitening", ica.Whitening, [ica.Components, m]);
                    g.WriteDataset<double>("unmixing", ica.Unmixing, [ica.Components, ica.Components]);
                    g.WriteDataset<double>("mixing", ica.Mixing, [m, ica.Components]);
                    g.WriteAttribute("n_iter", (long)ica.Iterations);
                }
            }
            if (Mixture is { } gmm)
            {
                using var g = f.CreateGroup("mixture");
                var (k, d) = (gmm.K, gmm.D);
                g.WriteDataset<double>("weights", gmm.Weights, [k]);
                g.WriteDataset<double>("means", gmm.Means, [k, d]);
                g.WriteDataset<double>("covariances", gmm.Covariances, gmm.CovarianceShape);
                g.WriteDataset<double>("precisions_cholesky", gmm.PrecisionsCholesky, gmm.CovarianceShape);
                g.WriteAttribute("covariance_type", gmm.Type.ToString().ToLowerInvariant());
                g.WriteAttribute("n_iter", (long)gmm.Iterations);
                g.WriteAttribute("converged", gmm.Converged ? 1L : 0L);
                g.WriteAttribute("lower_bound", gmm.LowerBound);
            }
            if (KMeans is { } km)
            {
                using var g = f.CreateGroup("kmeans");
                g.WriteDataset<double>("centers", km.Centers, [km.K, km.Centers.Length / km.K]);
                g.WriteAttribute("inertia", km.Inertia);
            }
            if (Selection is { } sel)
            {
                using var g = f.CreateGroup("selection");
                g.WriteDataset<int>("k", sel.K, [sel.K.Length]);
                g.WriteDataset<double>("bic", sel.Bic, [sel.Bic.Length]);
            }
            f.WriteAttribute("clusterer", Mixture is not null ? "gmm" : "kmeans");
            f.WriteAttribute("n_clusters", (long)Clusters);
            f.WriteAttribute("n_features", (long)t.InputFeatures);
            f.WriteAttribute("feature_config", FeatureConfig ?? "");
            f.WriteAttribute("sample_size", SampleSize);
            f.WriteAttribute("sampling", Sampling);
            f.WriteAttribute("seed", (long)Seed);
            f.WriteAttribute("source", Source);
            f.WriteAttribute("seiscat_version", typeof(ClusterModel).Assembly.GetName().Version?.ToString() ?? "?");
        }
    }

    public static ClusterModel Load(string path)
    {
        if (!File.Exists(path)) throw SeiscatException.For(path, null, "model file not found", "create it with seiscat fit");
        if (!H5File.IsHdf5(path)) throw SeiscatException.For(path, null, "is not an HDF5 file", "pass the model.h5 seiscat fit wrote");
        Hdf5Vetting.Ensure([path]);
        try
        {
            using var f = H5File.OpenRead(path);
            return Read(f);
        }
        catch (Hdf5Exception e)
        {
            throw SeiscatException.For(path, e.ObjectPath, "not a seiscat model: " + e.Hdf5Message, "create the model with seiscat fit");
        }
    }

    private static ClusterModel Read(H5Group f)
    {
        {
            double[] D(string p) => f.ReadDataset<double>(p);
            using var scale = f.OpenGroup("scale");
            using var reduce = f.OpenGroup("reduce");
            var kept = f.ReadDataset<int>("scale/kept_columns");
            var m = kept.Length;
            var reduceKind = Enum.Parse<ReduceKind>(reduce.ReadStringAttribute("kind"), true);
            var events = scale.HasAttribute("recipe") && scale.ReadStringAttribute("recipe") == "events";
            var options = new TransformOptions
            {
                Floor = scale.ReadDoubleAttribute("floor"),
                Scale = Enum.Parse<ScaleKind>(scale.ReadStringAttribute("kind"), true),
                Reduce = reduceKind,
                Recipe = events ? FeatureRecipe.Events : FeatureRecipe.Log,
            };
            ColumnLayout? layout = events
                ? new ColumnLayout(f.ReadDataset<int>("scale/layout/order"), f.ReadDataset<int>("scale/layout/channel"), f.ReadDataset<int>("scale/layout/j1"),
                    f.ReadDataset<int>("scale/layout/j2"), D("scale/layout/f1_hz"), D("scale/layout/f2_hz"), f.ReadDataset<int>("scale/layout/statistic"))
                : null;
            var background = scale.HasAttribute("background") && scale.ReadInt64Attribute("background") == 1;
            Pca? pca = null;
            FastIca? ica = null;
            if (reduceKind == ReduceKind.Pca)
            {
                var comps = D("reduce/components");
                var k = comps.Length / m;
                pca = new Pca
                {
                    Components = k,
                    Mean = D("reduce/mean"),
                    ComponentsMatrix = comps,
                    ExplainedVariance = new double[k],
                    ExplainedVarianceRatio = D("reduce/explained_variance_ratio"),
                    SingularValues = D("reduce/singular_values"),
                    NoiseVariance = 0
                };
            }
            else if (reduceKind == ReduceKind.Ica)
            {
                var comps = D("reduce/components");
                var k = comps.Length / m;
                ica = new FastIca
                {
                    Components = k,
                    Mean = D("reduce/mean"),
                    ComponentsMatrix = comps,
                    Whitening = D("reduce/whitening"),
                    Unmixing = D("reduce/unmixing"),
                    Mixing = D("reduce/mixing"),
                    Iterations = (int)reduce.ReadInt64Attribute("n_iter"),
                    Converged = true
                };
            }
            var transform = new FeatureTransform
            {
                Options = options with { ReduceComponents = pca?.Components ?? ica?.Components ?? m },
                InputFeatures = (int)f.ReadInt64Attribute("n_features"),
                KeptColumns = kept,
                Center = D("scale/center"),
                Spread = D("scale/spread"),
                Pca = pca,
                Ica = ica,
                Layout = layout,
                Background = background,
            };
            var clusters = (int)f.ReadInt64Attribute("n_clusters");
            int[]? componentCluster = f.Exists("merge/component_cluster") ? f.ReadDataset<int>("merge/component_cluster") : null;
            var merges = new List<MergeStep>();
            if (f.Exists("merge/steps"))
            {
                var s = D("merge/steps");
                for (var i = 0; i + 5 <= s.Length; i += 5) merges.Add(new MergeStep((int)s[i], (int)s[i + 1], (int)s[i + 2], s[i + 3], s[i + 4]));
            }
            var joins = new List<CoincidenceJoin>();
            if (f.Exists("merge/joins"))
            {
                var s = D("merge/joins");
                for (var i = 0; i + 3 <= s.Length; i += 3) joins.Add(new CoincidenceJoin((int)s[i], (int)s[i + 1], s[i + 2]));
            }
            StationBackgrounds? backgrounds = null;
            if (f.Exists("background/values"))
            {
                var names = f.ReadStringDataset("background/stations");
                var values = D("background/values");
                var length = names.Length > 0 ? values.Length / names.Length : 0;
                backgrounds = StationBackgrounds.FromTable(names, names.Select((_, i) => values.AsSpan(i * length, length).ToArray()).ToArray());
            }
            GaussianMixture? gmm = null;
            KMeans? km = null;
            if (f.ReadStringAttribute("clusterer") == "gmm")
            {
                using var g = f.OpenGroup("mixture");
                var type = Enum.Parse<CovarianceType>(g.ReadStringAttribute("covariance_type"), true);
                var weights = D("mixture/weights");
                gmm = GaussianMixture.FromParameters(weights.Length, transform.OutputFeatures, type, weights, D("mixture/means"),
                    D("mixture/covariances"), D("mixture/precisions_cholesky"));
            }
            else
            {
                using var g = f.OpenGroup("kmeans");
                km = new KMeans { K = clusters, Centers = D("kmeans/centers"), Inertia = g.ReadDoubleAttribute("inertia"), Iterations = 0 };
            }
            (int[], double[])? selection = f.Exists("selection/k") ? (f.ReadDataset<int>("selection/k"), D("selection/bic")) : null;
            ClusterBranch? branch = null;
            if (f.Exists("branch"))
            {
                using var b = f.OpenGroup("branch");
                var parents = b.ReadDataset<int>("parents");
                if (parents.Length == 0 || parents.Any(c => c < 0 || c >= clusters) || gmm is null)
                    throw new Hdf5Exception("read", null, "branch/parents", "a refined group must name clusters of its node's mixture");
                branch = new ClusterBranch(parents, Read(b), b.ReadInt64Attribute("rows"), b.ReadStringAttribute("note"));
            }
            return new ClusterModel
            {
                Branch = branch,
                Selection = selection,
                Transform = transform,
                Mixture = gmm,
                KMeans = km,
                Clusters = clusters,
                FeatureConfig = f.ReadStringAttribute("feature_config"),
                SampleSize = f.ReadInt64Attribute("sample_size"),
                Sampling = f.ReadStringAttribute("sampling"),
                Seed = (ulong)f.ReadInt64Attribute("seed"),
                Source = f.ReadStringAttribute("source"),
                ComponentCluster = componentCluster,
                Merges = merges,
                Joins = joins,
                Backgrounds = backgrounds,
            };
        }
    }
}
