using Seiscat.Engine.Common;
using Seiscat.Engine.Linear;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Mixture;

/// <summary>
/// model.h5: a fitted <see cref="ClusterModel"/>, self-describing and h5py-readable. A node is written into a group —
/// the file's root, or its parent's <c>/branch</c> — and a refined node's child in the same layout one level down:
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
public static class ModelFile
{
    public static void Save(ClusterModel model, string path)
    {
        using var output = new AtomicOutput(path);
        using (var f = H5File.Create(output.TempPath))
        {
            FileFormat.Model.Stamp(f);
            Write(model, f);
        }
        output.Commit();
    }

    // One node into a group (the file's root, or its parent's /branch): a child is written as the same layout one level down.
    private static void Write(ClusterModel model, H5Group f)
    {
        if (model.Branch is { } branch)
        {
            if (model.Mixture is null) throw new InvalidOperationException("a refined node needs a mixture");
            using var b = f.CreateGroup("branch");
            b.WriteDataset<int>("parents", branch.Parents, [branch.Parents.Length]);
            b.WriteAttribute("rows", branch.Rows);
            b.WriteAttribute("note", branch.Note);
            Write(branch.Model, b);
        }
        var t = model.Transform;
        WriteScale(f, t);
        WriteBackgroundsAndMerging(model, f);
        WriteReduce(f, t);
        WriteClusterer(model, f);
        f.WriteAttribute("clusterer", model.Mixture is not null ? "gmm" : "kmeans");
        f.WriteAttribute("n_clusters", (long)model.Clusters);
        f.WriteAttribute("n_features", (long)t.InputFeatures);
        f.WriteAttribute("feature_config", model.FeatureConfig ?? "");
        f.WriteAttribute("sample_size", model.SampleSize);
        f.WriteAttribute("sampling", model.Sampling);
        f.WriteAttribute("seed", (long)model.Seed);
        f.WriteAttribute("source", model.Source);
        f.WriteAttribute("seiscat_version", typeof(ClusterModel).Assembly.GetName().Version?.ToString() ?? "?");
    }

    private static void WriteScale(H5Group f, FeatureTransform t)
    {
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
    }

    private static void WriteBackgroundsAndMerging(ClusterModel model, H5Group f)
    {
        if (model.Backgrounds is { } bg)
        {
            using var g = f.CreateGroup("background");
            g.WriteStringDataset("stations", bg.Stations);
            var length = bg.Values.Count > 0 ? bg.Values[0].Length : 0;
            g.WriteDataset<double>("values", bg.Values.SelectMany(v => v).ToArray(), [bg.Values.Count, length]);
        }
        if (model.ComponentCluster is { } map)
        {
            using var g = f.CreateGroup("merge");
            g.WriteDataset<int>("component_cluster", map, [map.Length]);
            var steps = model.Merges.SelectMany(s => new[] { s.Groups, s.A, s.B, s.EntropyDecrease, s.PerWindow }).ToArray();
            g.WriteDataset<double>("steps", steps, [model.Merges.Count, 5]);
            g.WriteAttribute("columns", "groups before the join, group a, group b, entropy decrease, decrease per window of the pair");
            var network = model.Joins.Where(j => !j.Local).ToList();
            var local = model.Joins.Where(j => j.Local).ToList();
            if (network.Count > 0)
            {
                g.WriteDataset<double>("joins", network.SelectMany(j => new[] { j.A, j.B, j.Score }).ToArray(), [network.Count, 3]);
                g.WriteAttribute("joins_columns", "cluster a, cluster b (numbered after the merging, before the joins), " +
                    "chance-corrected share of a's windows with a window of b at another station");
            }
            if (local.Count > 0)
            {
                g.WriteDataset<double>("local_joins", local.SelectMany(j => new[] { j.A, j.B, j.Score }).ToArray(), [local.Count, 3]);
                g.WriteAttribute("local_joins_columns", "cluster a, cluster b (after the joins above), chance-corrected share of b's " +
                    "windows with an event window at another station (below the local threshold: station-local)");
            }
        }
    }

    private static void WriteReduce(H5Group f, FeatureTransform t)
    {
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
    }

    private static void WriteClusterer(ClusterModel model, H5Group f)
    {
        if (model.Mixture is { } gmm)
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
        if (model.KMeans is { } km)
        {
            using var g = f.CreateGroup("kmeans");
            g.WriteDataset<double>("centers", km.Centers, [km.K, km.Centers.Length / km.K]);
            g.WriteAttribute("inertia", km.Inertia);
        }
        if (model.Selection is { } sel)
        {
            using var g = f.CreateGroup("selection");
            g.WriteDataset<int>("k", sel.K, [sel.K.Length]);
            g.WriteDataset<double>("bic", sel.Bic, [sel.Bic.Length]);
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
            FileFormat.Model.Ensure(f, path);
            return Read(f);
        }
        catch (Hdf5Exception e)
        {
            throw SeiscatException.For(path, e.ObjectPath, "not a seiscat model: " + e.Hdf5Message, "create the model with seiscat fit");
        }
    }

