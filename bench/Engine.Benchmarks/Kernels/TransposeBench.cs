using BenchmarkDotNet.Attributes;
using Seiscat.Engine.Kernels;

namespace Seiscat.Engine.Benchmarks.Kernels;

/// <summary>The DAS transposing read: 5 000 rows × 500 channels of int16 (10 MB) into per-channel float32 series, AVX
/// tiles against the scalar twin (the block of a 10-s window at 500 Hz on a 500-channel fibre).</summary>
[MemoryDiagnoser]
public class TransposeBench
{
    private const int Rows = 5000, Columns = 500;
    private byte[] _src = [];
    private float[] _dst = [];

    [GlobalSetup]
    public void Setup()
    {
        _src = new byte[Rows * Columns * 2];
        new Random(1).NextBytes(_src);
        _dst = new float[Rows * Columns];
    }

    [Benchmark(Baseline = true)]
    public void Scalar() => Transpose.ToColumnsScalar(_src, StoredSample.Int16, Columns, Rows, Columns, _dst, Rows);

    [Benchmark]
    public void Tiles() => Transpose.ToColumns(_src, StoredSample.Int16, Columns, Rows, Columns, _dst, Rows);
}
