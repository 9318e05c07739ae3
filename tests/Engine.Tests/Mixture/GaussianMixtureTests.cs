using Seiscat.Engine.Mixture;
using Seiscat.Tests.Shared;
using static Seiscat.Engine.Tests.Linear.SklearnFixture;

namespace Seiscat.Engine.Tests.Mixture;

/// <summary>GaussianMixture against scikit-learn 1.2.1 from the stored starts (README §3.2–3.3, gates of §5.2).</summary>
[Collection("native-hdf5-engine")]
public class GaussianMixtureTests
{
    public static TheoryData<string, string, string, int> Fits() => new()
    {
        { "gmm_synthetic.h5", "fit_full", "full", 5 },
        { "gmm_synthetic.h5", "fit_diag", "diag", 5 },
        { "gmm_synthetic.h5", "fit_tied", "tied", 5 },
        { "gmm_synthetic.h5", "fit_spherical", "spherical", 5 },
        { "gmm_real.h5", "k4/gmm", "full", 4 },
        { "gmm_real.h5", "k10/gmm", "full", 10 },
    };

    [Theory]
    [MemberData(nameof(Fits))]
    public void Em_from_the_stored_start_matches_sklearn(string file, string g, string type, int k)
    {
        using var f = Open(file);
        var x = f.OpenDataset("input/X").ReadAll<double>();
        var d = 10;
        var n = x.Length / d;
        var init = new GmmInit(Read(f, $"{g}/init/means_init"), Read(f, $"{g}/init/weights_init"), Read(f, $"{g}/init/precisions_init"));
        var options = new GmmOptions { Components = k, Covariance = Enum.Parse<CovarianceType>(type, true), Tol = 1e-3, MaxIter = 200, RegCovar = 1e-6 };
        var gmm = GaussianMixture.Fit(x, n, d, options, init);

        Assert.Equal(Long(f, $"{g}/n_iter_"), gmm.Iterations);
        Assert.Equal(f.OpenDataset($"{g}/converged_").ReadAll<byte>()[0] == 1, gmm.Converged);
        var errors = new Dictionary<string, double>
        {
            ["weights_"] = Normwise(gmm.Weights, Read(f, $"{g}/weights_")),
            ["means_"] = Normwise(gmm.Means, Read(f, $"{g}/means_")),
            ["covariances_"] = Normwise(gmm.Covariances, Read(f, $"{g}/covariances_")),
            ["precisions_cholesky_"] = Normwise(gmm.PrecisionsCholesky, Read(f, $"{g}/precisions_cholesky_")),
            ["precisions_"] = Normwise(gmm.Precisions(), Read(f, $"{g}/precisions_")),
        };
        var ll = new double[n];
        var logResp = new double[n * k];
        gmm.ScoreSamples(x, n, ll, logResp);
        var proba = logResp.Select(Math.Exp).ToArray();
        var labels = gmm.Predict(x, n).Select(v => (long)v).ToArray(); // scikit-learn's predict
        var probaErr = MaxAbs(proba, Read(f, $"{g}/predict_proba"));
        var scoreErr = MaxAbs(ll, Read(f, $"{g}/score_samples"));
        var score = ll.Average();
        var relScore = Math.Abs(score - Read(f, $"{g}/score")[0]) / Math.Abs(Read(f, $"{g}/score")[0]);
        var relBound = Math.Abs(gmm.LowerBound - Read(f, $"{g}/lower_bound_")[0]) / Math.Abs(Read(f, $"{g}/lower_bound_")[0]);
        var relBic = Math.Abs(gmm.Bic(x, n) - Read(f, $"{g}/bic")[0]) / Math.Abs(Read(f, $"{g}/bic")[0]);
        TestPaths.Record("sklearn-accuracy", $"{file}:{g}: n_iter {gmm.Iterations}, " + string.Join(", ", errors.Select(e => $"{e.Key} {e.Value:E1}")) +
            $", predict_proba abs {probaErr:E1}, score_samples abs {scoreErr:E1}, score rel {relScore:E1}, lower_bound rel {relBound:E1}, bic rel {relBic:E1}");
        foreach (var (name, e) in errors) Assert.True(e <= 1e-9, $"{name} {e:E2}");
        Assert.Equal(f.OpenDataset($"{g}/labels").ReadAll<long>(), labels);
        Assert.True(probaErr <= 1e-9, $"predict_proba {probaErr:E2}");
        Assert.True(scoreErr <= 1e-8, $"score_samples {scoreErr:E2}");
        Assert.True(relScore <= 1e-9 && relBound <= 1e-9 && relBic <= 1e-9, $"score {relScore:E2}, lower bound {relBound:E2}, bic {relBic:E2}");
        Assert.True(MaxAbs(gmm.LowerBoundTrace.ToArray(), Read(f, $"{g}/lower_bound_trace")) <= 1e-9 * Math.Abs(gmm.LowerBound));
        // Responsibilities are a distribution per sample.
        for (var i = 0; i < n; i += 97) Assert.Equal(1.0, proba.AsSpan(i * k, k).ToArray().Sum(), 1e-12);
    }

