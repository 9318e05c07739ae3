using System.CommandLine;
using System.Text.Json;
using Seiscat.Engine;
using Seiscat.Engine.Common;
using Seiscat.Engine.Io;
using Seiscat.Engine.Linear;
using Seiscat.Engine.Mixture;
using Seiscat.Engine.Pipeline;

namespace Seiscat.Cli.Commands;

internal static class StabilityCommand
{
    public static Command Create()
    {
        var command = new Command("stability", "Do I need to fit on everything? Independent fits at growing sample sizes, compared on a common held-out set.");
        var input = new Argument<string>("input") { Description = "features.h5, a scatter out.h5, or FILE.h5:/2-D/dataset" };
        var samples = new Option<string>("--samples") { Description = "comma-separated sample sizes", DefaultValueFactory = _ => "1000,10000,100000" };
        var repeats = new Option<int>("--repeats") { Description = "independent fits per size", DefaultValueFactory = _ => 5 };
        var clusters = new Option<int>("--clusters") { Description = "K for every fit", DefaultValueFactory = _ => 6 };
        var recipe = new Option<string>("--recipe") { Description = "auto | events | log (as fit)", DefaultValueFactory = _ => "auto" };
        var reduce = new Option<string>("--reduce") { Description = "pca:K | ica:K | none", DefaultValueFactory = _ => "pca:10" };
        var scale = new Option<string>("--scale") { Description = "standard | log10 | minmax | none (as fit)", DefaultValueFactory = _ => "standard" };
        var covariance = new Option<string>("--covariance") { Description = "full | diag | tied | spherical", DefaultValueFactory = _ => "full" };
        var heldOut = new Option<long>("--held-out") { Description = "size of the common held-out set", DefaultValueFactory = _ => 10000 };
        var seed = new Option<ulong>("--seed") { Description = "random seed", DefaultValueFactory = _ => 0 };
        var json = new Option<string?>("--json") { Description = "also write the table as JSON to this file" };
        command.Arguments.Add(input);
        var memory = MemoryOption.Create();
        var threads = ThreadsOption.Create("EM threads");
        foreach (var o in new Option[] { samples, repeats, clusters, recipe, reduce, scale, covariance, heldOut, seed, json, memory,
            threads }) command.Options.Add(o);
        command.SetAction(p =>
        {
            var sizes = p.GetValue(samples)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => long.TryParse(s, out var v) && v > 0 ? v : throw new SeiscatException($"--samples '{s}' is not a positive count")).ToList();
            var transform = CliOptions.Reduce(p.GetValue(reduce)!, new TransformOptions
            {
                Scale = CliOptions.Scale(p.GetValue(scale)!),
                Recipe = CliOptions.Recipe(p.GetValue(recipe)!),
            });
            var k = p.GetValue(clusters);
            var options = new FitOptions
            {
                Transform = transform,
                Clusters = k,
                Seed = p.GetValue(seed),
                Memory = MemoryOption.Read(p, memory),
                Gmm = new GmmOptions { Components = k, Covariance = CliOptions.Covariance(p.GetValue(covariance)!), Threads = ThreadsOption.Read(p, threads) },
            };
            using var source = FeatureSource.Open(p.GetValue(input)!);
            var o = p.InvocationConfiguration.Output;
            o.WriteLine($"{source.Rows} windows; {p.GetValue(repeats)} fits per size, K = {k}; held-out set of {Math.Min(p.GetValue(heldOut), source.Rows)}");
            var result = StabilityJob.Run(source, sizes, p.GetValue(repeats), options, p.GetValue(heldOut), new Progress<string>(o.WriteLine));
            o.WriteLine(result.PlateauSize is { } plateau
                ? $"plateau: fitting on about {plateau} windows gives clusters as stable and as likely as the largest sample tried ({result.Rule})"
                : "no plateau within the sizes tried: try larger samples");
            if (p.GetValue(json) is { } path)
            {
                using var output = new AtomicOutput(path);
                File.WriteAllText(output.TempPath, JsonSerializer.Serialize(result, CliJson.Default.StabilityResult));
                output.Commit();
            }
            return 0;
        });
        return command;
    }
}
