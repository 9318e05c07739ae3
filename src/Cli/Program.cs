using System.CommandLine;
using Seiscat.Cli.Commands;

namespace Seiscat.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        Seiscat.Native.Posix.FileSizeLimit.FailWritesInsteadOfDying();
        return Run(args, Console.Out, Console.Error);
    }

    /// <summary>Entry point shared by Main and the CLI tests (which run it in-process).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("seiscat: find and cluster the signals in continuous seismic records (scattering network + Gaussian mixture).");
        foreach (var command in CommandCatalog.All())
            root.Subcommands.Add(command);

        var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        Seiscat.Engine.Common.Hdf5Vetting.Launcher ??= VetCommand.Launcher;
        try
        {
            return root.Parse(args).Invoke(config);
        }
        catch (Exception e) when (CliErrors.IsUserError(e))
        {
            stderr.WriteLine("seiscat: error: " + CliErrors.OneLine(e));
            if (Environment.GetEnvironmentVariable("SEISCAT_DEBUG") == "1")
                stderr.WriteLine(e.ToString());
            return CliErrors.UserErrorExitCode;
        }
        catch (Exception e)
        {
            // A bug, not bad input: still one line, but say where to look.
            stderr.WriteLine($"seiscat: internal error: {e.GetType().Name}: {CliErrors.OneLine(e)} (set SEISCAT_DEBUG=1 for the stack trace)");
            if (Environment.GetEnvironmentVariable("SEISCAT_DEBUG") == "1")
                stderr.WriteLine(e.ToString());
            return CliErrors.InternalErrorExitCode;
        }
    }
}
