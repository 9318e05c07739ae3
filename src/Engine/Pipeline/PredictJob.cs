using Seiscat.Engine.Common;
using Seiscat.Engine.Common.Parts;
using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Writers;
using Seiscat.Engine.Mixture;

using Seiscat.Engine.Scattering;

namespace Seiscat.Engine.Pipeline;

public sealed record PredictRequest
{
    public int Threads { get; init; } = 1;
    public int ShardIndex { get; init; }
    public int ShardCount { get; init; } = 1;
    /// <summary>Rows per checkpoint part; longer runs are written part by part and resume after a kill.</summary>
    public long CheckpointRows { get; init; } = 1 << 20;
    public MemoryBudget Memory { get; init; } = MemoryBudget.Default;
    /// <summary>The model file, when there is one: its size and time join the checkpoint fingerprint.</summary>
    public string? ModelPath { get; init; }
}

/// <summary>
/// predict: every row of a feature source through a fitted model, streamed in blocks (parallel, output in row
/// order) into CSV, Parquet and/or HDF5 (see <see cref="PredictionOutputs"/>, <see cref="PredictionWriter"/>).
/// Long runs are written as checkpoint parts (<see cref="PartedOutput"/>), so a killed run resumes from the last
/// finished part; shards (`--shard i --num-shards N`) write .h5 files that <see cref="PredictionMerge"/> joins. Every
/// route gives the same bytes as one uninterrupted process.
/// </summary>
public static class PredictJob
{
    private sealed class Work(int rows, int columns, int k)
    {
        public readonly double[] X = new double[(long)rows * columns];
        public readonly PredictionBlock Block = new(rows, k);
    }

    private sealed class Worker(ClusterModel model, UnitBackgrounds? backgrounds) : IDisposable
    {
        public readonly ClusterModel.Predictor Predictor = new(model, backgrounds);
        public void Dispose() { }
    }

    public static long Run(ClusterModel model, FeatureSource source, string outPath, int threads, IProgress<StageProgress>? progress = null)
        => Run(model, source, [outPath], new PredictRequest { Threads = threads }, progress);

    public static long Run(ClusterModel model, FeatureSource source, IReadOnlyList<string> outPaths, int threads, IProgress<StageProgress>? progress = null)
        => Run(model, source, outPaths, new PredictRequest { Threads = threads }, progress);

    /// <summary>Predicts this request's rows (all, or its shard's) into every requested output; returns the row count.
    /// Taps see every row in order, also the rows of checkpoint parts an earlier run had finished.</summary>
    public static long Run(ClusterModel model, FeatureSource source, IReadOnlyList<string> outPaths, PredictRequest r,
        IProgress<StageProgress>? progress = null, IReadOnlyList<IPredictionTap>? taps = null)
    {
        Check(model, source);
        var (h5, parquet, csv) = PredictionOutputs.Classify(outPaths);
        if (r.ShardCount > 1 && (parquet is not null || csv is not null || h5 is null))
            throw SeiscatException.For(parquet ?? csv ?? outPaths[0], null, "a shard's output must be .h5",
                $"write each shard to an .h5 (e.g. {Setting.Output.Ref()} labels.$SLURM_ARRAY_TASK_ID.h5) and join them with seiscat merge " +
                    $"{Setting.Output.Ref()} labels.parquet");
        if (r.CheckpointRows < 1) throw new SeiscatException($"{Setting.CheckpointWindows.Ref()} {r.CheckpointRows}: use at least 1");
        var threads = Math.Max(1, r.Threads);
        var layout = new PredictionLayout(model.Labels, source.HasTimes, source.HasStations, source.HasGaps, source.Stations, source.WindowNs,
            model.Source, $"{source.Path}:{source.Dataset}")
        { StationDistanceM = source.StationDistanceM, LabelNames = model.Branch is null ? null : model.LabelNames() };
        var rowsPerBlock = BlockRows(model, source.Columns, threads, r.Memory);
        var backgrounds = UnitBackgrounds.ForPrediction(model, source); // once, not per checkpoint part
        var (first, count) = ShardPlace.Range(source.Rows, r.ShardIndex, r.ShardCount, PredictionWriter.Kind.Alignment);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ShardPlace? shard = r.ShardCount > 1 ? new ShardPlace(r.ShardIndex, r.ShardCount, first, source.Rows) : null;
        PartedOutput.Run(outPaths[0], Fingerprint(model, source, r), first, count, r.CheckpointRows, shard,
            w =>
            {
                // A checkpoint part is one .h5 beside the outputs; the direct route writes every requested output at once.
                using var outputs = new PredictionOutputs(w.IsPart ? [w.Path] : outPaths, layout, w.Place);
                PredictRange(model, backgrounds, source, w.From, w.Count, threads, rowsPerBlock, (b, x) =>
                {
                    outputs.Add(b);
                    Feed(taps, b, x);
                }, progress, w.From - first, count, clock);
                outputs.Complete();
            },
            (parts, earlier) => PredictionMerge.Run(parts, outPaths, asShard: shard, vet: earlier),
            resumed: taps is null ? null : w => PredictRange(model, backgrounds, source, w.From, w.Count, threads, rowsPerBlock, (b, x) => Feed(taps, b, x),
                progress, w.From - first, count, clock));
        return count;
    }

