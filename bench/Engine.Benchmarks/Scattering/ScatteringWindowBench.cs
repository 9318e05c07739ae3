using BenchmarkDotNet.Attributes;
using Seiscat.Engine.Scattering;

namespace Seiscat.Engine.Benchmarks.Scattering;

/// <summary>One 3-channel window of the tutorial configuration (50 Hz, 2000 bins, (6,4,2)+(6,1,2)); 0 B allocated per window.</summary>
[MemoryDiagnoser]
public class ScatteringWindowBench
{
    private ScatteringNetwork _network = null!;
    private float[] _window = [], _output = [];

    [Params("avg", "max", "median")]
    public string Pooling { get; set; } = "median";

    [GlobalSetup]
    public void Setup()
    {
        var config = ScatteringConfig.Parse($$"""
            {"sampling_rate": 50, "bins": 2000, "layers": [{"octaves": 6, "resolution": 4, "quality": 2},
            {"octaves": 6, "resolution": 1, "quality": 2}], "pooling": "{{Pooling}}"}
            """);
        var plan = new ScatteringPlan(config, Native.Fftw.FftwEffort.Measure);
        _network = new ScatteringNetwork(plan);
        var r = new Random(2);
        _window = Enumerable.Range(0, 3 * 2000).Select(_ => (float)(r.NextDouble() - 0.5) * 1000f).ToArray();
        _output = new float[plan.OutputLength(3)];
    }

    [Benchmark] public void Window() => _network.Transform(_window, 3, _output);

    [GlobalCleanup] public void Cleanup() => _network.Dispose();
}
