using System.Text.Json;
using Seiscat.Engine.Common;
using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Layouts;
using Seiscat.Engine.Io.Storage;
using Seiscat.Engine.Mixture;
using Seiscat.Engine.Templates;
using Seiscat.Engine.Windows;

namespace Seiscat.Engine.Pipeline;

public sealed record TemplatesRequest
{
    /// <summary>A `run` output folder (features.h5 and model.h5).</summary>
    public required string RunDirectory { get; init; }
    public required string OutPath { get; init; }
    /// <summary>Clusters to make templates of; null = every cluster but the most populated (the background).</summary>
    public IReadOnlyList<int>? Clusters { get; init; }
    public TemplateOptions Options { get; init; } = new();
    /// <summary>The archive, when it moved since the run; null = the files features.h5 names.</summary>
    public IReadOnlyList<string>? Archive { get; init; }
    public LayoutOptions Layout { get; init; } = new();
    public int Threads { get; init; } = Environment.ProcessorCount;
    public MemoryBudget Memory { get; init; } = MemoryBudget.Default;
}

/// <summary>What `templates` made: the templates, and one line per (cluster, station) that gave none.</summary>
public sealed record TemplatesResult(IReadOnlyList<Template> Templates, IReadOnlyList<string> Skipped, IReadOnlyList<int> Clusters);

/// <summary>
/// RUN_DIR → templates.h5: one pass of the fitted model over features.h5 keeps, per cluster and station, the windows
/// nearest the cluster centre (<see cref="NearestWindows"/>); each (cluster, station) becomes a template
/// (<see cref="TemplateBuilder"/>), read back from the archive at its own rate. Templates of one cluster at several
/// stations form a group when their members are the same events (onsets within a window of each other), with the
/// median onset delay between stations as the group's offsets.
/// </summary>
public static class TemplatesJob
{
    public static TemplatesResult Run(TemplatesRequest r, IProgress<string>? log = null)
    {
        var featuresPath = Path.Combine(r.RunDirectory, "features.h5");
        var modelPath = Path.Combine(r.RunDirectory, "model.h5");
        Validate(r, featuresPath, modelPath);
        var model = ClusterModel.Load(modelPath);
        var (nearest, windowNs, stations, named) = Candidates(r, model, featuresPath, modelPath, log);
        var counts = nearest.Counts;
        var clusters = r.Clusters?.Distinct().Order().ToList() ?? TemplateGroups.DefaultClusters(counts);
        foreach (var c in clusters)
        {
            if (c < 0 || c >= model.Labels)
                throw SeiscatException.For(modelPath, null, $"has clusters 0..{model.Labels - 1}, not {c}",
                    $"choose {Setting.Clusters.Ref()} among them");
            if (counts[c] == 0)
                throw SeiscatException.For(modelPath, null, $"cluster {c} holds no window", "choose a cluster that occurs (see the report's table)");
        }

        var inputs = r.Archive ?? ArchiveInputs(featuresPath, named);
        var archive = ArchiveScanner.Open(inputs, r.Layout);
        var jobs = new List<(int Cluster, int Station, UnitRecord Record)>();
        foreach (var c in clusters)
            for (var s = 0; s < stations.Length; s++)
            {
                if (nearest.Of(c, s).Count == 0) continue;
                var record = ArchiveSelection.FindUnit(archive, stations[s])
                    ?? throw new SeiscatException($"station {stations[s]} of {featuresPath} is not in the archive " +
                    $"({string.Join(", ", inputs.Take(3))}{(inputs.Count > 3 ? ", …" : "")}); pass the archive the run used with {Setting.Archive.Ref()}");
                jobs.Add((c, s, record));
            }
        var (templates, skipped) = Build(r, nearest, jobs, stations, windowNs);
        templates = TemplateGroups.Form(templates, windowNs);
        TemplateFile.Save(r.OutPath, new TemplateFile.Contents(templates, r.Options.Stacking == Stacking.Linear ? "linear" : "phase-weighted",
            r.Options.PreOnsetShare, Path.GetFullPath(r.RunDirectory), JsonSerializer.Serialize(inputs, PlainJson.Default.IReadOnlyListString)));
        return new TemplatesResult(templates, skipped, clusters);
    }

