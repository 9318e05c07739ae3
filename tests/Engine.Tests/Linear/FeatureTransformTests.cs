using Seiscat.Engine.Linear;
using Seiscat.Engine.Mixture;
using Seiscat.Engine.Scattering;
using Seiscat.Tests.Shared;
using static Seiscat.Engine.Tests.Linear.SklearnFixture;

namespace Seiscat.Engine.Tests.Linear;

/// <summary>
/// The log10 trap (fixtures README §3.1, §5.3): with log10 of every coefficient, second-order paths at the FFT
/// rounding floor dominate and clusters follow arithmetic. seiscat's default (floored log10, floor columns dropped)
/// must give the same clusters from float64-FFT features (scatseisnet's) and from our float32-FFT features.
/// </summary>
[Collection("native-hdf5-engine")]
public class FeatureTransformTests
{
    private static (double[] Reference, double[] Ours) Features()
    {
        using var f = Open("features_real.h5");
        var reference = Read(f, "scatter/features_flat");
        var segments = f.OpenDataset("input/segments").ReadAll<float>();
        var config = ScatteringConfig.Parse("""
            {"sampling_rate": 50, "bins": 2000, "layers": [{"octaves": 6, "resolution": 4, "quality": 2},
            {"octaves": 6, "resolution": 1, "quality": 2}], "pooling": "avg", "taper_alpha": null, "statistics": []}
            """);
        using var net = new ScatteringNetwork(new ScatteringPlan(config));
        var ours = new double[179 * 504];
        var row = new float[504];
        for (var w = 0; w < 179; w++)
        {
            net.Transform(segments.AsSpan(w * 6000, 6000), 3, row);
            for (var j = 0; j < 504; j++) ours[w * 504 + j] = row[j];
        }
        return (reference, ours);
    }

    private static int[] Cluster(double[] x, TransformOptions o)
    {
        FeatureTransform.Fit(x, 179, 504, o, out var z);
        var dims = z.Length / 179;
        var gmm = GaussianMixture.Fit(z, 179, dims, new GmmOptions { Components = 4, Seed = 5, NInit = 1 });
        var ll = new double[179];
        var lr = new double[179 * 4];
        gmm.ScoreSamples(z, 179, ll, lr);
        return Enumerable.Range(0, 179).Select(i => Enumerable.Range(0, 4).MaxBy(c => lr[i * 4 + c])).ToArray();
    }

    [Fact]
    public void Default_features_give_the_same_clusters_from_float64_and_float32_ffts()
    {
        var (reference, ours) = Features();
        var robust = new TransformOptions { Reduce = ReduceKind.Pca, ReduceComponents = 5 };
        var naive = robust with { Floor = 0 };
        var robustAri = Stability.AdjustedRandIndex(Cluster(reference, robust), Cluster(ours, robust));
        var naiveAri = Stability.AdjustedRandIndex(Cluster(reference, naive), Cluster(ours, naive));
        TestPaths.Record("sklearn-accuracy",
            $"log10 trap, GMM k=4 on PCA(5), float64-FFT vs float32-FFT features: adjusted Rand {robustAri:0.000} with the floored default, " +
                $"{naiveAri:0.000} with log10 of everything");
        Assert.True(robustAri >= 0.99, $"default transform: ARI {robustAri:0.000}");
        Assert.True(naiveAri < robustAri, $"naive {naiveAri:0.000} vs robust {robustAri:0.000}");
    }

    [Fact]
    public void Floor_columns_are_dropped_and_rows_transform_like_the_sample()
    {
        var (reference, _) = Features();
        var t = FeatureTransform.Fit(reference, 179, 504, new TransformOptions { Reduce = ReduceKind.Pca, ReduceComponents = 5 }, out var z);
        Assert.InRange(t.KeptColumns.Length, 200, 503); // README: 70 columns dip below 1e-10 of the window maximum
        var row = new double[5];
        var scratch = new double[t.ScratchLength];
        for (var i = 0; i < 179; i += 17)
        {
            t.Transform(reference.AsSpan(i * 504, 504), row, scratch);
            for (var j = 0; j < 5; j++) Assert.Equal(z[i * 5 + j], row[j], 1e-9);
        }
    }
}
