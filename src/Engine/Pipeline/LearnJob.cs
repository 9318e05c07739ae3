using System.Globalization;
using Seiscat.Engine.Common;
using Seiscat.Engine.Common.Parts;
using Seiscat.Engine.Evaluation;
using Seiscat.Engine.Io.Storage;
using Seiscat.Engine.Learning;
using Seiscat.Engine.Scattering;
using Seiscat.Engine.Scattering.Paper;
using Seiscat.Engine.Windows;

namespace Seiscat.Engine.Pipeline;

/// <summary>What `learn` needs: the archive and preprocessing as `features` reads them (its config or bank is the
/// starting network), and the learning's size.</summary>
public sealed record LearnRequest
{
    public required FeaturesRequest Features { get; init; }
    public int Epochs { get; init; } = 10;
    /// <summary>Windows drawn across the whole archive (uniformly, without replacement, seeded).</summary>
    public int Sample { get; init; } = 1000;
    public ulong Seed { get; init; }
    /// <summary>Pre-cut windows (FILE.h5, /dataset: (n, channels, bins) or (n, bins)) to learn on instead of the archive.</summary>
    public (string File, string Dataset)? Segments { get; init; }
    /// <summary>One label per pre-cut window (FILE.h5, /dataset), for the initial-vs-learned evaluation; archives use the
    /// truth.csv beside them when there is one.</summary>
    public (string File, string Dataset)? Labels { get; init; }
}

/// <summary>The initial and the learned bank scored the same way: the paper's model (PCA + mixture, refitted on the
/// sampled windows' features) clusters them, and its clusters are compared with the labels.</summary>
public sealed record LearnEvaluation(string Source, EvaluationReport Initial, EvaluationReport Learned);

public sealed record LearnResult(int Windows, long ArchiveWindows, int Features, PaperConfig Initial, PaperConfig Learned, IReadOnlyList<EpochRecord> History,
    int ResumedEpochs, double Seconds, string Described, LearnEvaluation? Evaluation = null);

/// <summary>
/// archive → learned wavelets: draws a sample of windows across the archive (memory-bounded like `fit`), cuts and
/// preprocesses them as `features` does, and runs <see cref="SplineLearner"/> epoch by epoch. After every epoch the
/// state (learn-state.h5), every epoch's wavelets (wavelets.h5), the current bank (bank.h5) and loss.csv are written
/// through temporary names: a killed run resumes at the next epoch, with the same bits as an uninterrupted one.
/// </summary>
public static class LearnJob
{
    public const string BankName = "bank.h5";
    public const string WaveletsName = "wavelets.h5";
    public const string StateName = "learn-state.h5";
    public const string LossName = LossFile.Name;

    public static LearnResult Run(LearnRequest r, string outDir, List<string> warnings, Action<EpochRecord, int>? epochDone = null,
        CancellationToken cancel = default)
    {
        if (r.Epochs < 1) throw new SeiscatException($"{Setting.Epochs.Ref()} {r.Epochs}: learn at least one epoch");
        if (r.Sample < 2) throw new SeiscatException($"{Setting.Sample.Ref()} {r.Sample}: draw at least 2 windows");
        if (r.Labels is not null && r.Segments is null)
            throw new SeiscatException("labels are for pre-cut windows; an archive is scored against the truth.csv beside it");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var fr = r.Features;
        var config = NetworkConfigs.Load(fr.ConfigPath, fr.BankPath, warnings) switch
        {
            null => null,
            PaperConfig paper => paper,
            _ => throw SeiscatException.For(fr.ConfigPath!, null, "is a Morlet scattering configuration, not the paper network (\"network\": \"paper\")",
                $"start from docs/paper.json, or drop {Setting.Config.Ref()} for the paper's network at the archive's rate"),
        };
        var (windows, count, channels, available, described, sized, truth) = r.Segments is { } segments
            ? FromSegments(r, segments, config) : FromArchive(r, config, warnings);
        config = sized.Config;
        var d = sized.OutputLength(channels);
        var threads = Math.Max(1, fr.Threads);

        Directory.CreateDirectory(outDir);
        var inputs = r.Segments is { } seg ? new Fingerprint().Files([seg.File]).Text(seg.Dataset).Hex() : FeaturesJob.Fingerprint(fr);
        var fingerprint = new Fingerprint().Text(inputs)
            .Text(string.Create(CultureInfo.InvariantCulture, $"learn {r.Epochs} {r.Sample} {r.Seed} {config.ToJson()}")).Hex();
        var statePath = Path.Combine(outDir, StateName);
        var learner = new SplineLearner(config, windows, count, channels, threads, r.Seed);
        var state = LearnStateFile.TryLoad(statePath, fingerprint) ?? learner.Start();
        var resumed = state.Epoch;
        if (resumed == 0) Save(outDir, learner, state);
        while (state.Epoch < r.Epochs)
        {
            state = learner.Epoch(state, r.Epochs, cancel);
            LearnStateFile.Save(statePath, fingerprint, state);
            Save(outDir, learner, state);
            epochDone?.Invoke(state.History[^1], r.Epochs);
        }
        var learned = learner.ConfigOf(state.Parameters);
        LearnEvaluation? evaluation = truth is { } t
            ? new LearnEvaluation(t.Source, Score(learner, config, t.Classes, t.Names), Score(learner, learned, t.Classes, t.Names)) : null;
        return new LearnResult(count, available, d, config, learned, state.History, resumed, clock.Elapsed.TotalSeconds, described, evaluation);
    }

