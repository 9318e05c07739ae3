using System.Diagnostics;
using Seiscat.Tests.Shared;

namespace Seiscat.Cli.Tests;

/// <summary>
/// A full disk, simulated with a 64 KiB tmpfs mounted in a private mount namespace (`unshare -rm`, no root needed
/// where user namespaces are allowed; plain `mount` as root otherwise): every output format must fail with exit 2 and
/// one line naming the output, and leave neither the output nor a temporary behind.
/// </summary>
[Collection("cli-native")]
public class DiskFullTests
{
    [Fact]
    public void A_full_disk_fails_every_output_cleanly()
    {
        using var dir = TestPaths.NewTempDir();
        var archive = CliHarness.SyntheticArchive(dir, hours: 1);
        Assert.Equal(0, CliHarness.Run("features", archive, "--config", dir.File("cfg.json"), "--fftw", "estimate", "--step", "2s", "--out", dir.File("f.h5")).Exit);
        Assert.Equal(0, CliHarness.Run("fit", dir.File("f.h5"), "--clusters", "3", "--out", dir.File("m.h5")).Exit);
        var full = dir.File("full");
        Directory.CreateDirectory(full);

        var cases = new (string Output, string[] Args)[]
        {
            ("f.h5", ["features", archive, "--config", dir.File("cfg.json"), "--fftw", "estimate", "--step", "2s", "--out", Path.Combine(full, "f.h5")]),
            ("w.csv", ["predict", dir.File("m.h5"), dir.File("f.h5"), "--out", Path.Combine(full, "w.csv")]),
            ("w.parquet", ["predict", dir.File("m.h5"), dir.File("f.h5"), "--out", Path.Combine(full, "w.parquet")]),
            ("w.h5", ["predict", dir.File("m.h5"), dir.File("f.h5"), "--out", Path.Combine(full, "w.h5")]),
        };
        foreach (var (output, args) in cases)
        {
            var (exit, stderr, listing) = RunOnFullDisk(full, args);
            var errors = stderr.Split('\n').Where(l => l.StartsWith("seiscat:", StringComparison.Ordinal)).ToList();
            Assert.True(exit == 2, $"{output}: exit {exit}, stderr: {stderr}");
            var line = Assert.Single(errors);
            Assert.Contains(Path.Combine(full, output), line);
            Assert.Contains("no space left on device", line);
            Assert.DoesNotContain(".tmp-", line);
            Assert.True(listing.Trim().Length == 0, $"{output}: the full disk still holds: {listing}");
        }
    }

    /// <summary>
    /// The file-size limit (ulimit -f, common on clusters): SIGXFSZ would kill the process and leave the temporary, so
    /// seiscat ignores it and the write fails with EFBIG, reported like a full disk. 16 KiB is too small for .NET's own
    /// W^X double mapping at start-up, hence DOTNET_EnableWriteXorExecute=0 (realistic limits do not need it).
    /// </summary>
    [Fact]
    public void A_file_size_limit_fails_every_output_cleanly()
    {
        using var dir = TestPaths.NewTempDir();
        var archive = CliHarness.SyntheticArchive(dir, hours: 1);
        Assert.Equal(0, CliHarness.Run("features", archive, "--config", dir.File("cfg.json"), "--fftw", "estimate", "--step", "2s", "--out", dir.File("f.h5")).Exit);
        Assert.Equal(0, CliHarness.Run("fit", dir.File("f.h5"), "--clusters", "3", "--out", dir.File("m.h5")).Exit);
        var limited = dir.File("limited");
        Directory.CreateDirectory(limited);
        var cases = new (string Output, string[] Args)[]
        {
            ("f.h5", ["features", archive, "--config", dir.File("cfg.json"), "--fftw", "estimate", "--step", "2s", "--out", Path.Combine(limited, "f.h5")]),
            ("w.csv", ["predict", dir.File("m.h5"), dir.File("f.h5"), "--out", Path.Combine(limited, "w.csv")]),
            ("w.parquet", ["predict", dir.File("m.h5"), dir.File("f.h5"), "--out", Path.Combine(limited, "w.parquet")]),
            ("w.h5", ["predict", dir.File("m.h5"), dir.File("f.h5"), "--out", Path.Combine(limited, "w.h5")]),
        };
        foreach (var (output, args) in cases)
        {
            var (exit, stderr) = RunWithFileSizeLimit(16, args);
            var errors = stderr.Split('\n').Where(l => l.StartsWith("seiscat:", StringComparison.Ordinal)).ToList();
            Assert.True(exit == 2, $"{output}: exit {exit} (153 = killed by SIGXFSZ), stderr: {stderr}");
            var line = Assert.Single(errors);
            Assert.Contains(Path.Combine(limited, output), line);
            Assert.Contains("file too large", line);
            Assert.Empty(Directory.GetFileSystemEntries(limited));
        }
    }

    private static (int Exit, string Stderr) RunWithFileSizeLimit(int kib, string[] args)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["DOTNET_EnableWriteXorExecute"] = "0";
        foreach (var a in new[] { "-c", $"ulimit -f {kib} && exec dotnet \"$@\"", "bash", typeof(Program).Assembly.Location }.Concat(args))
            info.ArgumentList.Add(a);
        using var child = Process.Start(info)!;
        var stderr = child.StandardError.ReadToEndAsync();
        child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        return (child.ExitCode, stderr.Result);
    }

    /// <summary>Runs the CLI with a tiny tmpfs over <paramref name="mountPoint"/>; returns exit code, stderr and what was
    /// left on the tmpfs afterwards (listed from inside the namespace, which disappears with it).</summary>
    private static (int Exit, string Stderr, string Listing) RunOnFullDisk(string mountPoint, string[] args)
    {
        var cli = typeof(Program).Assembly.Location;
        const string script = """
            mp=$1; shift
            mount -t tmpfs -o size=64k tmpfs "$mp" || exit 97
            dotnet "$@"; rc=$?
            ls -A "$mp" > "$mp.listing"
            exit $rc
            """;
        foreach (var wrapper in new[] { new[] { "unshare", "-rm", "sh", "-c", script }, ["unshare", "-m", "sh", "-c", script] })
        {
            var info = new ProcessStartInfo(wrapper[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in wrapper.Skip(1)) info.ArgumentList.Add(a);
            info.ArgumentList.Add("sh");
            info.ArgumentList.Add(mountPoint);
            info.ArgumentList.Add(cli);
            foreach (var a in args) info.ArgumentList.Add(a);
            Process child;
            try { child = Process.Start(info)!; }
            catch (System.ComponentModel.Win32Exception) { continue; } // no unshare(1)
            using (child)
            {
                var stderr = child.StandardError.ReadToEndAsync();
                child.StandardOutput.ReadToEnd();
                child.WaitForExit();
                if (child.ExitCode == 97 || (child.ExitCode == 1 && stderr.Result.Contains("unshare", StringComparison.Ordinal))) continue;
                var listing = File.Exists(mountPoint + ".listing") ? File.ReadAllText(mountPoint + ".listing") : "(no listing)";
                File.Delete(mountPoint + ".listing");
                return (child.ExitCode, stderr.Result, listing);
            }
        }
        Assert.Fail("cannot mount a tmpfs to simulate a full disk: needs unshare(1) with user namespaces, or root");
        return default;
    }
}
