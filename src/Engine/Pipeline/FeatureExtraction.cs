using Seiscat.Engine.Io.Writers;

namespace Seiscat.Engine.Pipeline;

/// <summary>Reads raw samples of one piece of one component: <c>(station, component, piece, offset, destination)</c>.</summary>
public interface ISampleSource
{
    void Read(int station, int component, int piece, long offset, Span<float> destination);
}

/// <summary>A window → feature-row transform with per-thread state (the scattering network's workspace).</summary>
public interface IWindowTransform : IDisposable
{
    /// <summary>Input: channels × samples, channel-major. Output: one feature row.</summary>
    void Transform(ReadOnlySpan<float> window, int channels, Span<float> features);
}

/// <summary>Progress of a streaming stage, reported from the consuming thread.</summary>
public readonly record struct StageProgress(long Done, long Total, TimeSpan Elapsed)
{
    public double PerSecond => Elapsed.TotalSeconds > 0 ? Done / Elapsed.TotalSeconds : 0;
    public TimeSpan? Remaining => PerSecond > 0 ? TimeSpan.FromSeconds((Total - Done) / PerSecond) : null;
}

/// <summary>
/// archive windows → preprocessing → transform → features.h5, in parallel over windows with output in window order.
/// Memory is bounded by (2·threads + 1) batches of rows whatever the archive size.
/// </summary>
public static class FeatureExtraction
{
    public sealed record Options(int Threads, int BatchSize = Options.DefaultBatchSize)
    {
        public const int DefaultBatchSize = 32;
    }

    private sealed class Batch(int size, int features)
    {
        public readonly float[] Rows = new float[size * features];
        public readonly long[] StartNs = new long[size];
        public readonly int[] Station = new int[size];
        public readonly float[] Gap = new float[size];
    }

    private sealed class Worker(IWindowTransform transform, int channels, int rawSamples, int outSamples, Func<int, Preprocessor> preprocessorFor) : IDisposable
    {
        public readonly IWindowTransform Transform = transform;
        public readonly float[] Raw = new float[rawSamples];
        public readonly float[] Window = new float[channels * outSamples];
        public readonly PieceSpan[] Spans = new PieceSpan[16];
        private readonly Dictionary<int, Preprocessor> _pre = [];
        public Preprocessor For(int station) => _pre.TryGetValue(station, out var p) ? p : _pre[station] = preprocessorFor(station);
        public void Dispose() => Transform.Dispose();
    }

    public static long Run(WindowPlan plan, int channels, int outSamples, ISampleSource source, PreprocessOptions pre,
        Func<IWindowTransform> newTransform, int featureCount, FeaturesWriter writer, Options options,
        IProgress<StageProgress>? progress = null, CancellationToken cancel = default, long firstWindow = 0, long windowCount = -1)
    {
        if (windowCount < 0) windowCount = plan.Count - firstWindow;
        foreach (var st in plan.Stations)
            if (st.ChannelIds.Count != channels)
                throw new SeiscatException($"{st.StationId}: {st.ChannelIds.Count} components, but the configuration expects {channels}; select components with --channels or process stations separately");
        var raw = outSamples * pre.Decimation;
        if (plan.WindowSamples != raw) throw new ArgumentException("plan window length disagrees with preprocessing");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long done = 0;

        OrderedPipeline.Run(windowCount, options.BatchSize, options.Threads,
            () => new Worker(newTransform(), channels, raw, outSamples, s => new Preprocessor(pre, plan.RateOf(s), outSamples)),
            () => new Batch(options.BatchSize, featureCount),
            (w, first, count, b) =>
            {
                for (var i = 0; i < count; i++)
                {
                    var (station, startNs) = plan.Locate(firstWindow + first + i);
                    long missing = 0;
                    for (var c = 0; c < channels; c++)
                    {
                        var rawSpan = w.Raw.AsSpan();
                        rawSpan.Clear();
                        var covered = plan.Resolve(station, c, startNs, w.Spans, out var n);
                        for (var k = 0; k < n; k++)
                        {
                            var ps = w.Spans[k];
                            source.Read(station, c, ps.Piece, ps.PieceOffset, rawSpan.Slice(ps.WindowOffset, ps.Count));
                        }
                        missing += raw - covered + Preprocessor.ZeroNonFinite(rawSpan);
                        w.For(station).Apply(rawSpan, w.Window.AsSpan(c * outSamples, outSamples));
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
