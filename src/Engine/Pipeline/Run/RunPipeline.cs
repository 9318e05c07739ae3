using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Seiscat.Engine.Common;
using Seiscat.Engine.Common.Parts;
using Seiscat.Engine.Evaluation;
using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Writers;
using Seiscat.Engine.Mixture;
using Seiscat.Engine.Pipeline.Report;
using Seiscat.Engine.Templates;

namespace Seiscat.Engine.Pipeline.Run;

/// <summary>Everything `run` does, as options of its stages.</summary>
public sealed record RunRequest
{
    public required FeaturesRequest Features { get; init; }
    public required FitOptions Fit { get; init; }
    public required string OutputDirectory { get; init; }
    /// <summary>Sample sizes for the stability study (3 fits each at the fitted K); null = no study.</summary>
    public IReadOnlyList<long>? StabilitySizes { get; init; }
}

/// <summary>The stages of a run, in order.</summary>
public enum RunStage { Features, Fit, Predict, Evaluate, Stability, Report }

/// <summary>What a run reports as it goes (the CLI draws it as one progress display).</summary>
public interface IRunObserver
{
    /// <summary>A stage starts (total work items, e.g. windows; 0 when it has no count).</summary>
    void Started(RunStage stage, long total);
    void Progress(RunStage stage, StageProgress progress);
    /// <summary>A stage ended (or was up to date) with a one-line summary.</summary>
    void Finished(RunStage stage, string summary, bool upToDate);
    /// <summary>Detail lines (the BIC curve, per-class scores, stability rows).</summary>
    void Detail(string line);
    void Warning(string text);
}

/// <summary>What a run produced, in memory, for the report and the caller.</summary>
public sealed record RunResult
{
    public required string Directory { get; init; }
    public required ClusterModel Model { get; init; }
    public required ReportData Report { get; init; }
    public FeaturesResult? Features { get; init; }
    public FitReport? Fit { get; init; }
    public EvaluationReport? Evaluation { get; init; }
    public string? TruthPath { get; init; }
    public StabilityResult? Stability { get; init; }
}

