using System.CommandLine;
using Seiscat.Engine.Synthetic;

namespace Seiscat.Cli.Commands;

internal static class SynthCommand
{
    public static Command Create()
    {
        var command = new Command("synth",
            "Write a synthetic 3-component archive (earthquakes, repeaters, tremor, glitches, a gap) with its truth catalogue (truth.csv).");
        var outDir = new Option<string>("--out") { Description = "output folder", Required = true };
        var stations = new Option<int>("--stations") { Description = "number of stations", DefaultValueFactory = _ => 2 };
        var hours = new Option<double>("--hours") { Description = "duration in hours", DefaultValueFactory = _ => 6 };
        var rate = new Option<double>("--rate") { Description = "sampling rate (Hz)", DefaultValueFactory = _ => 50 };
        var seed = new Option<ulong>("--seed") { Description = "random seed (same seed, same bytes)", DefaultValueFactory = _ => 1 };
        var layout = new Option<string>("--layout") { Description = "asdf | generic", DefaultValueFactory = _ => "asdf" };
        var eventRate = new Option<double>("--event-rate")
        {
            Description = "multiplies every event rate (1: ~16 % of 40 s windows hold an event; 0.1: ~2 %, rare events)",
            DefaultValueFactory = _ => 1,
        };
        foreach (var o in new Option[] { outDir, stations, hours, rate, seed, layout, eventRate }) command.Options.Add(o);
        command.SetAction(p =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var result = SyntheticArchive.Generate(p.GetValue(outDir)!, new SynthOptions
            {
                Stations = p.GetValue(stations),
                Hours = p.GetValue(hours),
                Rate = p.GetValue(rate),
                Seed = p.GetValue(seed),
                Layout = p.GetValue(layout)!,
                EventRate = p.GetValue(eventRate),
            });
            var o = p.InvocationConfiguration.Output;
            var bytes = result.Files.Sum(f => new FileInfo(f).Length);
            o.WriteLine($"wrote {result.Files.Count} file(s), {bytes / 1e6:0.0} MB, in {clock.Elapsed.TotalSeconds:0.0} s: " +
                $"{string.Join(", ", result.Files.Select(Path.GetFileName))}");
            var counts = result.Truth.GroupBy(t => t.Class).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}");
            o.WriteLine($"truth catalogue {result.TruthCsv}: {string.Join(", ", counts)} (rows per station)");
            return 0;
        });
        return command;
    }
}
