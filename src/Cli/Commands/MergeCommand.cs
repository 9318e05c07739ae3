using System.CommandLine;
using Seiscat.Engine;
using Seiscat.Engine.Common;
using Seiscat.Engine.Io.Writers;
using Seiscat.Engine.Matching;
using Seiscat.Engine.Pipeline;
using Seiscat.Native.Hdf5;

namespace Seiscat.Cli.Commands;

internal static class MergeCommand
{
    public static Command Create()
    {
        var command = new Command("merge",
            "Join the shards of `features --shard` (into features.h5), `predict --shard` (into .h5, .parquet and/or .csv) or `match --shard` " +
                "(detections .csv shards into .csv or .parquet), byte-identical to one process's output.");
        var shards = new Argument<string[]>("shards") { Description = "all shard files", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string[]>("--out")
        {
            Description = "merged features.h5; for predict shards any of labels.h5, labels.parquet, " +
            "labels.csv (repeatable)",
            Required = true
        };
        var separation = new Option<string>("--min-separation")
        {
            Description = "match shards: keep the strongest detection of a group within this time (as match)",
            DefaultValueFactory = _ => "2s"
        };
        command.Arguments.Add(shards);
        command.Options.Add(output);
        command.Options.Add(separation);
        command.SetAction(p =>
        {
            var files = p.GetValue(shards)!;
            var outs = p.GetValue(output)!;
            var o = p.InvocationConfiguration.Output;
            if (files[0].EndsWith(".csv", StringComparison.OrdinalIgnoreCase) && outs.Length == 1)
            {
                var seconds = TimeFormat.ParseSeconds(p.GetValue(separation)!, "--min-separation");
                var (n, gaps) = MatchMerge.Run(files, outs[0], seconds);
                var gapNote = gaps > 0 ? $", {Plural.Of(gaps, "gap")} in {GapsFile.PathFor(outs[0])}" : "";
                o.WriteLine($"wrote {outs[0]}: {Plural.Of(n, "detection")} from {Plural.Of(files.Length, "shard")}{gapNote}");
            }
            else if (IsPrediction(files[0]))
            {
                var n = PredictionMerge.Run(files, outs);
                o.WriteLine($"wrote {string.Join(", ", outs)}: {n} windows from {Plural.Of(files.Length, "shard")}");
            }
            else if (outs.Length != 1 || !outs[0].EndsWith(".h5", StringComparison.OrdinalIgnoreCase))
                throw SeiscatException.For(files[0], null, "is a features shard, which merges into one .h5", "pass a single --out features.h5");
            else
            {
                var m = FeaturesMerge.Run(files, outs[0]);
                o.WriteLine($"wrote {outs[0]}: {m.Rows} windows from {Plural.Of(files.Length, "shard")}; {m.CopiedChunks} chunks copied as stored, " +
                    $"{m.EncodedChunks} re-encoded");
            }
            return 0;
        });
        return command;
    }

    private static bool IsPrediction(string path)
    {
        if (!File.Exists(path)) throw SeiscatException.For(path, null, "no such shard file", "pass the .h5 files written with --shard");
        if (!H5File.IsHdf5(path)) throw SeiscatException.For(path, null, "is not an HDF5 file",
            "pass the .h5 shards (CSV and Parquet outputs cannot be merged; write shards as .h5)");
        Hdf5Vetting.Ensure([path]);
        try
        {
            using var f = H5File.OpenRead(path);
            return PredictionWriter.IsPrediction(f);
        }
        catch (Hdf5Exception e) { throw SeiscatException.For(path, null, "cannot be opened: " + e.Hdf5Message, "the shard may be truncated; rerun it", e); }
    }
}
