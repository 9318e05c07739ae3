using Seiscat.Engine.Common;
using Seiscat.Engine.Io.Storage;
using Seiscat.Engine.Io.Writers;
using Seiscat.Engine.Scattering;
using Seiscat.Engine.Windows;

namespace Seiscat.Engine.Pipeline;

/// <summary>
/// archive windows → preprocessing → transform → compressed chunk → features.h5, in parallel over windows with output
/// in window order. A batch is one chunk of the features file: the worker that computed the rows also compresses them,
/// so the writer only stores bytes. Memory is bounded by (2·threads + 1) batches whatever the archive size.
/// </summary>
public static class FeatureExtraction
{
    /// <param name="OutputRate">The configuration's rate, which every station is brought to (decimated or resampled);
    /// null: the preprocessing's decimation factor for all.</param>
    public sealed record Options(int Threads, double? OutputRate = null);

    /// <summary>Windows per batch: one chunk of the features file.</summary>
    public const int BatchSize = FeaturesWriter.RowsPerChunk;

    /// <summary>Bytes of one batch with <paramref name="features"/> columns (rows, their encoding, times).</summary>
    public static long BatchBytes(int features) => BatchSize * (4L * features + 16) + FeaturesWriter.StoredChunkBound(features);

    private sealed class Batch(int features)
    {
        public readonly float[] Rows = new float[BatchSize * features];
        public readonly byte[] Stored = new byte[FeaturesWriter.StoredChunkBound(features)];
        public int StoredBytes;
        public readonly long[] StartNs = new long[BatchSize];
        public readonly int[] Station = new int[BatchSize];
        public readonly float[] Gap = new float[BatchSize];
    }

    private sealed class Worker(IWindowTransform transform, WindowPreparer preparer, int channels) : IDisposable
    {
        public readonly IWindowTransform Transform = transform;
        public readonly WindowPreparer Preparer = preparer;
        public readonly float[] Window = new float[channels * preparer.OutSamples];
        public ChunkEncoder? Encoder;
        // Time-major one-component plans (DAS): a batch's windows at one start are cut together into Block.
        public float[] Block = [];
        public readonly int[] Stations = new int[BatchSize];
        public readonly int[] Missing = new int[BatchSize];
        public void Dispose()
        {
            Transform.Dispose();
            Encoder?.Dispose();
        }
    }

    // Windows i.. of the batch that start at startNs, cut as one block, then preprocessed and transformed one by one;
    // returns the index after the last of them.
    private static int CutTogether(WindowPlan plan, Worker w, Batch b, long first, long firstWindow, int i, int count, int station, long startNs,
        int outSamples, int featureCount)
    {
        var n = 0;
        w.Stations[n++] = station;
        while (i + n < count && plan.Locate(firstWindow + first + i + n) is var (next, at) && at == startNs) w.Stations[n++] = next;
        var stride = plan.WindowSamples;
        if (w.Block.Length < BatchSize * stride) w.Block = new float[BatchSize * stride];
        w.Preparer.Cutter.CutMany(w.Stations.AsSpan(0, n), startNs, w.Block, stride, w.Missing);
        for (var j = 0; j < n; j++)
        {
            var s = w.Stations[j];
            var raw = w.Block.AsSpan(j * stride, plan.WindowSamplesOf(s));
            w.Preparer.For(s).Apply(raw, w.Window.AsSpan(0, outSamples));
            var row = i + j;
            w.Transform.Transform(w.Window, 1, b.Rows.AsSpan(row * featureCount, featureCount));
            b.StartNs[row] = startNs;
            b.Station[row] = s;
            b.Gap[row] = (float)((double)w.Missing[j] / raw.Length);
        }
        return i + n;
    }

    /// <summary>Bytes a worker adds for cutting a time-major batch together (<see cref="WindowOrder.TimeMajor"/>).</summary>
    public static long BlockBytes(WindowPlan plan)
    {
        if (plan.Order != WindowOrder.TimeMajor) return 0;
        // Stacked channels (--stack-channels) are read column by column into a scratch block before their means.
        var stack = plan.Units.SelectMany(s => s.Pieces).SelectMany(p => p).Select(p => p.Stack).DefaultIfEmpty(1).Max();
        return 4L * BatchSize * plan.WindowSamples * (stack > 1 ? 1 + stack : 1) + (stack > 1 ? 8L * plan.WindowSamples : 0);
    }

    /// <summary>Takes one encoded chunk of rows, in window order: <paramref name="firstWindow"/> is the plan index of its
    /// first row.</summary>
    public delegate void ChunkSink(long firstWindow, ReadOnlySpan<byte> stored, ReadOnlySpan<long> startNs, ReadOnlySpan<int> station,
        ReadOnlySpan<float> gapFraction);

    public static long Run(WindowPlan plan, ArchiveStorage storage, int channels, int outSamples, PreprocessOptions pre,
        Func<IWindowTransform> newTransform, int featureCount, ChunkSink sink, Options options,
        IProgress<StageProgress>? progress = null, CancellationToken cancel = default, long firstWindow = 0, long windowCount = -1)
    {
        if (windowCount < 0) windowCount = plan.Count - firstWindow;
        foreach (var st in plan.Units)
            if (st.ChannelIds.Count != channels)
                throw new SeiscatException($"{st.UnitId}: {st.ChannelIds.Count} components, but the configuration expects {channels}; cluster " +
                    $"channels one by one ({Setting.Unit.Ref()} channel), select components with {Setting.Components.Ref()}, or process stations " +
                    "separately");
        Preprocessor NewPreprocessor(int s) => new(pre, plan.RateOf(s), outSamples, options.OutputRate);
        for (var s = 0; s < plan.Units.Count; s++)
            if (NewPreprocessor(s).InputSamples != plan.WindowSamplesOf(s)) throw new ArgumentException("plan window length disagrees with preprocessing");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long done = 0;

        // Batches start at multiples of BatchSize from the file's first row: each is one whole chunk (the last may be short).
        OrderedPipeline.Run(windowCount, BatchSize, options.Threads,
            () => new Worker(newTransform(), new WindowPreparer(plan, storage, pre, outSamples, options.OutputRate), channels),
            () => new Batch(featureCount),
            (w, first, count, b) =>
            {
                var together = plan.Order == WindowOrder.TimeMajor && channels == 1;
                for (var i = 0; i < count; i++)
                {
                    var (station, startNs) = plan.Locate(firstWindow + first + i);
                    if (together)
                    {
                        i = CutTogether(plan, w, b, first, firstWindow, i, count, station, startNs, outSamples, featureCount) - 1;
                        continue;
                    }
                    var missing = w.Preparer.Prepare(station, startNs, channels, w.Window);
                    w.Transform.Transform(w.Window, channels, b.Rows.AsSpan(i * featureCount, featureCount));
                    b.StartNs[i] = startNs;
                    b.Station[i] = station;
                    b.Gap[i] = (float)((double)missing / ((long)channels * plan.WindowSamplesOf(station)));
                }
                w.Encoder ??= FeaturesWriter.NewEncoder(featureCount);
                var stored = FeaturesWriter.EncodeChunk(w.Encoder, b.Rows, count);
                stored.CopyTo(b.Stored);
                b.StoredBytes = stored.Length;
            },
            (first, count, b) =>
            {
                sink(firstWindow + first, b.Stored.AsSpan(0, b.StoredBytes), b.StartNs.AsSpan(0, count), b.Station.AsSpan(0, count),
                    b.Gap.AsSpan(0, count));
                done += count;
                progress?.Report(new StageProgress(done, windowCount, clock.Elapsed));
            },
            cancel);
        return done;
    }
}