    private static void Validate(TemplatesRequest r, string featuresPath, string modelPath)
    {
        if (!Directory.Exists(r.RunDirectory))
            throw SeiscatException.For(r.RunDirectory, null, "no such folder", $"pass the folder `seiscat run {Setting.Output.Ref()}` wrote");
        foreach (var p in new[] { featuresPath, modelPath })
            if (!File.Exists(p))
                throw SeiscatException.For(p, null, "missing", "pass a folder where `seiscat run` finished (it holds features.h5 and model.h5)");
        if (r.Options.PerCluster < 1) throw new SeiscatException($"{Setting.PerCluster.Ref()} {r.Options.PerCluster} is impossible; use 1 or more");
        if (!(r.Options.LengthSeconds > 0))
            throw new SeiscatException($"{Setting.TemplateLength.Ref()} {r.Options.LengthSeconds} s is impossible; use a positive length");
        if (r.Options.PreOnsetShare is < 0 or >= 1)
            throw new SeiscatException($"{Setting.PreOnset.Ref()} {r.Options.PreOnsetShare} is impossible; use a share in [0, 1)");
    }

    /// <summary>The windows nearest each cluster centre per station: from the run's candidates.h5 when it is current,
    /// else from a prediction pass over the features.</summary>
    private static (NearestWindows Nearest, long WindowNs, string[] Stations, IReadOnlyList<string>? Inputs) Candidates(TemplatesRequest r,
        ClusterModel model, string featuresPath, string modelPath, IProgress<string>? log)
    {
        using var source = FeatureSource.Open(featuresPath);
        if (!source.HasTimes || !source.HasStations)
            throw SeiscatException.For(featuresPath, null, "has no window times or stations", "templates need features computed from an archive");
        var stations = source.Stations;
        var keep = Math.Max(r.Options.Candidates, r.Options.PerCluster);
        var kept = CandidatesFile.TryLoad(Path.Combine(r.RunDirectory, CandidatesFile.Name), CandidatesFile.KeyOf(modelPath, featuresPath),
            model.Labels, stations.Length, keep);
        if (kept is null)
        {
            kept = new NearestWindows(model.Labels, stations.Length, keep);
            PredictJob.Scan(model, source, new PredictRequest { Threads = r.Threads, Memory = r.Memory }, [kept]);
        }
        else log?.Report($"candidates from {CandidatesFile.Name} (the run's own prediction pass)");
        return (kept, source.WindowNs, stations, source.Inputs);
    }

    /// <summary>One template per (cluster, station) job, read back from the archive in parallel; the jobs that made none,
    /// with why.</summary>
    private static (List<Template> Templates, List<string> Skipped) Build(TemplatesRequest r, NearestWindows nearest,
        List<(int Cluster, int Station, UnitRecord Record)> jobs, string[] stations, long windowNs)
    {
        var built = new Template?[jobs.Count];
        var reasons = new string?[jobs.Count];
        using (var storage = new ArchiveStorage())
            Parallel.For(0, jobs.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, r.Threads) }, i =>
            {
                var (c, s, record) = jobs[i];
                var candidates = nearest.Of(c, s).Select(w => new TemplateBuilder.Candidate(w.StartNs, w.Distance)).ToList();
                built[i] = TemplateBuilder.Build(new StretchReader(record, storage), c, candidates, windowNs, r.Options, "", out reasons[i]);
            });
        var templates = new List<Template>();
        var skipped = new List<string>();
        for (var i = 0; i < jobs.Count; i++)
        {
            if (built[i] is { } t) templates.Add(t with { Name = $"T{templates.Count:000}" });
            else skipped.Add($"cluster {jobs[i].Cluster} at {stations[jobs[i].Station]}: {reasons[i]}");
        }
        if (templates.Count == 0) throw new SeiscatException($"no template could be made ({string.Join("; ", skipped)}); " +
            $"try other {Setting.Clusters.Ref()} or a shorter {Setting.TemplateLength.Ref()}");
        return (templates, skipped);
    }

    private static IReadOnlyList<string> ArchiveInputs(string featuresPath, IReadOnlyList<string>? inputs)
    {
        if (inputs is null) throw SeiscatException.For(featuresPath, null, "does not name its archive", $"pass it with {Setting.Archive.Ref()}");
        var missing = inputs.FirstOrDefault(p => !File.Exists(p));
        if (inputs.Count == 0 || missing is not null)
            throw SeiscatException.For(missing ?? featuresPath, null, "the run's archive file is gone",
                $"pass the archive's current place with {Setting.Archive.Ref()}");
        return inputs;
    }
}
