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

    /// <summary>Per row: cluster, its probability (1 for k-means), log-likelihood (NaN for k-means), distance to the centroid in the reduced space.</summary>
    public sealed class Predictor(ClusterModel model)
    {
        private readonly double[] _scratch = new double[model.Transform.ScratchLength];
        private double[] _z = [];
        private double[] _logResp = [];
        private double[] _ll = [];

        public void Predict(ReadOnlySpan<double> rows, int n, Span<int> cluster, Span<double> probability, Span<double> logLikelihood,
            Span<double> distance, Span<double> proba = default)
        {
            var d = model.Transform.InputFeatures;
            var q = model.Transform.OutputFeatures;
            var k = model.Clusters;
            if (_z.Length < n * q) { _z = new double[n * q]; _logResp = new double[n * k]; _ll = new double[n]; }
            for (var i = 0; i < n; i++) model.Transform.Transform(rows.Slice(i * d, d), _z.AsSpan(i * q, q), _scratch);
            var centers = model.Mixture?.Means ?? model.KMeans!.Centers;
            if (model.Mixture is { } gmm)
            {
                gmm.ScoreSamples(_z, n, _ll, _logResp);
                for (var i = 0; i < n; i++)
                {
                    var best = 0;
                    for (var c = 1; c < k; c++) if (_logResp[i * k + c] > _logResp[i * k + best]) best = c;
                    cluster[i] = best;
                    probability[i] = Math.Exp(_logResp[i * k + best]);
                    logLikelihood[i] = _ll[i];
                    if (!proba.IsEmpty) for (var c = 0; c < k; c++) proba[i * k + c] = Math.Exp(_logResp[i * k + c]);
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
            var options = new TransformOptions
            {
                Floor = scale.ReadDoubleAttribute("floor"),
                Scale = Enum.Parse<ScaleKind>(scale.ReadStringAttribute("kind"), true),
                Reduce = reduceKind,
            };
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
            };
            var clusters = (int)f.ReadInt64Attribute("n_clusters");
            GaussianMixture? gmm = null;
            KMeans? km = null;
            if (f.ReadStringAttribute("clusterer") == "gmm")
            {
                using var g = f.OpenGroup("mixture");
                var type = Enum.Parse<CovarianceType>(g.ReadStringAttribute("covariance_type"), true);
                gmm = GaussianMixture.FromParameters(clusters, transform.OutputFeatures, type, D("mixture/weights"), D("mixture/means"),
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
            };
        }
        catch (Hdf5Exception e)
        {
            throw SeiscatException.For(path, e.ObjectPath, "not a seiscat model: " + e.Hdf5Message, "create the model with seiscat fit");
        }
    }
}
