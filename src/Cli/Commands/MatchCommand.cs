using System.CommandLine;
using Seiscat.Engine;
using Seiscat.Engine.Matching;
using Seiscat.Engine.Pipeline;

namespace Seiscat.Cli.Commands;

internal static class MatchCommand
{
    public static Command Create()
    {
        var command = new Command("match", "Template matching: normalised cross-correlation of templates.h5 with the continuous archive → detections.");
        var templates = new Argument<string>("templates") { Description = "templates.h5 from seiscat templates" };
        var archive = new ArchiveOptions();
        var output = new Option<string>("--out") { Description = "detections.csv or detections.parquet", DefaultValueFactory = _ => "detections.csv" };
        var threshold = new Option<double>("--threshold")
        {
            Description = "detect where the mean correlation exceeds this multiple of the MAD of the day's trace",
            DefaultValueFactory = _ => 8
        };
        var separation = new Option<string>("--min-separation")
        {
            Description = "keep the strongest detection of a group within this time",
            DefaultValueFactory = _ => "2s"
        };
        var report = new Option<string?>("--report") { Description = "also write a report folder (detections per hour, histogram, best and weakest)" };
        var threads = ThreadsOption.Create();
        var memory = MemoryOption.Create();
        var shards = new ShardOptions();
        command.Arguments.Add(templates);
        archive.AddTo(command);
        foreach (var o in new Option[] { output, threshold, separation, report, threads, memory }) command.Options.Add(o);
        shards.AddTo(command);
        command.SetAction(p =>
        {
            var (shard, count) = shards.Read(p);
            var request = new MatchRequest
            {
                TemplatesPath = p.GetValue(templates)!,
                Paths = p.GetValue(archive.Paths)!,
                Layout = archive.Read(p),
                OutPath = p.GetValue(output)!,
                Threshold = p.GetValue(threshold),
                MinSeparationSeconds = TimeFormat.ParseSeconds(p.GetValue(separation)!, "--min-separation"),
                Threads = ThreadsOption.Read(p, threads),
                Memory = MemoryOption.Read(p, memory),
                ShardIndex = shard,
                ShardCount = count,
            };
            var o = p.InvocationConfiguration.Output;
            var result = MatchJob.Run(request, new ProgressLine(p.InvocationConfiguration.Error, "match", "blocks"),
                new Progress<string>(line => p.InvocationConfiguration.Error.WriteLine("note: " + CliSettings.Render(line))));
            foreach (var g in result.Detections.GroupBy(d => d.Templates).OrderBy(g => g.Key, StringComparer.Ordinal))
                o.WriteLine(FormattableString.Invariant(
                    $"  {g.Key}: {Plural.Of(g.Count(), "detection")}, correlation {g.Min(d => d.Correlation):0.00}–{g.Max(d => d.Correlation):0.00}"));
            foreach (var t in result.Traces.Where(t => t.MedianThreshold >= 0.95))
                p.InvocationConfiguration.Error.WriteLine(FormattableString.Invariant(
                    $"warning: group {t.Group} ({t.Templates}) was held to a threshold of {t.MedianThreshold:0.00}: its correlation trace varies so ") +
                    "much that almost nothing can pass; use a longer --length or a wider --band in seiscat templates, or a lower --threshold");
            if (result.Gaps.Count > 0)
                o.WriteLine(FormattableString.Invariant(
                    $"gaps: {Plural.Of(result.Gaps.Count, "stretch", "stretches")} without data, {result.Gaps.Sum(g => (g.EndNs - g.StartNs) / 1e9):0.#} s ") +
                    $"in all (no detection crosses them), listed in {GapsFile.PathFor(request.OutPath)}");
            var speed = result.TemplateSeconds * result.DataSeconds / Math.Max(result.Seconds, 1e-9);
            o.WriteLine($"wrote {request.OutPath}: {Plural.Of(result.Detections.Count, "detection")} in {Plural.Of(result.Blocks, "block")}" +
                (result.BlocksResumed > 0 ? $" ({result.BlocksResumed} resumed)" : "") + (count > 1 ? $" (shard {shard} of {count})" : "") +
                FormattableString.Invariant($" in {result.Seconds:0.0} s ({speed:0.###e0} template-s × data-s per s)"));
            if (p.GetValue(report) is { } dir) o.WriteLine($"report: {Report.MatchReport.Write(dir, request, result)}");
            return 0;
        });
        return command;
    }
}
