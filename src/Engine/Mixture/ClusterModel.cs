using Seiscat.Engine.Kernels;
using Seiscat.Engine.Linear;

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
    public UnitBackgrounds? Backgrounds { get; init; }
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
    /// (<see cref="UnitBackgrounds.Compute(Io.FeatureSource, FeatureTransform)"/>) and each row's station index.
    /// </summary>
    public sealed class Predictor
    {
        private readonly ClusterModel _model;
        private readonly UnitBackgrounds? _backgrounds;
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

        public Predictor(ClusterModel model, UnitBackgrounds? backgrounds = null)
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

    /// <summary>Writes model.h5 (<see cref="ModelFile"/>).</summary>
    public void Save(string path) => ModelFile.Save(this, path);

    /// <summary>Reads model.h5 (<see cref="ModelFile"/>).</summary>
    public static ClusterModel Load(string path) => ModelFile.Load(path);
}
