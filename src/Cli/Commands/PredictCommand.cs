using System.CommandLine;
using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Writers;
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
        var output = new Option<string[]>("--out")
        {
            Description = "labels.csv, labels.parquet and/or labels.h5 (adds the full probability matrix); repeat for several in one pass. A shard writes .h5",
            Required = true,
        };
        var threads = ThreadsOption.Create();
        var checkpoint = new Option<long>("--checkpoint-windows")
        {
            Description = "windows per checkpoint part: a killed run resumes from the last " +
            "finished part",
            DefaultValueFactory = _ => 1L << 20
        };
        var memory = MemoryOption.Create();
        var shards = new ShardOptions();
        command.Arguments.Add(model);
        command.Arguments.Add(input);
        command.Options.Add(output);
        command.Options.Add(threads);
        command.Options.Add(checkpoint);
        command.Options.Add(memory);
        shards.AddTo(command);
        command.SetAction(p =>
        {
            var (shard, count) = shards.Read(p);
            var request = new PredictRequest
            {
                Threads = ThreadsOption.Read(p, threads),
                ShardIndex = shard,
                ShardCount = count,
                ModelPath = p.GetValue(model),
                CheckpointRows = p.GetValue(checkpoint) is var c
                    && c >= 1 ? c : throw new Seiscat.Engine.SeiscatException($"--checkpoint-windows {c}: use at least 1"),
                Memory = MemoryOption.Read(p, memory),
            };
            var outputs = p.GetValue(output)!;
            PredictionOutputs.Classify(outputs);
            var m = ClusterModel.Load(p.GetValue(model)!);
            using var source = FeatureSource.Open(p.GetValue(input)!);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var n = PredictJob.Run(m, source, outputs, request, new ProgressLine(p.InvocationConfiguration.Error, "predict", "windows"));
            p.InvocationConfiguration.Output.WriteLine($"wrote {string.Join(", ", outputs)}: {n} windows{(count > 1 ? $" (shard {shard} of " +
                $"{count})" : "")} in {clock.Elapsed.TotalSeconds:0.00} s");
            return 0;
        });
        return command;
    }
}
