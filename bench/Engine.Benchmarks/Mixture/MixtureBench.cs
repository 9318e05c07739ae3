using BenchmarkDotNet.Attributes;
using Seiscat.Engine.Kernels;
using Seiscat.Engine.Mixture;

namespace Seiscat.Engine.Benchmarks.Mixture;

/// <summary>The mixture's inner loops on 4096 rows, d = 10: vector kernels vs their scalar twins, and one E-step.</summary>
[MemoryDiagnoser]
public class MixtureBench
{
    private const int N = 4096, D = 10;
    private double[] _x = [], _p = [], _m = [], _out = [], _r = [], _s = [], _ll = [], _lr = [];
    private GaussianMixture _gmm = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(5);
        _x = MixtureBenchmark.Data(N, D, 10);
        _p = Enumerable.Range(0, D * D).Select(i => i % (D + 1) == 0 ? 1.0 : 0.01 * (rng.NextDouble() - 0.5)).ToArray();
        _m = Enumerable.Range(0, D).Select(_ => rng.NextDouble()).ToArray();
        _out = new double[N];
        _r = Enumerable.Range(0, N).Select(_ => rng.NextDouble()).ToArray();
        _s = new double[D * D];
        _gmm = GaussianMixture.Fit(_x, N, D, new GmmOptions { Components = 10, MaxIter = 5, Seed = 1 });
        _ll = new double[N];
        _lr = new double[N * 10];
    }

    [Benchmark(Baseline = true)] public void LogDensityScalar() => MahalanobisDistance.Scalar(_x, D, _p, _m, _out);
    [Benchmark] public void LogDensityVector() => MahalanobisDistance.Squared(_x, D, _p, _m, _out);
    [Benchmark] public void ScatterScalar() => WeightedScatter.Scalar(_x, D, _r, _m, _s);
    [Benchmark] public void ScatterVector() => WeightedScatter.Accumulate(_x, D, _r, _m, _s);
    [Benchmark] public void ScoreSamples10Components() => _gmm.ScoreSamples(_x, N, _ll, _lr);
}
