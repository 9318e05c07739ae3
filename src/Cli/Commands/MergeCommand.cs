using System.CommandLine;
using Seiscat.Engine.Pipeline;

namespace Seiscat.Cli.Commands;

internal static class MergeCommand
{
    public static Command Create()
    {
        var command = new Command("merge", "Join the features.h5 shards of `features --shard i --num-shards N` into the file one process would have written.");
        var shards = new Argument<string[]>("shards") { Description = "all shard files", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "merged features.h5", Required = true };
        command.Arguments.Add(shards);
        command.Options.Add(output);
        command.SetAction(p =>
        {
            var n = FeaturesMerge.Run(p.GetValue(shards)!, p.GetValue(output)!);
            p.InvocationConfiguration.Output.WriteLine($"wrote {p.GetValue(output)}: {n} windows from {p.GetValue(shards)!.Length} shard(s)");
            return 0;
        });
        return command;
    }
}
