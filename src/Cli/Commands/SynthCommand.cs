using System.CommandLine;
using Seiscat.Engine;
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
        var hours = new Option<double?>("--hours") { Description = "duration in hours (default 6; with --das 1/6: ten minutes)" };
        var rate = new Option<double?>("--rate") { Description = "sampling rate (Hz; default 50, with --das 500)" };
        var das = new Option<bool>("--das")
        {
            Description = "write a DAS acquisition instead: PRODML 2.x files of one minute, time × locus int16, with vehicles, events with " +
                "moveout, a noisy section and a dead channel (truth.csv per channel)",
        };
        var channels = new Option<int>("--channels") { Description = "with --das: number of channels (loci)", DefaultValueFactory = _ => 500 };
        var compressed = new Option<bool>("--compressed") { Description = "with --das: one-second chunks, shuffle + deflate (else contiguous)" };
        var seed = new Option<ulong>("--seed") { Description = "random seed (same seed, same bytes)", DefaultValueFactory = _ => 1 };
        var layout = new Option<string>("--layout") { Description = "asdf | generic", DefaultValueFactory = _ => "asdf" };
        var eventRate = new Option<double>("--event-rate")
        {
            Description = "multiplies every event rate (1: ~16 % of 40 s windows hold an event; 0.1: ~2 %, rare events)",
            DefaultValueFactory = _ => 1,
        };
        foreach (var o in new Option[] { outDir, stations, hours, rate, seed, layout, eventRate, das, channels, compressed }) command.Options.Add(o);
        command.SetAction(p =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var result = p.GetValue(das) ? SyntheticDas.Generate(p.GetValue(outDir)!, new DasSynthOptions
            {
                Channels = p.GetValue(channels),
                Minutes = 60 * (p.GetValue(hours) ?? 1.0 / 6),
                Rate = p.GetValue(rate) ?? 500,
                Seed = p.GetValue(seed),
                Compressed = p.GetValue(compressed),
                EventRate = p.GetValue(eventRate),
            }) : SyntheticArchive.Generate(p.GetValue(outDir)!, new SynthOptions
            {
                Stations = p.GetValue(stations),
                Hours = p.GetValue(hours) ?? 6,
                Rate = p.GetValue(rate) ?? 50,
                Seed = p.GetValue(seed),
                Layout = p.GetValue(layout)!,
                EventRate = p.GetValue(eventRate),
            });
            var o = p.InvocationConfiguration.Output;
            var bytes = result.Files.Sum(f => new FileInfo(f).Length);
            o.WriteLine($"wrote {Plural.Of(result.Files.Count, "file")}, {bytes / 1e6:0.0} MB, in {clock.Elapsed.TotalSeconds:0.0} s: " +
                $"{string.Join(", ", result.Files.Select(Path.GetFileName))}");
            var counts = result.Truth.GroupBy(t => t.Class).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}");
            o.WriteLine($"truth catalogue {result.TruthCsv}: {string.Join(", ", counts)} (rows per station)");
            return 0;
        });
        return command;
    }
}