    // The sampled windows of a learn run and what comes with them: the starting network (its sizes bound the memory)
    // and, when the windows have classes (labels of pre-cut windows, or a truth.csv beside the archive), their classes.
    private sealed record Sampled(double[] Windows, int Count, int Channels, long Available, string Described, PaperNetwork Sized,
        WindowClasses? Truth);

    // The class of each sampled window, the class names, and where they came from.
    private sealed record WindowClasses(string Source, int[] Classes, IReadOnlyList<string> Names);

    private static Sampled FromSegments(LearnRequest r, (string File, string Dataset) segments, PaperConfig? config)
    {
        var fr = r.Features;
        WindowClasses? truth = null;
        double[] windows;
        int count, channels;
        long available;
        long[] rows;
        if (config is null)
            throw new SeiscatException($"pre-cut windows carry no sampling rate: pass {Setting.Config.Ref()} (docs/paper.json with the windows' " +
                $"rate and length) or {Setting.Bank.Ref()}");
        var sized = new PaperNetwork(config);
        (windows, count, channels, available, rows) = SampleSegments(segments.File, segments.Dataset, config, r.Sample, r.Seed,
            (n, c) => Require(fr, sized, n, c));
        var described = $"windows from {segments.File}:{segments.Dataset} as stored";
        if (r.Labels is { } labels)
        {
            var rowLabels = RowLabels.Load(labels.File, labels.Dataset);
            if (rowLabels.Count != available)
                throw SeiscatException.For(labels.File, labels.Dataset, $"holds {rowLabels.Count} labels for {available} windows",
                    "pass one label per window");
            truth = new($"{labels.File}:{labels.Dataset}", rows.Select(i => rowLabels.ClassOf(i)).ToArray(), rowLabels.Classes);
        }
        return new Sampled(windows, count, channels, available, described, sized, truth);
    }

    private static Sampled FromArchive(LearnRequest r, PaperConfig? config, List<string> warnings)
    {
        var fr = r.Features;
        WindowClasses? truth = null;
        var a = WindowSettlement.Open(fr.Paths, fr.Layout, fr.Gain, fr.Components);
        if (config is null)
        {
            var common = WindowSettlement.CommonRate(a.Units);
            config = PaperConfig.Published(fr.Decimation is { } q ? common / q : common);
        }
        var (_, plan, pre, c, text) = WindowSettlement.Settle(a, config.SamplingRate, config.Bins, fr.Windows(), warnings);
        if (plan.Count == 0)
            throw new SeiscatException($"the archive holds no complete window of {config.Bins} samples at {config.SamplingRate} Hz; use shorter " +
                "bins or zero-fill gaps");
        var (channels, count, available, described) = (c, (int)Math.Min(r.Sample, plan.Count), plan.Count, text);
        var sized = new PaperNetwork(config);
        Require(fr, sized, count, channels);
        var (windows, indices) = Sample(plan, fr, pre, channels, config, count, r.Seed);
        if (TruthIntervals.Find(fr.Paths) is { } csv)
        {
            var intervals = TruthIntervals.Load(csv);
            truth = new(csv, indices.Select(i =>
            {
                var (station, startNs) = plan.Locate(i);
                return intervals.ClassOf(plan.Units[station].UnitId, startNs, startNs + plan.WindowNsOf(station));
            }).ToArray(), intervals.Classes);
        }
        return new Sampled(windows, count, channels, available, described, sized, truth);
    }

