using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Seiscat.Engine.Common;
using Seiscat.Engine.Io;
using Seiscat.Engine.Mixture;
using Seiscat.Engine.Pipeline;

namespace Seiscat.Cli.Commands;

/// <summary>
/// `seiscat run`: features → fit on a sample → predict every window (→ evaluation against truth.csv when there is
/// one), in one output folder. Each stage records a fingerprint of what it depends on in DIR/run.json and is skipped
/// when its output exists and the fingerprint is unchanged.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var command = new Command("run", "The whole pipeline into one folder: features.h5, model.h5, windows.parquet/csv (stages skipped when up to date).");
        var features = new FeaturesOptionSet(sharded: false);
        var fit = new FitOptionSet { Memory = features.Memory, Threads = features.Threads };
        var output = new Option<string>("--out") { Description = "output folder", Required = true };
        var stability = new Option<string?>("--stability") { Description = "also measure stability at these sample sizes (e.g. 1000,10000,100000; 3 fits each, K of the fitted model) into stability.json and the report" };
        features.AddTo(command);
        fit.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(stability);
        command.SetAction(p =>
        {
            var o = p.InvocationConfiguration.Output;
            var err = p.InvocationConfiguration.Error;
            var dir = p.GetValue(output)!;
            Directory.CreateDirectory(dir);
            var manifestPath = Path.Combine(dir, "run.json");
            var manifest = File.Exists(manifestPath) ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(manifestPath)) ?? [] : [];
            void Save()
            {
                using var atomic = new AtomicOutput(manifestPath);
                File.WriteAllText(atomic.TempPath, JsonSerializer.Serialize(manifest, new JsonSerializerOptions { WriteIndented = true }));
                atomic.Commit();
            }
            // A finished stage: recorded (invalidating the stage after it), and its heap decommitted before the next.
            void Finished(string stage, string key, string? invalidates = null)
            {
                manifest[stage] = key;
                if (invalidates is not null) manifest.Remove(invalidates);
                Save();
                MemoryBudget.ReleaseFinishedStage();
            }
            bool UpToDate(string stage, string key, params string[] files) => manifest.GetValueOrDefault(stage) == key && files.All(f => File.Exists(Path.Combine(dir, f)));

            var request = features.Read(p);
            var featuresKey = FeaturesJob.Fingerprint(request);
            var featuresPath = Path.Combine(dir, "features.h5");
            if (UpToDate("features", featuresKey, "features.h5")) o.WriteLine($"features: up to date ({featuresPath})");
            else
            {
                var warnings = new List<string>();
                var r = FeaturesJob.Run(request, featuresPath, warnings, new ProgressLine(err, "features", "windows"));
                foreach (var w in warnings) err.WriteLine("seiscat: warning: " + CliSettings.Render(w));
                o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"features: {r.Windows} windows × {r.Features} features in {r.Seconds:0.0} s ({r.Windows / Math.Max(r.Seconds, 1e-9):0} windows/s)"));
                Finished("features", featuresKey, invalidates: "fit");
            }

            var fitKey = Hash(featuresKey + "|" + fit.Describe(p));
            var modelPath = Path.Combine(dir, "model.h5");
            if (UpToDate("fit", fitKey, "model.h5")) o.WriteLine($"fit: up to date ({modelPath})");
            else
            {
                using var source = FeatureSource.Open(featuresPath);
                var model = ModelFitting.Fit(source, fit.Read(p), out var report);
                model.Save(modelPath);
                FitCommand.Report(p, model, report, modelPath);
                Finished("fit", fitKey, invalidates: "predict");
            }

            var predictKey = Hash(fitKey + "|predict");
            if (UpToDate("predict", predictKey, "windows.parquet", "windows.csv")) o.WriteLine("predict: up to date");
            else
            {
                var model = ClusterModel.Load(modelPath);
                using var source = FeatureSource.Open(featuresPath);
                var n = Prediction.Run(model, source, [Path.Combine(dir, "windows.parquet"), Path.Combine(dir, "windows.csv")],
                    new PredictRequest { Threads = request.Threads, Memory = request.Memory, ModelPath = modelPath, CheckpointRows = request.CheckpointWindows * 16L },
                    new ProgressLine(err, "predict", "windows"));
                o.WriteLine($"predict: {n} windows → {Path.Combine(dir, "windows.parquet")}, windows.csv");
                Finished("predict", predictKey);
            }

            if (TruthEvaluation.Find(request.Paths) is { } truth)
            {
                var report = TruthEvaluation.Evaluate(truth, TruthEvaluation.ReadWindows(Path.Combine(dir, "windows.csv")));
                o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"against {truth}: adjusted Rand index {report.AdjustedRand:0.000} over {report.Windows} windows"));
                foreach (var c in report.Classes)
                    o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {c.Class,-11} {c.Windows,6} windows, {c.Purity:P0} in cluster {c.MajorityCluster}"));
                using var atomic = new AtomicOutput(Path.Combine(dir, "evaluation.json"));
                File.WriteAllText(atomic.TempPath, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
                atomic.Commit();
                MemoryBudget.ReleaseFinishedStage();
            }
            if (p.GetValue(stability) is { } sizesText)
            {
                var sizes = sizesText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(v => long.TryParse(v, out var s) && s > 0 ? s : throw new Seiscat.Engine.SeiscatException($"--stability '{v}' is not a positive count")).ToList();
                var stabilityKey = Hash(fitKey + "|stability|" + sizesText);
                if (UpToDate("stability", stabilityKey, "stability.json")) o.WriteLine("stability: up to date");
                else
                {
                    var fitted = ClusterModel.Load(modelPath);
                    using var source = FeatureSource.Open(featuresPath);
                    var options = fit.Read(p) with { AutoRange = null, Clusters = fitted.Clusters, Init = null };
                    options = options with { Gmm = options.Gmm with { Components = fitted.Clusters } };
                    o.WriteLine($"stability (K = {fitted.Clusters}, 3 fits per size):");
                    var result = StabilityStudy.Run(source, sizes, 3, options, 10000, new Progress<string>(o.WriteLine));
                    using (var atomic = new AtomicOutput(Path.Combine(dir, "stability.json")))
                    {
                        File.WriteAllText(atomic.TempPath, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
                        atomic.Commit();
                    }
                    if (result.PlateauSize is { } plateau) o.WriteLine($"  plateau: about {plateau} windows");
                    Finished("stability", stabilityKey);
                }
            }

            using (var source = FeatureSource.Open(featuresPath))
            {
                var model = ClusterModel.Load(modelPath);
                var data = ReportData.Gather(model, source, request.Paths);
                o.WriteLine($"report: {Report.HtmlReport.Write(dir, model, data)}");
            }
            o.WriteLine($"outputs in {Path.GetFullPath(dir)}");
            return 0;
        });
        return command;
    }

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text + "|" + typeof(RunCommand).Assembly.GetName().Version)))[..16];
}
