using System.Diagnostics;
using Seiscat.Engine.Scattering;
using Seiscat.Native.Fftw;

namespace Seiscat.Engine.Benchmarks;

/// <summary>What `seiscat bench scatter` measures: whole windows through the network on N threads.</summary>
public sealed record ScatterBenchResult(string Path, int Threads, long Windows, double Seconds, double WindowsPerSecond, double ChannelSamplesPerSecond,
    double FftShare, double BytesPerWindow, string Config, string KernelPath, string FftwEffort);

public static class ScatteringBenchmark
{
    /// <summary>Several rounds of one configuration as one result: windows and seconds summed.</summary>
    public static ScatterBenchResult Combine(IReadOnlyList<ScatterBenchResult> rounds)
    {
        var first = rounds[0];
        var windows = rounds.Sum(r => r.Windows);
        var seconds = rounds.Sum(r => r.Seconds);
        var perWindowSamples = first.ChannelSamplesPerSecond / first.WindowsPerSecond;
        return first with
        {
            Windows = windows,
            Seconds = seconds,
            WindowsPerSecond = windows / seconds,
            ChannelSamplesPerSecond = windows * perWindowSamples / seconds,
            FftShare = rounds.Sum(r => r.FftShare * r.Seconds) / seconds,
            BytesPerWindow = rounds.Sum(r => r.BytesPerWindow * r.Windows) / windows,
        };
    }

    /// <summary>
    /// Runs random-noise windows (C channels) through per-thread networks for about <paramref name="seconds"/> after a
    /// warm-up; the FFT share and allocations are measured on every thread and summed.
    /// </summary>
    public static ScatterBenchResult Run(ScatteringConfig config, int channels, int threads, double seconds, FftwEffort effort)
    {
        var plan = new ScatteringPlan(config, effort);
        var n = config.Bins;
        var rng = new Random(1);
        var window = Enumerable.Range(0, channels * n).Select(_ => (float)(rng.NextDouble() - 0.5) * 1000f).ToArray();
        long windows = 0, fftTicks = 0, workTicks = 0, allocated = 0;
        var stop = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(seconds);
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            using var worker = plan.NewWorker();
            var net = worker as ScatteringNetwork;
            var output = new float[plan.OutputLength(channels)];
            for (var i = 0; i < 3; i++) worker.Transform(window, channels, output); // warm-up: tiering, page faults
            if (net is not null) net.MeasureFftTime = true;
            long count = 0;
            var a0 = GC.GetAllocatedBytesForCurrentThread();
            var t0 = Stopwatch.GetTimestamp();
            while (stop.Elapsed < deadline)
            {
                worker.Transform(window, channels, output);
                count++;
            }
            var t1 = Stopwatch.GetTimestamp();
            var a1 = GC.GetAllocatedBytesForCurrentThread();
            Interlocked.Add(ref windows, count);
            Interlocked.Add(ref fftTicks, net?.FftTicks ?? 0);
            Interlocked.Add(ref workTicks, t1 - t0);
            Interlocked.Add(ref allocated, a1 - a0);
        })).ToList();
        stop.Restart();
        foreach (var t in workers) t.Start();
        foreach (var t in workers) t.Join();
        var elapsed = stop.Elapsed.TotalSeconds;
        return new ScatterBenchResult(config.Path.ToString().ToLowerInvariant(), threads, windows, elapsed, windows / elapsed,
            windows * (double)channels * n / elapsed,
            workTicks > 0 ? (double)fftTicks / workTicks : 0, windows > 0 ? (double)allocated / windows : 0, config.ToJson(),
            Kernels.KernelPath.Active.ToString(), effort.ToString());
    }
}
