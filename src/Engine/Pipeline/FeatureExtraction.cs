using Seiscat.Engine.Common;
using Seiscat.Engine.Io.Storage;
using Seiscat.Engine.Io.Writers;
using Seiscat.Engine.Scattering;
using Seiscat.Engine.Windows;

namespace Seiscat.Engine.Pipeline;

/// <summary>
/// archive windows → preprocessing → transform → features.h5, in parallel over windows with output in window order.
/// Memory is bounded by (2·threads + 1) batches of rows whatever the archive size.
/// </summary>
public static class FeatureExtraction
{
    public sealed record Options(int Threads, int BatchSize = Options.DefaultBatchSize)
    {
        // One batch per append: the writer's bytes depend on its appends, so every route must use the same batches.
        public const int DefaultBatchSize = FeaturesWriter.AppendBatch;
    }

    private sealed class Batch(int size, int features)
    {
        public readonly float[] Rows = new float[size * features];
        public readonly long[] StartNs = new long[size];
        public readonly int[] Station = new int[size];
        public readonly float[] Gap = new float[size];
    }

    private sealed class Worker(IWindowTransform transform, WindowCutter cutter, int channels, int rawSamples, int outSamples, Func<int,
        Preprocessor> preprocessorFor) : IDisposable
    {
        public readonly IWindowTransform Transform = transform;
        public readonly WindowCutter Cutter = cutter;
        public readonly float[] Raw = new float[rawSamples];
        public readonly float[] Window = new float[channels * outSamples];
        private readonly Dictionary<int, Preprocessor> _pre = [];
        public Preprocessor For(int station) => _pre.TryGetValue(station, out var p) ? p : _pre[station] = preprocessorFor(station);
        public void Dispose() => Transform.Dispose();
    }

    public static long Run(WindowPlan plan, ArchiveStorage storage, int channels, int outSamples, PreprocessOptions pre,
        Func<IWindowTransform> newTransform, int featureCount, FeaturesWriter writer, Options options,
        IProgress<StageProgress>? progress = null, CancellationToken cancel = default, long firstWindow = 0, long windowCount = -1)
    {
        if (windowCount < 0) windowCount = plan.Count - firstWindow;
        foreach (var st in plan.Stations)
            if (st.ChannelIds.Count != channels)
                throw new SeiscatException($"{st.StationId}: {st.ChannelIds.Count} components, but the configuration expects {channels}; select " +
                    $"components with {Setting.Components.Ref()} or process stations separately");
        var raw = outSamples * pre.Decimation;
        if (plan.WindowSamples != raw) throw new ArgumentException("plan window length disagrees with preprocessing");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long done = 0;

        OrderedPipeline.Run(windowCount, options.BatchSize, options.Threads,
            () => new Worker(newTransform(), new WindowCutter(plan, storage), channels, raw, outSamples, s => new Preprocessor(pre, plan.RateOf(s),
                outSamples)),
            () => new Batch(options.BatchSize, featureCount),
            (w, first, count, b) =>
            {
                for (var i = 0; i < count; i++)
                {
                    var (station, startNs) = plan.Locate(firstWindow + first + i);
                    long missing = 0;
                    for (var c = 0; c < channels; c++)
                    {
                        missing += w.Cutter.Cut(station, c, startNs, w.Raw);
                        w.For(station).Apply(w.Raw, w.Window.AsSpan(c * outSamples, outSamples));
                    }
                    w.Transform.Transform(w.Window, channels, b.Rows.AsSpan(i * featureCount, featureCount));
                    b.StartNs[i] = startNs;
                    b.Station[i] = station;
                    b.Gap[i] = (float)((double)missing / ((long)channels * raw));
                }
            },
            (first, count, b) =>
            {
                writer.Append(b.Rows.AsSpan(0, count * featureCount), b.StartNs.AsSpan(0, count), b.Station.AsSpan(0, count), b.Gap.AsSpan(0, count));
                done += count;
                progress?.Report(new StageProgress(done, windowCount, clock.Elapsed));
            },
            cancel);
        return done;
    }
}