    [Fact]
    public void Fitting_without_a_start_recovers_the_synthetic_mixture_and_is_deterministic()
    {
        using var f = Open("gmm_synthetic.h5");
        var x = f.OpenDataset("input/X").ReadAll<double>();
        var truth = f.OpenDataset("truth/labels").ReadAll<long>();
        var n = x.Length / 10;
        var o = new GmmOptions { Components = 5, NInit = 2, Seed = 3 };
        var a = GaussianMixture.Fit(x, n, 10, o);
        var b = GaussianMixture.Fit(x, n, 10, o);
        Assert.Equal(a.Means, b.Means);
        var ll = new double[n];
        var lr = new double[n * 5];
        a.ScoreSamples(x, n, ll, lr);
        var labels = Enumerable.Range(0, n).Select(i => Enumerable.Range(0, 5).MaxBy(c => lr[i * 5 + c])).ToArray();
        // Majority truth label per cluster: ≥ 99 % agreement (README: fitted models label 99.6–99.8 % correctly).
        var agree = labels.Select((l, i) => (l, t: truth[i])).GroupBy(p => p.l).Sum(g => g.GroupBy(p => p.t).Max(h => h.Count()));
        Assert.True(agree >= 0.99 * n, $"{agree}/{n}");
    }

    [Theory]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Diag)]
    public void Thread_count_does_not_change_a_single_bit(CovarianceType type)
    {
        // 5 row blocks of 4096: the E-step, responsibilities and M-step sums all run in parallel.
        var rng = new Random(11);
        const int n = 5 * RowBlocks.Rows - 123, d = 4;
        var x = new double[n * d];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < d; j++) x[i * d + j] = (i % 3) * 4.0 + rng.NextDouble() * (j + 1);
        GaussianMixture FitWith(int threads) => GaussianMixture.Fit(x, n, d, new GmmOptions
        {
            Components = 3,
            Covariance = type,
            Seed = 5,
            Tol = 0,
            MaxIter = 8,
            Threads = threads
        });
        var one = FitWith(1);
        foreach (var threads in new[] { 2, 3, 0 })
        {
            var other = FitWith(threads);
            Assert.Equal(one.Means, other.Means);
            Assert.Equal(one.Covariances, other.Covariances);
            Assert.Equal(one.LowerBoundTrace, other.LowerBoundTrace);
        }
    }

    [Fact]
    public void Bad_requests_are_refused_with_reasons()
    {
        var x = new double[3 * 2];
        Assert.Throws<SeiscatException>(() => GaussianMixture.Fit(x, 3, 2, new GmmOptions { Components = 5 }));
        // Identical samples: covariance is reg_covar·I, still fine; with reg_covar 0 it is singular → clear message.
        var same = Enumerable.Repeat(1.0, 20).ToArray();
        var e = Assert.Throws<SeiscatException>(() => GaussianMixture.Fit(same, 10, 2, new GmmOptions { Components = 1, RegCovar = 0 }));
        Assert.Contains("singular", e.Message);
    }

    [Fact]
    public void KMeans_reaches_sklearns_inertia_on_the_real_features()
    {
        using var f = Open("gmm_real.h5");
        var x = f.OpenDataset("input/X").ReadAll<double>();
        foreach (var k in new[] { 4, 10 })
        {
            var labels = new int[179];
            var km = KMeans.Fit(x, 179, 10, k, seed: 0, nInit: 10, labels: labels);
            var reference = Read(f, $"k{k}/kmeans/inertia_")[0];
            TestPaths.Record("sklearn-accuracy", $"kmeans k={k}: inertia {km.Inertia:0.###} vs sklearn {reference:0.###}");
            Assert.True(km.Inertia <= reference * 1.05, $"k={k}: {km.Inertia} vs {reference}");
            var again = new int[179];
            Assert.Equal(km.Inertia, KMeans.Assign(x, 179, 10, km.Centers, k, again));
            Assert.Equal(labels, again);
        }
    }
}
