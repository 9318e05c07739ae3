using System.CommandLine;
using Seiscat.Engine.Common;
using Seiscat.Native.Hdf5;

namespace Seiscat.Cli.Commands;

/// <summary>
/// `seiscat vet FILE…` (hidden): the child process <see cref="Hdf5Vetting"/> runs before a command reads an HDF5 file,
/// so that a libhdf5 crash on corrupted metadata kills this child, not the command. Exit 0: walked; 2: refused safely.
/// </summary>
internal static class VetCommand
{
    public static Command Create()
    {
        var command = new Command("vet", "Walk every HDF5 object's metadata (run in a child process before a command reads the file).") { Hidden = true };
        var files = new Argument<string[]>("files") { Arity = ArgumentArity.OneOrMore };
        command.Arguments.Add(files);
        command.SetAction(p =>
        {
            foreach (var f in p.GetValue(files)!)
            {
                try { Hdf5Vetting.Walk(f); }
                catch (Hdf5Exception e) { p.InvocationConfiguration.Error.WriteLine($"seiscat: vet: {f}: {e.Message}"); return 2; }
            }
            return 0;
        });
        return command;
    }

    /// <summary>How this process starts another seiscat: the published executable, or `dotnet seiscat.dll` (also from tests
    /// that run the CLI in-process).</summary>
    public static System.Diagnostics.ProcessStartInfo Launcher(IReadOnlyList<string> files)
    {
        // The seiscat executable itself (apphost, self-contained or Native AOT, where no seiscat.dll exists), else the
        // assembly through `dotnet` (a test host, `dotnet seiscat.dll`).
        var info = Environment.ProcessPath is { } path && Path.GetFileName(path) == "seiscat"
            ? new System.Diagnostics.ProcessStartInfo(path)
            : new System.Diagnostics.ProcessStartInfo("dotnet") { ArgumentList = { Path.Combine(AppContext.BaseDirectory, "seiscat.dll") } };
        info.ArgumentList.Add("vet");
        foreach (var f in files) info.ArgumentList.Add(f);
        return info;
    }
}