    /// <summary>Labels every row for the taps only, writing nothing (the report of a run whose labels are up to date).</summary>
    public static long Scan(ClusterModel model, FeatureSource source, PredictRequest r, IReadOnlyList<IPredictionTap> taps,
        IProgress<StageProgress>? progress = null)
    {
        Check(model, source);
        var threads = Math.Max(1, r.Threads);
        var rowsPerBlock = BlockRows(model, source.Columns, threads, r.Memory);
        var backgrounds = UnitBackgrounds.ForPrediction(model, source);
        PredictRange(model, backgrounds, source, 0, source.Rows, threads, rowsPerBlock, (b, x) => Feed(taps, b, x), progress, 0, source.Rows,
            System.Diagnostics.Stopwatch.StartNew());
        return source.Rows;
    }

    private static void Check(ClusterModel model, FeatureSource source)
    {
        if (model.Transform.InputFeatures != source.Columns)
            throw SeiscatException.For(source.Path, source.Dataset,
                $"has {source.Columns} features per row but the model was fitted on {model.Transform.InputFeatures}",
                "predict with features computed by the same configuration as the model's");
        // The path (exact or fast) is how the same coefficients were computed, not which: a model fitted on one predicts the other.
        if (!string.IsNullOrEmpty(model.FeatureConfig) && !string.IsNullOrEmpty(source.ConfigJson)
            && !ScatteringConfig.SameCoefficients(model.FeatureConfig, source.ConfigJson))
            throw SeiscatException.For(source.Path, source.Dataset, "was computed with a different scattering configuration than the model's features",
                $"recompute features with the model's configuration ({model.FeatureConfig})");
    }

    private static void Feed(IReadOnlyList<IPredictionTap>? taps, PredictionBlock b, double[] x)
    {
        if (taps is null) return;
        foreach (var t in taps) t.Add(b, x);
    }

    // Rows [first, first + count) in parallel blocks; consume sees each block and its feature rows in row order.
    private static void PredictRange(ClusterModel model, UnitBackgrounds? backgrounds, FeatureSource source, long first, long count, int threads,
        int rowsPerBlock,
        Action<PredictionBlock, double[]> consume, IProgress<StageProgress>? progress, long doneBefore, long total, System.Diagnostics.Stopwatch clock)
    {
        var k = model.Labels;
        OrderedPipeline.Run(count, rowsPerBlock, threads, () => new Worker(model, backgrounds), () => new Work(rowsPerBlock, source.Columns, k),
            (w, offset, n, work) =>
            {
                var b = work.Block;
                b.First = first + offset;
                b.Count = n;
                source.ReadRows(b.First, n, work.X);
                source.ReadMeta(b.First, n, b.StartNs, b.Station, b.Gap);
                w.Predictor.Predict(work.X, n, b.Station.AsSpan(0, n), b.Cluster, b.Probability, b.LogLikelihood, b.Distance, b.Proba.AsSpan(0, n * k));
            },
            (offset, n, work) =>
            {
                consume(work.Block, work.X);
                progress?.Report(new StageProgress(doneBefore + offset + n, total, clock.Elapsed));
            });
    }

    /// <summary>Rows per block: 4096, fewer when the in-flight blocks (2·threads + 1 of them) would not fit the budget.</summary>
    private static int BlockRows(ClusterModel model, int columns, int threads, MemoryBudget memory)
    {
        var k = model.Labels;
        var perRow = 8L * columns + 8L * model.Transform.OutputFeatures + 16L * k + 48;
        var fixedBytes = PredictionOutputs.BufferBytes(k) + threads * 8L * model.Transform.ScratchLength;
        var slots = 2L * threads + 1;
        memory.Require(fixedBytes + slots * perRow * 64, $"predict of {columns} features per row on {Plural.Of(threads, "thread")}",
            $"lower {Setting.Threads.Ref()} or raise {Setting.Memory.Ref()}");
        return (int)Math.Clamp((memory.Available - fixedBytes) / (slots * perRow), 64, 4096);
    }

    /// <summary>Changes whenever the model, the features, the row range or the code version changes.</summary>
    private static string Fingerprint(ClusterModel model, FeatureSource source, PredictRequest r)
    {
        var f = new Fingerprint().Text($"{model.Source}|{model.Labels}");
        if (!string.IsNullOrEmpty(r.ModelPath)) f.File(r.ModelPath);
        return f.File(source.Path)
            .Text($"{source.Dataset}|{source.Rows}|{r.CheckpointRows}|{r.ShardIndex}/{r.ShardCount}")
            .Hex();
    }
}