    // The paper's model on a bank's features of the sampled windows (as an epoch fits it, from k-means), its clusters
    // (most probable component) against the windows' classes.
    private static EvaluationReport Score(SplineLearner learner, PaperConfig bank, int[] classes, IReadOnlyList<string> names)
    {
        var network = new PaperNetwork(bank);
        var features = learner.Features(network);
        var d = features.Length / classes.Length;
        var (pca, gmm, _) = learner.FitModel(features, d, null);
        var z = new double[classes.Length * pca.Components];
        for (var i = 0; i < classes.Length; i++) pca.Transform(features.AsSpan(i * d, d), z.AsSpan(i * pca.Components, pca.Components));
        return EvaluationReport.Of(Contingency.Of(classes, gmm.Predict(z, classes.Length)), names);
    }

    private static void Require(FeaturesRequest fr, PaperNetwork network, int count, int channels)
    {
        var config = network.Config;
        var d = network.OutputLength(channels);
        var groupSpectra = network.Banks.Sum(b => (long)b.Count * (b.Length / 2 + 1)) * 16;
        // Per window: its samples, and its features four times at the peak of an epoch (this epoch's, PCA's centred copy,
        // the features after the steps, and an earlier copy the GC has not collected yet: 548 MB measured against 539 MB
        // estimated for 1 000 windows × 10 464 features on 2 threads).
        fr.Memory.Require(8L * count * channels * config.Bins + 8L * count * d * 4 + Math.Max(1, fr.Threads) * network.WorkspaceBytes(channels)
            + (config.Batch / SplineLearner.GroupSize + 1) * groupSpectra + fr.Memory.MappedResidentBytes,
            $"learning on {count} windows × {d} features", $"lower {Setting.Sample.Ref()} or raise {Setting.Memory.Ref()}");
    }

    // `count` distinct indices below `total`, uniform; sorted.
    private static long[] Draw(long total, int count, ulong seed)
        => Sampling.Floyd(total, count, new Xoshiro256(seed, 0x5a3b1e).BelowByModulo).Order().ToArray();

    private static (double[] Windows, int Count, int Channels, long Available, long[] Rows) SampleSegments(string file, string dataset,
        PaperConfig config, int sample, ulong seed, Action<int, int> require)
    {
        using var segments = SegmentWindows.Open(file, dataset, config.Bins);
        var (channels, bins) = (segments.Channels, segments.Samples);
        var count = (int)Math.Min(sample, segments.Count);
        require(count, channels);
        var windows = new double[(long)count * channels * bins];
        var buffer = new float[channels * bins];
        var indices = Draw(segments.Count, count, seed);
        for (var i = 0; i < count; i++)
        {
            segments.Read(indices[i], buffer);
            for (var t = 0; t < buffer.Length; t++) windows[(long)i * buffer.Length + t] = buffer[t];
        }
        return (windows, count, channels, segments.Count, indices);
    }

    private static void Save(string outDir, SplineLearner learner, LearnState state)
    {
        PaperBank.Save(Path.Combine(outDir, BankName), learner.ConfigOf(state.Parameters), state.Epoch);
        WaveletsFile.Save(Path.Combine(outDir, WaveletsName), state.Trajectory.Select(learner.ConfigOf).ToList(), state.History);
        LossFile.Write(Path.Combine(outDir, LossName), state.History);
    }

    /// <summary>The sampled windows (count × channels × bins, double), preprocessed as `features` does, in window order.</summary>
    private static (double[] Windows, long[] Indices) Sample(WindowPlan plan, FeaturesRequest fr, PreprocessOptions pre, int channels, PaperConfig config,
        int count, ulong seed)
    {
        var indices = Draw(plan.Count, count, seed);
        var bins = config.Bins;
        var windows = new double[(long)count * channels * bins];
        using var storage = new ArchiveStorage { ResidentLimitBytes = fr.Memory.MappedResidentBytes };
        var preparer = new WindowPreparer(plan, storage, pre, bins, config.SamplingRate);
        var window = new float[channels * bins];
        for (var i = 0; i < indices.Length; i++)
        {
            var (station, startNs) = plan.Locate(indices[i]);
            preparer.Prepare(station, startNs, channels, window);
            var at = (long)i * channels * bins;
            for (var t = 0; t < window.Length; t++) windows[at + t] = window[t];
        }
        return (windows, indices);
    }
}
