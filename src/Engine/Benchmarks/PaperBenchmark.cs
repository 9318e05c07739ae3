using System.Diagnostics;
using Seiscat.Engine.Scattering.Paper;
using Seiscat.Native.Fftw;

namespace Seiscat.Engine.Benchmarks;

/// <summary>What `seiscat bench paper` measures on one thread, alternated in rounds: windows through the paper network
/// forward only in single precision (FFTW: what `features` runs) and in double (the learning's reference), and forward +
/// backward in double (to every wavelet's spectrum gradient; the spline parameters once per batch).</summary>
public sealed record PaperBenchResult(string Config, int Channels, double ForwardWindowsPerSecond, double ForwardChannelSamplesPerSecond,
    double DoubleForwardWindowsPerSecond, double TrainWindowsPerSecond, double TrainOverForward, double FilterBackwardMilliseconds);

public static class PaperBenchmark
{
    public static PaperBenchResult Run(PaperConfig config, int channels, double seconds, FftwEffort effort, int rounds = 5)
    {
        var net = new PaperNetwork(config);
        var rng = new Random(1);
        var n = config.Bins;
        var window = Enumerable.Range(0, channels * n).Select(_ => (float)(rng.NextDouble() - 0.5) * 1000f).ToArray();
        var input = window.Select(v => (double)v).ToArray();
        var features = new float[net.OutputLength(channels)];
        var f = new double[net.OutputLength(channels)];
        var gf = Enumerable.Range(0, f.Length).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var worker = net.NewWorker();
        using var single = new PaperFloatPlan(net, effort).NewWorker();
        var spectra = PaperWorker.NewSpectrumGradient(net);
        for (var i = 0; i < 3; i++)
        {
            single.Transform(window, channels, features);
            worker.Forward(input, channels, f);
            worker.Backward(gf, channels, spectra);
        }
        long forward = 0, forwardDouble = 0, train = 0;
        double forwardSeconds = 0, forwardDoubleSeconds = 0, trainSeconds = 0;
        var slice = seconds / (3 * rounds);
        for (var r = 0; r < rounds; r++)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed.TotalSeconds < slice) { single.Transform(window, channels, features); forward++; }
            forwardSeconds += clock.Elapsed.TotalSeconds;
            clock.Restart();
            while (clock.Elapsed.TotalSeconds < slice) { worker.Forward(input, channels, f); forwardDouble++; }
            forwardDoubleSeconds += clock.Elapsed.TotalSeconds;
            clock.Restart();
            while (clock.Elapsed.TotalSeconds < slice)
            {
                worker.Forward(input, channels, f);
                worker.Backward(gf, channels, spectra);
                train++;
            }
            trainSeconds += clock.Elapsed.TotalSeconds;
        }
        // Once per batch, not per window: spectra gradients → spline parameters for every layer.
        var filterClock = Stopwatch.StartNew();
        const int FilterRepeats = 5;
        for (var i = 0; i < FilterRepeats; i++)
            for (var l = 0; l < net.Depth; l++) net.Banks[l].Backward(spectra[l], new double[config.Knots], new double[config.Knots]);
        var fw = forward / forwardSeconds;
        var dw = forwardDouble / forwardDoubleSeconds;
        var tw = train / trainSeconds;
        return new PaperBenchResult(config.ToJson(), channels, fw, fw * channels * n, dw, tw, dw / tw,
            filterClock.Elapsed.TotalMilliseconds / FilterRepeats);
    }
}
