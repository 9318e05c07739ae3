using System.CommandLine;
using System.Globalization;
using Seiscat.Engine;
using Seiscat.Engine.Pipeline;

namespace Seiscat.Cli.Commands;

internal static class FeaturesCommand
{
    public static Command Create()
    {
        var command = new Command("features",
            "Stream an archive through preprocessing and the scattering network into features.h5 (one row per window and station).");
        var options = new FeaturesOptionSet();
        options.AddTo(command);
        var output = new Option<string>("--out") { Description = "output features.h5", Required = true };
        command.Options.Add(output);
        command.SetAction(p =>
        {
            var warnings = new List<string>();
            var r = FeaturesJob.Run(options.Read(p), p.GetValue(output)!, warnings, new ProgressLine(p.InvocationConfiguration.Error, "features", "windows"));
            foreach (var w in warnings) p.InvocationConfiguration.Error.WriteLine("seiscat: warning: " + CliSettings.Render(w));
            p.InvocationConfiguration.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {p.GetValue(output)}: {r.Windows} windows × {r.Features} features from {Plural.Of(r.Stations, r.UnitNoun)} in {r.Seconds:0.0} s " +
                    $"({r.Windows / Math.Max(r.Seconds, 1e-9):0} windows/s); {r.Preprocess}"));
            return 0;
        });
        return command;
    }
}
