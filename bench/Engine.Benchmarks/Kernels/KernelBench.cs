using BenchmarkDotNet.Attributes;
using Seiscat.Engine.Kernels;

namespace Seiscat.Engine.Benchmarks.Kernels;

/// <summary>Each kernel against its scalar twin on one window row (N = 2000, the tutorial window).</summary>
[MemoryDiagnoser]
public class KernelBench
{
    private const int N = 2000;
    private float[] _a = [], _b = [], _out = [], _row = [], _scratch = [];
    // Medians rotate over 64 distinct rows: one row repeated trains the branch predictor and flatters selection.
    private float[][] _rows = [];
    private int _next;
    private float _lo, _hi;

    [GlobalSetup]
    public void Setup()
    {
        var r = new Random(1);
        _a = Enumerable.Range(0, 2 * N).Select(_ => (float)r.NextDouble()).ToArray();
        _b = Enumerable.Range(0, 2 * N).Select(_ => (float)r.NextDouble()).ToArray();
        _out = new float[2 * N];
        // A |U|-like row: the envelope of smoothed complex noise (positive, correlated, Rayleigh-distributed).
        double re = 0, im = 0;
        _row = Enumerable.Range(0, N).Select(_ =>
        {
            re = 0.95 * re + r.NextDouble() - 0.5;
            im = 0.95 * im + r.NextDouble() - 0.5;
            return (float)Math.Sqrt(re * re + im * im);
        }).ToArray();
        var sorted = _row.Order().ToArray();
        (_lo, _hi) = (sorted[N / 3], sorted[2 * N / 3]);
        _scratch = new float[2 * N + 16];
        _rows = Enumerable.Range(0, 64).Select(k =>
        {
            double x = 0, y = 0;
            return Enumerable.Range(0,
                N).Select(_ => { x = 0.99 * x + r.NextDouble() - 0.5; y = 0.99 * y + r.NextDouble() - 0.5; return (float)Math.Sqrt(x * x + y * y); }).ToArray();
        }).ToArray();
    }

    [Benchmark(Baseline = true)] public void ComplexMultiplyScalar() => ComplexMultiply.Scalar(_a, _b, _out);
    [Benchmark] public void ComplexMultiplyVector() => ComplexMultiply.Apply(_a, _b, _out);
    [Benchmark] public void ModulusScalar() => Modulus.Scalar(_a, _out.AsSpan(0, N));
    [Benchmark] public void ModulusVector() => Modulus.Apply(_a, _out.AsSpan(0, N));
    [Benchmark] public double SumScalar() => Reductions.SumScalar(_row);
    [Benchmark] public double SumVector() => Reductions.Sum(_row);
    [Benchmark] public float MaxScalar() => Reductions.MaxScalar(_row);
    [Benchmark] public float MaxVector() => Reductions.Max(_row);
    private float[] NextRow() => _rows[_next++ & 63];
    [Benchmark] public double MedianSort() => Median.OfSorted(NextRow());
    [Benchmark] public double MedianQuickselect() { NextRow().CopyTo(_scratch, 0); return Median.OfInPlace(_scratch.AsSpan(0, N)); }
    [Benchmark] public double MedianBracketed() => Median.Of(NextRow(), _scratch);
    // The band pass alone (the bracket of a |U| row's middle third), scalar twin vs the 256-bit table permutation.
    [Benchmark] public int MedianPartitionScalar() { Median.PartitionScalar(_row, _lo, _hi, _scratch, out _, out _, out var m); return m; }
    [Benchmark] public int MedianPartitionVector256() { Median.Vector256Partition.Run(_row, _lo, _hi, _scratch, out _, out _, out var m); return m; }
}
