using System.CommandLine;
using Seiscat.Engine.Io;
using Seiscat.Engine.Mixture;
using Seiscat.Engine.Pipeline;

namespace Seiscat.Cli.Commands;

internal static class PredictCommand
{
    public static Command Create()
    {
        var command = new Command("predict", "Stream every window through a fitted model: cluster, probability, log-likelihood, distance to the centroid.");
        var model = new Argument<string>("model") { Description = "model.h5 from seiscat fit" };
        var input = new Argument<string>("input") { Description = "features.h5, a scatter out.h5, or FILE.h5:/2-D/dataset" };
        var output = new Option<string>("--out") { Description = "labels.csv, labels.parquet, or labels.h5 (adds the full probability matrix)", Required = true };
        var threads = new Option<int>("--threads") { Description = "worker threads (default: all cores)", DefaultValueFactory = _ => Environment.ProcessorCount };
        command.Arguments.Add(model);
        command.Arguments.Add(input);
        command.Options.Add(output);
        command.Options.Add(threads);
        command.SetAction(p =>
        {
            var m = ClusterModel.Load(p.GetValue(model)!);
            using var source = FeatureSource.Open(p.GetValue(input)!);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var n = Prediction.Run(m, source, p.GetValue(output)!, Math.Max(1, p.GetValue(threads)), new ProgressLine(p.InvocationConfiguration.Error, "predict", "windows"));
            p.InvocationConfiguration.Output.WriteLine($"wrote {p.GetValue(output)}: {n} windows in {clock.Elapsed.TotalSeconds:0.00} s");
            return 0;
        });
        return command;
    }
}