    private static ClusterModel Read(H5Group f)
    {
        var transform = ReadTransform(f);
        var clusters = (int)f.ReadInt64Attribute("n_clusters");
        var (componentCluster, merges, joins) = ReadMerging(f);
        var backgrounds = ReadBackgrounds(f);
        var (gmm, km) = ReadClusterer(f, clusters, transform.OutputFeatures);
        (int[], double[])? selection = f.Exists("selection/k") ? (f.ReadDataset<int>("selection/k"), D(f, "selection/bic")) : null;
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

    private static FeatureTransform ReadTransform(H5Group f)
    {
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
                f.ReadDataset<int>("scale/layout/j2"), D(f, "scale/layout/f1_hz"), D(f, "scale/layout/f2_hz"), f.ReadDataset<int>("scale/layout/statistic"))
            : null;
        var background = scale.HasAttribute("background") && scale.ReadInt64Attribute("background") == 1;
        Pca? pca = null;
        FastIca? ica = null;
        if (reduceKind == ReduceKind.Pca)
        {
            var comps = D(f, "reduce/components");
            var k = comps.Length / m;
            pca = new Pca
            {
                Components = k,
                Mean = D(f, "reduce/mean"),
                ComponentsMatrix = comps,
                ExplainedVariance = new double[k],
                ExplainedVarianceRatio = D(f, "reduce/explained_variance_ratio"),
                SingularValues = D(f, "reduce/singular_values"),
                NoiseVariance = 0
            };
        }
        else if (reduceKind == ReduceKind.Ica)
        {
            var comps = D(f, "reduce/components");
            var k = comps.Length / m;
            ica = new FastIca
            {
                Components = k,
                Mean = D(f, "reduce/mean"),
                ComponentsMatrix = comps,
                Whitening = D(f, "reduce/whitening"),
                Unmixing = D(f, "reduce/unmixing"),
                Mixing = D(f, "reduce/mixing"),
                Iterations = (int)reduce.ReadInt64Attribute("n_iter"),
                Converged = true
            };
        }
        var transform = new FeatureTransform
        {
            Options = options with { ReduceComponents = pca?.Components ?? ica?.Components ?? m },
            InputFeatures = (int)f.ReadInt64Attribute("n_features"),
            KeptColumns = kept,
            Center = D(f, "scale/center"),
            Spread = D(f, "scale/spread"),
            Pca = pca,
            Ica = ica,
            Layout = layout,
            Background = background,
        };
        return transform;
    }

    private static (int[]? ComponentCluster, List<MergeStep> Merges, List<CoincidenceJoin> Joins) ReadMerging(H5Group f)
    {
        int[]? componentCluster = f.Exists("merge/component_cluster") ? f.ReadDataset<int>("merge/component_cluster") : null;
        var merges = new List<MergeStep>();
        if (f.Exists("merge/steps"))
        {
            var s = D(f, "merge/steps");
            for (var i = 0; i + 5 <= s.Length; i += 5) merges.Add(new MergeStep((int)s[i], (int)s[i + 1], (int)s[i + 2], s[i + 3], s[i + 4]));
        }
        var joins = new List<CoincidenceJoin>();
        if (f.Exists("merge/joins"))
        {
            var s = D(f, "merge/joins");
            for (var i = 0; i + 3 <= s.Length; i += 3) joins.Add(new CoincidenceJoin((int)s[i], (int)s[i + 1], s[i + 2]));
        }
        if (f.Exists("merge/local_joins"))
        {
            var s = D(f, "merge/local_joins");
            for (var i = 0; i + 3 <= s.Length; i += 3) joins.Add(new CoincidenceJoin((int)s[i], (int)s[i + 1], s[i + 2]) { Local = true });
        }
        return (componentCluster, merges, joins);
    }

    private static UnitBackgrounds? ReadBackgrounds(H5Group f)
    {
        UnitBackgrounds? backgrounds = null;
        if (f.Exists("background/values"))
        {
            var names = f.ReadStringDataset("background/stations");
            var values = D(f, "background/values");
            var length = names.Length > 0 ? values.Length / names.Length : 0;
            backgrounds = UnitBackgrounds.FromTable(names, names.Select((_, i) => values.AsSpan(i * length, length).ToArray()).ToArray());
        }
        return backgrounds;
    }

    private static (GaussianMixture? Gmm, KMeans? KMeans) ReadClusterer(H5Group f, int clusters, int features)
    {
        GaussianMixture? gmm = null;
        KMeans? km = null;
        if (f.ReadStringAttribute("clusterer") == "gmm")
        {
            using var g = f.OpenGroup("mixture");
            var type = Enum.Parse<CovarianceType>(g.ReadStringAttribute("covariance_type"), true);
            var weights = D(f, "mixture/weights");
            gmm = GaussianMixture.FromParameters(weights.Length, features, type, weights, D(f, "mixture/means"),
                D(f, "mixture/covariances"), D(f, "mixture/precisions_cholesky"));
        }
        else
        {
            using var g = f.OpenGroup("kmeans");
            km = new KMeans { K = clusters, Centers = D(f, "kmeans/centers"), Inertia = g.ReadDoubleAttribute("inertia"), Iterations = 0 };
        }
        return (gmm, km);
    }

    private static double[] D(H5Group f, string path) => f.ReadDataset<double>(path);
}
