using System.CommandLine;
using Seiscat.Engine;
using Seiscat.Engine.Pipeline;
using Seiscat.Engine.Scattering;

namespace Seiscat.Cli.Commands;

internal static class ScatterCommand
{
    public static Command Create()
    {
        var command = new Command("scatter",
            "Scattering coefficients of pre-cut windows (an (n, channels, samples) or (n, samples) array), written like scatseisnet's outputs.");
        var segments = new Option<string>("--segments") { Description = "FILE.h5:/path of the windows", Required = true };
        var config = new Option<string?>("--config")
        {
            Description = "scattering configuration (JSON, scatseisnet names), or the paper network's (\"network\": \"paper\")"
        };
        var bank = new Option<string?>("--bank") { Description = "a learned bank (bank.h5 from `seiscat learn`) instead of --config" };
        var output = new Option<string>("--out") { Description = "output .h5", Required = true };
        var threads = ThreadsOption.Create();
        foreach (var o in new Option[] { segments, config, bank, output, threads }) command.Options.Add(o);
        command.SetAction(p =>
        {
            var (file, dataset) = Seiscat.Engine.Io.DatasetPath.Split(p.GetValue(segments)!, "--segments");
            var warnings = new List<string>();
            var progress = new ProgressLine(p.InvocationConfiguration.Error, "scatter", "windows");
            var (configPath, bankPath) = (p.GetValue(config), p.GetValue(bank));
            if ((configPath is null) == (bankPath is null)) throw new SeiscatException("pass --config (a JSON configuration) or --bank (a learned bank)");
            var network = NetworkConfigs.Load(configPath, bankPath, warnings)!;
            var n = ScatterJob.Run(file, dataset, network, p.GetValue(output)!, ThreadsOption.Read(p, threads), progress);
            foreach (var w in warnings) p.InvocationConfiguration.Error.WriteLine("seiscat: warning: " + CliSettings.Render(w));
            p.InvocationConfiguration.Output.WriteLine($"wrote {p.GetValue(output)}: {n} windows");
            return 0;
        });
        return command;
    }
}
