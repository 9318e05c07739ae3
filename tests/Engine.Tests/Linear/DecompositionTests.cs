using Seiscat.Engine.Linear;
using static Seiscat.Engine.Tests.Linear.SklearnFixture;

namespace Seiscat.Engine.Tests.Linear;

/// <summary>PCA and FastICA against scikit-learn 1.2.1 on features_real.h5, gates of README §5.2.</summary>
[Collection("native-hdf5-engine")]
public class DecompositionTests(ITestOutputHelper log)
{
    [Theory]
    [InlineData("pca", "features/X")]
    [InlineData("robust/pca", "robust")]
    public void Pca_matches_sklearn(string group, string input)
    {
        using var f = Open("features_real.h5");
        var (x, n, d) = Input(f, input);
        var pca = Pca.Fit(x, n, d, 5, out var transformed);
        var eT = Normwise(transformed, Read(f, $"{group}/transformed"));
        var eC = Normwise(pca.ComponentsMatrix, Read(f, $"{group}/components_"));
        var ev = Read(f, $"{group}/explained_variance_");
        var eV = pca.ExplainedVariance.Zip(ev).Max(p => Math.Abs(p.First - p.Second) / p.Second);
        log.WriteLine($"{group}: transformed {eT:E2}, components {eC:E2}, explained variance {eV:E2}");
        Seiscat.Tests.Shared.TestPaths.Record("sklearn-accuracy", $"{group}: transformed {eT:E2}, components {eC:E2}, explained variance {eV:E2}");
        Assert.True(eT <= 1e-9, $"transformed {eT:E2}");
        Assert.True(eC <= 1e-9, $"components {eC:E2}");
        Assert.True(eV <= 1e-10, $"explained variance {eV:E2}");
        Assert.True(Normwise(pca.ExplainedVarianceRatio, Read(f, $"{group}/explained_variance_ratio_")) <= 1e-10);
        Assert.True(Normwise(pca.Mean, Read(f, $"{group}/mean_")) <= 1e-12);
        Assert.Equal(Read(f, $"{group}/noise_variance_")[0], pca.NoiseVariance, 1e-9 * Math.Abs(pca.NoiseVariance));
        var row = new double[5];
        pca.Transform(x.AsSpan(0, d), row);
        Assert.True(MaxAbs(row, Read(f, $"{group}/transform").AsSpan(0, 5)) <= 1e-9 * Read(f, $"{group}/transform").Max(Math.Abs));
    }

    [Theory]
    [InlineData("fastica_4", "features/X", 4)]
    [InlineData("fastica_10", "features/X", 10)]
    [InlineData("robust/fastica_4", "robust", 4)]
    public void FastIca_matches_sklearn_from_the_stored_start(string group, string input, int c)
    {
        using var f = Open("features_real.h5");
        var (x, n, d) = Input(f, input);
        var ica = FastIca.Fit(x, n, d, c, Read(f, $"{group}/w_init"), out var sources);
        var eS = Normwise(sources, Read(f, $"{group}/sources"));
        var eC = Normwise(ica.ComponentsMatrix, Read(f, $"{group}/components_"));
        var eM = Normwise(ica.Mixing, Read(f, $"{group}/mixing_"));
        log.WriteLine($"{group}: n_iter {ica.Iterations} (sklearn {Long(f, $"{group}/n_iter_")}), sources {eS:E2}, components {eC:E2}, mixing {eM:E2}");
        Seiscat.Tests.Shared.TestPaths.Record("sklearn-accuracy",
            $"{group}: n_iter {ica.Iterations} (sklearn {Long(f, $"{group}/n_iter_")}), sources {eS:E2}, components {eC:E2}, mixing {eM:E2}");
        Assert.Equal(Long(f, $"{group}/n_iter_"), ica.Iterations);
        Assert.True(eS <= 1e-8, $"sources {eS:E2}");
        Assert.True(eC <= 1e-8, $"components {eC:E2}");
        Assert.True(eM <= 1e-8, $"mixing {eM:E2}");
        Assert.True(Normwise(ica.Whitening, Read(f, $"{group}/whitening_")) <= 1e-8);
    }

    private static (double[] X, int N, int D) Input(Seiscat.Native.Hdf5.H5File f, string input)
    {
        var full = Read(f, "features/X");
        const int n = 179, d = 504;
        if (input != "robust") return (full, n, d);
        var cols = f.OpenDataset("robust/column_index").ReadAll<long>();
        var x = new double[n * cols.Length];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < cols.Length; j++) x[i * cols.Length + j] = full[i * d + cols[j]];
        return (x, n, cols.Length);
    }
}
