using System.CommandLine;
using System.Text.Json;
using Seiscat.Engine;
using Seiscat.Engine.Common;
using Seiscat.Engine.Evaluation;
using Seiscat.Engine.Io;
using Seiscat.Engine.Pipeline;

namespace Seiscat.Cli.Commands;

internal static class EvaluateCommand
{
    public static Command Create()
    {
        var command = new Command("evaluate",
            "Score clusters against labels: intervals (a truth.csv of start,end,class,station) or one label per pre-cut segment (FILE.h5:/labels).");
        var predictions = new Argument<string>("predictions") { Description = "windows.h5, windows.csv or windows.parquet from predict or run" };
        var truth = new Option<string?>("--truth") { Description = "CSV of labelled intervals: start,end,class,station (UTC; the truth.csv synth writes)" };
        var labels = new Option<string?>("--labels") { Description = "FILE.h5:/dataset with one label per row of the predictions (pre-cut segments)" };
        var json = new Option<string?>("--json") { Description = "also write the scores as JSON to this file" };
        command.Arguments.Add(predictions);
        foreach (var o in new Option[] { truth, labels, json }) command.Options.Add(o);
        command.SetAction(p =>
        {
            var input = p.GetValue(predictions)!;
            EvaluationReport report;
            if (p.GetValue(truth) is { } csv && p.GetValue(labels) is null) report = EvaluateJob.AgainstIntervals(input, csv);
            else if (p.GetValue(labels) is { } spec && p.GetValue(truth) is null)
            {
                var (file, dataset) = DatasetPath.Split(spec, "--labels");
                report = EvaluateJob.AgainstRows(input, file, dataset);
            }
            else throw new SeiscatException("evaluate needs labels: --truth truth.csv (intervals) or --labels FILE.h5:/labels (one per row), not both");
            var o = p.InvocationConfiguration.Output;
            o.WriteLine(EvaluateJob.Summary(report));
            foreach (var line in EvaluateJob.Describe(report)) o.WriteLine(line);
            o.WriteLine("confusion (rows: classes; columns: clusters)");
            o.WriteLine($"  {"",-11} " + string.Join(" ", Enumerable.Range(0, report.Confusion.Clusters).Select(k => $"{k,7}")));
            for (var i = 0; i < report.Confusion.Classes.Count; i++)
                o.WriteLine($"  {report.Confusion.Classes[i],-11} " + string.Join(" ", report.Confusion.Counts[i].Select(v => $"{v,7}")));
            if (p.GetValue(json) is { } path)
            {
                using var output = new AtomicOutput(path);
                File.WriteAllText(output.TempPath, JsonSerializer.Serialize(report, CliJson.Default.EvaluationReport));
                output.Commit();
            }
            return 0;
        });
        return command;
    }
}
