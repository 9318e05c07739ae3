using System.Diagnostics;
using Seiscat.Engine.Common;
using Seiscat.Engine.Signal;

namespace Seiscat.Engine.Benchmarks;

public sealed record MatchBenchResult(int Templates, double TemplateSeconds, double Rate, int Components, double DataSeconds, int Threads, double Seconds,
    double TemplateDataSecondsPerSecond, double DirectShare);

/// <summary>
/// `seiscat bench match`: the normalised correlation of <c>templates</c> random templates (components × seconds) with a
/// random record (components × hours), as `match` computes it per block; throughput in template-seconds × data-seconds
/// per second. bench/match/ncc_scipy.py computes the same quantity with numpy/scipy (oaconvolve + cumulative sums) for a
/// same-machine comparison (bench/match/compare.sh runs both).
/// </summary>
public static class MatchBenchmark
{
    public static MatchBenchResult Run(int templates, double templateSeconds, double rate, int components, double dataSeconds, int threads,
        double minSeconds = 3)
    {
        var rng = new Xoshiro256(17);
        var n = (int)(dataSeconds * rate);
        var m = (int)(templateSeconds * rate);
        var data = Enumerable.Range(0, components).Select(_ => Noise(rng, n)).ToArray();
        var bank = Enumerable.Range(0, templates).Select(_ => Enumerable.Range(0, components).Select(_ => Noise(rng, m)).ToArray()).ToList();
        var plan = Seiscat.Native.Fftw.FftwPlan.WithWisdom(() => new CorrelationPlan(bank, 0, Seiscat.Native.Fftw.FftwEffort.Measure));
        var traces = bank.Select(_ => new float[NormalizedCorrelation.Lags(n, m)]).ToArray();
        // Warm-up long enough for tiered compilation to finish: on one core (DOTNET_PROCESSOR_COUNT=1) the background JIT
        // competes with the loop, and a single warm-up call left the measurement a third slower.
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < 1) NormalizedCorrelation.Correlate(plan, data, null, traces, threads);
        clock.Restart();
        var reps = 0;
        long direct = 0;
        do
        {
            direct += NormalizedCorrelation.Correlate(plan, data, null, traces, threads);
            reps++;
        } while (clock.Elapsed.TotalSeconds < minSeconds);
        var seconds = clock.Elapsed.TotalSeconds / reps;
        return new MatchBenchResult(templates, templateSeconds, rate, components, dataSeconds, threads, seconds,
            templates * templateSeconds * dataSeconds / seconds, direct / (double)reps / ((double)templates * components * traces[0].Length));
    }

    private static float[] Noise(Xoshiro256 rng, int n)
    {
        var x = new float[n];
        for (var i = 0; i < n; i++) x[i] = (float)rng.NextGaussian();
        return x;
    }
}