/// <summary>
/// `run`: features → fit on a sample → predict every window (gathering the report and, when a truth.csv sits beside
/// the archive, the evaluation in the same pass) → stability → report data, in one output folder. Each stage's key is
/// a fingerprint of what it depends on, kept in DIR/run.json (<see cref="RunManifest"/>): a stage whose key and outputs
/// are unchanged is skipped, and features/predict resume from their checkpoint parts. Between stages the finished
/// stage's heap is decommitted, so each stage's memory budget holds for the whole process.
/// </summary>
public static class RunPipeline
{
    // Candidate windows kept for `templates` at most (≈ 24 bytes each).
    private const long MaxCandidates = 2_000_000;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static RunResult Execute(RunRequest r, IRunObserver observer)
    {
        var dir = r.OutputDirectory;
        Directory.CreateDirectory(dir);
        var manifest = RunManifest.Open(dir);
        var features = r.Features;
        var featuresPath = Path.Combine(dir, "features.h5");
        var modelPath = Path.Combine(dir, "model.h5");
        string[] labelFiles = ["windows.parquet", "windows.csv"];

        // Features.
        var featuresKey = FeaturesJob.Fingerprint(features);
        FeaturesResult? featuresResult = null;
        if (manifest.UpToDate("features", featuresKey, "features.h5")) observer.Finished(RunStage.Features, $"up to date ({featuresPath})", upToDate: true);
        else
        {
            var warnings = new List<string>();
            featuresResult = FeaturesJob.Run(features, featuresPath, warnings, new StageObserver(observer, RunStage.Features));
            foreach (var w in warnings) observer.Warning(w);
            observer.Finished(RunStage.Features, $"{featuresResult.Windows} windows × {featuresResult.Features} features from " +
                $"{Plural.Of(featuresResult.Stations, featuresResult.UnitNoun)} in {featuresResult.Seconds:0.0} s " +
                $"({featuresResult.Windows / Math.Max(featuresResult.Seconds, 1e-9):0} windows/s)", upToDate: false);
            manifest.Finished("features", featuresKey, "fit");
            MemoryBudget.ReleaseFinishedStage();
        }

        // Fit.
        var fitKey = new Fingerprint().Text(featuresKey).Text(FitKeyText(r.Fit)).Hex();
        ClusterModel model;
        FitReport? fitReport = null;
        if (manifest.UpToDate("fit", fitKey, "model.h5"))
        {
            model = ClusterModel.Load(modelPath);
            observer.Finished(RunStage.Fit, $"up to date ({modelPath})", upToDate: true);
        }
        else
        {
            observer.Started(RunStage.Fit, 0);
            using (var source = FeatureSource.Open(featuresPath)) model = ModelFitting.Fit(source, r.Fit, out fitReport);
            model.Save(modelPath);
            if (fitReport.SampleNote is { } note) observer.Warning(note);
            if (FitJob.BicWarning(fitReport) is { } topOfRange) observer.Warning(topOfRange);
            if (fitReport.DroppedNonFinite > 0) observer.Warning($"dropped {fitReport.DroppedNonFinite} sampled rows holding NaN or Inf");
            foreach (var (k,
                bic) in fitReport.BicCurve) observer.Detail(FormattableString.Invariant($"  K = {k,2}  BIC {bic:0.0}{(k == fitReport.Components ? "  " +
                    "<- chosen" : "")}"));
            foreach (var line in fitReport.Tree) observer.Detail("  " + line);
            observer.Finished(RunStage.Fit, FitJob.Describe(model, fitReport, modelPath), upToDate: false);
            manifest.Finished("fit", fitKey, "predict");
            MemoryBudget.ReleaseFinishedStage();
        }

        // Predict, gathering the report and the evaluation in the same pass.
        var predictKey = new Fingerprint().Text(fitKey).Text("predict").Hex();
        var truthPath = TruthIntervals.Find(features.Paths);
        ReportData reportData;
        EvaluationReport? evaluation = null;
        using (var source = FeatureSource.Open(featuresPath))
        {
            var report = new ReportAccumulator(model, source);
            var truth = truthPath is null ? null : new TruthEvaluation(TruthIntervals.Load(truthPath), source.Stations, source.WindowNs);
            // The windows `templates` starts from, kept in the same pass so it need not label the features again — unless
            // they would not be small (a DAS acquisition of many thousand channels): `templates` then labels them itself.
            var keep = new TemplateOptions().Candidates;
            var nearest = source.HasTimes && source.HasStations && (long)model.Labels * source.Stations.Length * keep <= MaxCandidates
                ? new NearestWindows(model.Labels, source.Stations.Length, keep) : null;
            var taps = new List<IPredictionTap> { report };
            if (truth is not null) taps.Add(truth);
            if (nearest is not null) taps.Add(nearest);
            var request = new PredictRequest
            {
                Threads = features.Threads,
                Memory = features.Memory,
                ModelPath = modelPath,
                CheckpointRows = features.CheckpointWindows * 16L,
            };
            var progress = new StageObserver(observer, RunStage.Predict);
            if (manifest.UpToDate("predict", predictKey, labelFiles))
            {
                PredictJob.Scan(model, source, request, taps, progress);
                observer.Finished(RunStage.Predict, "up to date", upToDate: true);
            }
            else
            {
                var n = PredictJob.Run(model, source, labelFiles.Select(f => Path.Combine(dir, f)).ToList(), request, progress, taps);
                observer.Finished(RunStage.Predict, $"{n} windows → {Path.Combine(dir, labelFiles[0])}, {labelFiles[1]}", upToDate: false);
                manifest.Finished("predict", predictKey);
            }
            reportData = report.Result();
            if (nearest is not null)
                CandidatesFile.Save(Path.Combine(dir, CandidatesFile.Name), nearest, CandidatesFile.KeyOf(modelPath, featuresPath));
            if (truth is not null)
            {
                evaluation = truth.Report();
                WriteJson(Path.Combine(dir, "evaluation.json"), evaluation, ReportJson.Default.EvaluationReport);
                foreach (var line in EvaluateJob.Describe(evaluation)) observer.Detail(line);
                observer.Finished(RunStage.Evaluate, $"against {truthPath}: {EvaluateJob.Summary(evaluation)}", upToDate: false);
            }
        }
        MemoryBudget.ReleaseFinishedStage();

        // Stability.
        StabilityResult? stability = null;
        if (r.StabilitySizes is { Count: > 0 } sizes)
        {
            var stabilityKey = new Fingerprint().Text(fitKey).Text("stability").Text(string.Join(",", sizes)).Hex();
            var stabilityPath = Path.Combine(dir, "stability.json");
            if (manifest.UpToDate("stability", stabilityKey, "stability.json"))
            {
                stability = JsonSerializer.Deserialize(File.ReadAllText(stabilityPath), ReportJson.Default.StabilityResult);
                observer.Finished(RunStage.Stability, "up to date", upToDate: true);
            }
            else
            {
                observer.Started(RunStage.Stability, 0);
                using var source = FeatureSource.Open(featuresPath);
                // A tree is refitted whole at each size (its leaves are what the run labels); a flat model at its K.
                var options = model.Branch is not null
                    ? r.Fit with { Clusters = model.Labels, Init = null }
                    : r.Fit with { AutoRange = null, Clusters = model.Clusters, Init = null };
                if (model.Branch is null) options = options with { Gmm = options.Gmm with { Components = model.Clusters } };
                observer.Detail(model.Branch is not null ? $"stability (the whole tree refitted, its leaves compared; 3 fits per size):"
                    : $"stability (K = {model.Clusters}, 3 fits per size):");
                stability = StabilityJob.Run(source, sizes, 3, options, 10000, new Progress<string>(observer.Detail));
                WriteJson(stabilityPath, stability, ReportJson.Default.StabilityResult);
                observer.Finished(RunStage.Stability,
                    stability.PlateauSize is { } plateau ? $"plateau at about {plateau} windows" : "no plateau within the sizes tried", upToDate: false);
                manifest.Finished("stability", stabilityKey);
                MemoryBudget.ReleaseFinishedStage();
            }
        }

        // The representative windows' waveforms, read back from the archive.
        reportData = reportData with
        {
            Representatives = Representatives.Load(reportData.Representatives, features.Paths, reportData.WindowNs,
            model.FeatureConfig, features.Layout)
        };
        return new RunResult
        {
            Directory = dir,
            Model = model,
            Report = reportData,
            Features = featuresResult,
            Fit = fitReport,
            Evaluation = evaluation,
            TruthPath = truthPath,
            Stability = stability,
        };
    }

    /// <summary>Fit options as stable text for the stage key: everything that changes the model (the memory budget can cap
    /// the sample), not the thread count.</summary>
    private static string FitKeyText(FitOptions o) => JsonSerializer.Serialize(o with { Gmm = o.Gmm with { Threads = 0 } },
        KeyJson.Default.FitOptions);

    private static void WriteJson<T>(string path, T value, JsonTypeInfo<T> type)
    {
        using var atomic = new AtomicOutput(path);
        File.WriteAllText(atomic.TempPath, JsonSerializer.Serialize(value, type));
        atomic.Commit();
    }

    // A stage's progress, forwarded to the run's observer.
    private sealed class StageObserver(IRunObserver observer, RunStage stage) : IProgress<StageProgress>
    {
        private bool _started;

        public void Report(StageProgress value)
        {
            if (!_started)
            {
                _started = true;
                observer.Started(stage, value.Total);
            }
            observer.Progress(stage, value);
        }
    }
}
