using System.Diagnostics;
using Seiscat.Tests.Shared;

namespace Seiscat.Cli.Tests;

/// <summary>Runs the CLI in-process, or as a child process where the process itself matters, and captures what it prints.</summary>
internal static class CliHarness
{
    /// <summary>
    /// `dotnet seiscat.dll ARGS` as a child process (its own thread count, environment, limits), optionally behind a
    /// <paramref name="wrapper"/> command that ends by running its trailing arguments (e.g. bash -c '… exec "$@"' bash).
    /// Both streams are read concurrently so a chatty child cannot block on a full pipe. Throws Win32Exception when
    /// the wrapper's program does not exist.
    /// </summary>
    public static (int Exit, string Out, string Err) RunChild(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null,
        IReadOnlyList<string>? wrapper = null)
    {
        var command = (wrapper ?? []).Concat(["dotnet", typeof(Program).Assembly.Location]).Concat(args).ToList();
        var info = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in command.Skip(1)) info.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        using var child = Process.Start(info)!;
        var err = child.StandardError.ReadToEndAsync();
        var output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        return (child.ExitCode, output, err.Result);
    }

    /// <summary>`bash -c COMMAND` with stderr folded into the output, in an environment that adds <paramref name="environment"/>.</summary>
    public static (int Exit, string Output) Shell(string command, IReadOnlyDictionary<string, string> environment, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(command + " 2>&1");
        if (workingDirectory is not null) info.WorkingDirectory = workingDirectory;
        foreach (var (k, v) in environment) info.Environment[k] = v;
        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output);
    }

    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = Program.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    /// <summary>
    /// `synth` at 20 Hz into DIR/a, plus DIR/cfg.json: a small two-layer median-pooled bank for 20 s windows at 20 Hz
    /// (fast enough for tests that run the whole pipeline several times).
    /// </summary>
    public static string SyntheticArchive(TestPaths.TempDir dir, double hours, int stations = 2)
    {
        var archive = dir.File("a");
        var (exit, _, err) = Run("synth", "--out", archive, "--hours", hours.ToString(System.Globalization.CultureInfo.InvariantCulture), "--rate",
            "20", "--stations", stations.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (exit != 0) throw new InvalidOperationException("synth failed: " + err);
        File.WriteAllText(dir.File("cfg.json"),
            """
                {"sampling_rate": 20, "bins": 400, "layers": [{"octaves": 5, "resolution": 2, "quality": 2},
                {"octaves": 5, "resolution": 1, "quality": 2}], "pooling": "median"}
                """);
        return archive;
    }
}
