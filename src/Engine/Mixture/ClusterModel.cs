using Seiscat.Engine.Common;
using Seiscat.Engine.Linear;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Mixture;

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
/// </code>
/// </summary>
public sealed class ClusterModel
{
    public required FeatureTransform Transform { get; init; }
    public GaussianMixture? Mixture { get; init; }
    public KMeans? KMeans { get; init; }
    public required int Clusters { get; init; }
    public string? FeatureConfig { get; init; }
    public long SampleSize { get; init; }
    public string Sampling { get; init; } = "";
    public ulong Seed { get; init; }
    public string Source { get; init; } = "";
    public (int[] K, double[] Bic)? Selection { get; init; }
    /// <summary>The cluster of each mixture component when components were combined (null: one cluster each).</summary>
    public int[]? ComponentCluster { get; init; }
    /// <summary>The merge hierarchy of the components (for the report's dendrogram); empty when not combined.</summary>
    public IReadOnlyList<MergeStep> Merges { get; init; } = [];
    /// <summary>The stations' backgrounds the transform was fitted with (Events recipe with backgrounds).</summary>
    public StationBackgrounds? Backgrounds { get; init; }

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
        private double[] _z = [];
        private double[] _logResp = [];
        private double[] _ll = [];
        private double[] _post = [];

        public Predictor(ClusterModel model, StationBackgrounds? backgrounds = null)
        {
            if (model.Transform.Background && backgrounds is null)
                throw new ArgumentException("this model's features are relative to station backgrounds: pass the source's", nameof(backgrounds));
            _model = model;
            _backgrounds = backgrounds;
            _scratch = new double[model.Transform.ScratchLength];
            _centers = model.Centers();
        }

        /// <summary>The reduced features of one row (its station's background applied).</summary>
        public void Reduce(ReadOnlySpan<double> row, int station, Span<double> z)
            => _model.Transform.Transform(row, _model.Transform.Background ? _backgrounds!.For(station) : default, z, _scratch);

        public void Predict(ReadOnlySpan<double> rows, int n, Span<int> cluster, Span<double> probability, Span<double> logLikelihood,
            Span<double> distance, Span<double> proba = default) => Predict(rows, n, default, cluster, probability, logLikelihood, distance, proba);

        /// <summary>Per row: cluster, its probability, the mixture log-likelihood, the distance to the cluster's centre,
        /// and optionally every cluster's probability (n × Clusters). <paramref name="stations"/>: each row's station
        /// index (may be empty when the model has no backgrounds).</summary>
        public void Predict(ReadOnlySpan<double> rows, int n, ReadOnlySpan<int> stations, Span<int> cluster, Span<double> probability,
            Span<double> logLikelihood, Span<double> distance, Span<double> proba = default)
        {
            var model = _model;
            var d = model.Transform.InputFeatures;
            var q = model.Transform.OutputFeatures;
            var k = model.Clusters;
            var k0 = model.Mixture?.K ?? k;
            if (_z.Length < n * q) { _z = new double[n * q]; _logResp = new double[n * k0]; _ll = new double[n]; _post = new double[k]; }
            for (var i = 0; i < n; i++) Reduce(rows.Slice(i * d, d), stations.IsEmpty ? 0 : stations[i], _z.AsSpan(i * q, q));
            var centers = _centers;
            if (model.Mixture is { } gmm)
            {
                gmm.ScoreSamples(_z, n, _ll, _logResp);
                var map = model.ComponentCluster;
                for (var i = 0; i < n; i++)
                {
                    // A combined cluster's probability is the sum of its components'.
                    Array.Clear(_post);
                    for (var c = 0; c < k0; c++) _post[map is null ? c : map[c]] += Math.Exp(_logResp[i * k0 + c]);
                    var best = 0;
                    for (var c = 1; c < k; c++) if (_post[c] > _post[best]) best = c;
                    cluster[i] = best;
                    probability[i] = _post[best];
                    logLikelihood[i] = _ll[i];
                    if (!proba.IsEmpty) for (var c = 0; c < k; c++) proba[i * k + c] = _post[c];
                }
            }
            else
            {
                var labels = new int[n];
                Seiscat.Engine.Mixture.KMeans.Assign(_z.AsSpan(0, n * q), n, q, centers, k, labels);
                for (var i = 0; i < n; i++) { cluster[i] = labels[i]; probability[i] = 1; logLikelihood[i] = double.NaN; }
            }
            for (var i = 0; i < n; i++)
            {
                double s = 0;
                for (var j = 0; j < q; j++) { var t = _z[i * q + j] - centers[cluster[i] * q + j]; s += t * t; }
                distance[i] = Math.Sqrt(s);
            }
        }
    }

    public void Save(string path)
    {
        using var output = new AtomicOutput(path);
        using (var f = H5File.Create(output.TempPath))
        {
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
        output.Commit();
    }

    public static ClusterModel Load(string path)
    {
        if (!File.Exists(path)) throw SeiscatException.For(path, null, "model file not found", "create it with seiscat fit");
        if (!H5File.IsHdf5(path)) throw SeiscatException.For(path, null, "is not an HDF5 file", "pass the model.h5 seiscat fit wrote");
        Hdf5Vetting.Ensure([path]);
        try
        {
            using var f = H5File.OpenRead(path);
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
            return new ClusterModel
            {
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
                Backgrounds = backgrounds,
            };
        }
        catch (Hdf5Exception e)
        {
            throw SeiscatException.For(path, e.ObjectPath, "not a seiscat model: " + e.Hdf5Message, "create the model with seiscat fit");
        }
    }
}
