using System.CommandLine;
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
        var config = new Option<string>("--config") { Description = "scattering configuration (JSON, scatseisnet names)", Required = true };
        var output = new Option<string>("--out") { Description = "output .h5", Required = true };
        var threads = ThreadsOption.Create();
        foreach (var o in new Option[] { segments, config, output, threads }) command.Options.Add(o);
        command.SetAction(p =>
        {
            var (file, dataset) = Seiscat.Engine.Io.DatasetPath.Split(p.GetValue(segments)!, "--segments");
            var warnings = new List<string>();
            var cfg = ScatteringConfig.Load(p.GetValue(config)!, warnings);
            foreach (var w in warnings) p.InvocationConfiguration.Error.WriteLine("seiscat: warning: " + CliSettings.Render(w));
            var n = SegmentScattering.Run(file, dataset, cfg, p.GetValue(output)!, ThreadsOption.Read(p, threads),
                new ProgressLine(p.InvocationConfiguration.Error, "scatter", "windows"));
            p.InvocationConfiguration.Output.WriteLine($"wrote {p.GetValue(output)}: {n} windows");
            return 0;
        });
        return command;
    }
}
