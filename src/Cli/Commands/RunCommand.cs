using System.CommandLine;
using Seiscat.Cli.Report;
using Seiscat.Engine;
using Seiscat.Engine.Pipeline.Run;

namespace Seiscat.Cli.Commands;

/// <summary>
/// `seiscat run`: parses the options of `features` and `fit` and hands them to the engine's
/// <see cref="RunPipeline"/> (features → fit → predict with evaluation → stability), then draws the report.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var command = new Command("run", "The whole pipeline into one folder: features.h5, model.h5, windows.parquet/csv (stages skipped when up to date).");
        var features = new FeaturesOptionSet(sharded: false);
        var fit = new FitOptionSet { Memory = features.Memory, Threads = features.Threads };
        var output = new Option<string>("--out") { Description = "output folder", Required = true };
        var stability = new Option<string?>("--stability")
        {
            Description = "also measure stability at these sample sizes (e.g. 1000,10000,100000; " +
            "3 fits each, K of the fitted model) into stability.json and the report"
        };
        features.AddTo(command);
        fit.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(stability);
        command.SetAction(p =>
        {
            var o = p.InvocationConfiguration.Output;
            var sizes = p.GetValue(stability)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(v => long.TryParse(v, out var s) && s > 0 ? s : throw new SeiscatException($"--stability '{v}' is not a positive count")).ToList();
            var request = new RunRequest { Features = features.Read(p), Fit = fit.Read(p), OutputDirectory = p.GetValue(output)!, StabilitySizes = sizes };
            var result = RunPipeline.Execute(request, new RunDisplay(o, p.InvocationConfiguration.Error, sizes is { Count: > 0 } ? 4 : 3));
            o.WriteLine($"report: {HtmlReport.Write(result)}");
            o.WriteLine($"outputs in {Path.GetFullPath(result.Directory)}");
            return 0;
        });
        return command;
    }
}
