using System.CommandLine;
using System.Globalization;
using Seiscat.Engine;
using Seiscat.Engine.Pipeline;
using Seiscat.Engine.Templates;

namespace Seiscat.Cli.Commands;

internal static class TemplatesCommand
{
    public static Command Create()
    {
        var command = new Command("templates", "Stack each chosen cluster's most coherent windows into a template per station (for `seiscat match`).");
        var run = new Argument<string>("run-dir") { Description = "a folder `seiscat run` finished (features.h5, model.h5)" };
        var output = new Option<string>("--out") { Description = "templates file to write", DefaultValueFactory = _ => "templates.h5" };
        var clusters = new Option<string?>("--clusters") { Description = "clusters, e.g. 0,2 (default: all but the most populated, the background)" };
        var perCluster = new Option<int>("--per-cluster") { Description = "windows stacked per template", DefaultValueFactory = _ => 5 };
        var candidates = new Option<int>("--candidates")
        {
            Description = "windows nearest each cluster centre examined for a coherent family",
            DefaultValueFactory = _ => 48
        };
        var length = new Option<string>("--length") { Description = "template length, e.g. 10s", DefaultValueFactory = _ => "20s" };
        var pre = new Option<double>("--pre") { Description = "share of the template before the onset", DefaultValueFactory = _ => 0.2 };
        var band = new Option<string?>("--band")
        {
            Description = "band-pass LOW-HIGH in Hz (default: where the members' signal stands above their pre-onset noise)"
        };
        var stacking = new Option<string>("--stack") { Description = "linear | pws (phase-weighted)", DefaultValueFactory = _ => "linear" };
        var minCc = new Option<double>("--min-cc")
        {
            Description = "least correlation of a member with the family's anchor",
            DefaultValueFactory = _ => 0.4
        };
        var archive = new Option<string[]>("--archive")
        {
            Description = "the archive, if it moved since the run (default: the files features.h5 names)",
            AllowMultipleArgumentsPerToken = true
        };
        var threads = ThreadsOption.Create();
        var memory = MemoryOption.Create();
        command.Arguments.Add(run);
        foreach (var o in new Option[] { output, clusters, perCluster, candidates, length, pre, band, stacking, minCc, archive, threads, memory })
            command.Options.Add(o);
        command.SetAction(p =>
        {
            var (low, high) = Band(p.GetValue(band));
            var options = new TemplateOptions
            {
                PerCluster = p.GetValue(perCluster),
                Candidates = Math.Max(p.GetValue(candidates), p.GetValue(perCluster)),
                LengthSeconds = TimeFormat.ParseSeconds(p.GetValue(length)!, "--length"),
                PreOnsetShare = p.GetValue(pre),
                LowHz = low,
                HighHz = high,
                Stacking = p.GetValue(stacking) switch
                {
                    "linear" => Stacking.Linear,
                    "pws" => Stacking.PhaseWeighted,
                    var s => throw new SeiscatException($"--stack {s}: use linear or pws"),
                },
                MinCorrelation = p.GetValue(minCc),
            };
            var request = new TemplatesRequest
            {
                RunDirectory = p.GetValue(run)!,
                OutPath = p.GetValue(output)!,
                Clusters = p.GetValue(clusters) is { } list ? ParseClusters(list) : null,
                Options = options,
                Archive = p.GetValue(archive) is { Length: > 0 } a ? a : null,
                Threads = ThreadsOption.Read(p, threads),
                Memory = MemoryOption.Read(p, memory),
            };
            var result = TemplatesJob.Run(request);
            Print(p, request, result, options.MinCorrelation);
            return 0;
        });
        return command;
    }

    private static void Print(ParseResult p, TemplatesRequest request, TemplatesResult result, double minCorrelation)
    {
        var o = p.InvocationConfiguration.Output;
        foreach (var t in result.Templates)
        {
            var members = FormattableString.Invariant($"{t.MemberCorrelation.Length} members (correlation with the stack ") +
                FormattableString.Invariant($"{t.MemberCorrelation.Min():0.00}–{t.MemberCorrelation.Max():0.00})");
            var shape = FormattableString.Invariant($"{t.Samples / t.Rate:0.#} s at {t.Rate:0.###} Hz, onset at {t.OnsetSample / t.Rate:0.00} s, ") +
                FormattableString.Invariant($"{t.LowHz:0.##}–{t.HighHz:0.##} Hz");
            var group = FormattableString.Invariant($"group {t.Group}") +
                (t.GroupOffsetNs != 0 ? FormattableString.Invariant($" (+{t.GroupOffsetNs / 1e9:0.00} s)") : "");
            o.WriteLine($"{t.Name}: cluster {t.Cluster} at {t.Station}, {members}, {shape}, {group}");
        }
        foreach (var s in result.Skipped) p.InvocationConfiguration.Error.WriteLine($"warning: no template for {s}");
        foreach (var t in result.Templates.Where(t => t.MemberCorrelation.Length == 1))
            p.InvocationConfiguration.Error.WriteLine($"note: {t.Name} (cluster {t.Cluster} at {t.Station}) is one event: no other window of the " +
                $"cluster correlates with it at --min-cc {minCorrelation}, so the cluster is not a family of similar waveforms there");
        o.WriteLine($"wrote {request.OutPath}: {Plural.Of(result.Templates.Count, "template")} of " +
            $"{Plural.Word(result.Clusters.Count, "cluster")} {string.Join(",", result.Clusters)}");
        o.WriteLine($"figures: {Report.MatchReport.WriteTemplates(Path.Combine(request.RunDirectory, "report"), result.Templates)}");
    }

    private static List<int> ParseClusters(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var c) ? c
            : throw new SeiscatException($"--clusters {text}: use cluster numbers separated by commas, e.g. 0,2")).ToList();

    /// <summary>LOW-HIGH in Hz, or nothing (the default band).</summary>
    internal static (double? Low, double? High) Band(string? text)
    {
        if (text is null) return (null, null);
        var parts = text.Split('-');
        if (parts.Length == 2 && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var low)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var high) && low > 0 && high > low)
            return (low, high);
        throw new SeiscatException($"--band {text}: use LOW-HIGH in Hz with 0 < LOW < HIGH, e.g. 2-8");
    }
}
