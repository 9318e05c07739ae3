using System.CommandLine;
using System.Reflection;

namespace Seiscat.Cli.Commands;

internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print seiscat's version.");
        command.SetAction(parse =>
        {
            var v = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?";
            parse.InvocationConfiguration.Output.WriteLine($"seiscat {v}");
            return 0;
        });
        return command;
    }
}
