using System.CommandLine;
using Seiscat.Engine.Common.Parts;

namespace Seiscat.Cli.Commands;

internal static class CleanCommand
{
    public static Command Create()
    {
        var command = new Command("clean",
            "Remove leftovers of interrupted runs: checkpoint folders (OUT.parts-*) and temporaries of dead processes, for an output path or a whole folder.");
        var paths = new Argument<string[]>("paths") { Description = "output paths (e.g. features.h5) or folders", Arity = ArgumentArity.OneOrMore };
        command.Arguments.Add(paths);
        command.SetAction(p =>
        {
            var o = p.InvocationConfiguration.Output;
            var count = 0;
            foreach (var path in p.GetValue(paths)!)
                foreach (var removed in PartedOutput.Clean(path))
                {
                    o.WriteLine($"removed {removed}");
                    count++;
                }
            if (count == 0) o.WriteLine("nothing to clean");
            return 0;
        });
        return command;
    }
}
