using Seiscat.Tests.Shared;

namespace Seiscat.Cli.Tests;

/// <summary>
/// A full disk, simulated with a 64 KiB tmpfs mounted in a private mount namespace (`unshare -rm`, no root needed
/// where user namespaces are allowed; plain `mount` as root otherwise), and a file-size limit: every output format must
/// fail with exit 2 and one line naming the output, and leave neither the output nor a temporary behind.
/// </summary>
[Collection("cli-native")]
public class DiskFullTests
{
    [Fact]
    public void A_full_disk_fails_every_output_cleanly() => EveryOutputFailsCleanly("full", "no space left on device", RunOnFullDisk);

    /// <summary>
    /// The file-size limit (ulimit -f, common on clusters): SIGXFSZ would kill the process and leave the temporary, so
    /// seiscat ignores it and the write fails with EFBIG, reported like a full disk. 16 KiB is too small for .NET's own
    /// W^X double mapping at start-up, hence DOTNET_EnableWriteXorExecute=0 (realistic limits do not need it).
    /// </summary>
    [Fact]
    public void A_file_size_limit_fails_every_output_cleanly() => EveryOutputFailsCleanly("limited", "file too large", (folder, args) =>
    {
        var (exit, _, err) = CliHarness.RunChild(args, new Dictionary<string, string> { ["DOTNET_EnableWriteXorExecute"] = "0" },
            ["bash", "-c", "ulimit -f 16 && exec \"$@\"", "bash"]);
        return (exit, err, string.Join(" ", Directory.GetFileSystemEntries(folder)));
    });

    /// <summary>
    /// Features, then predict to each format, written into DIR/<paramref name="folder"/> by <paramref name="run"/> (which
    /// returns exit code, stderr and what the folder holds afterwards): each must fail with exit 2 and one line naming
    /// the output and <paramref name="reason"/>, not its temporary, and leave the folder empty.
    /// </summary>
    private static void EveryOutputFailsCleanly(string folder, string reason, Func<string, string[], (int Exit, string Stderr, string Listing)> run)
    {
        using var dir = TestPaths.NewTempDir();
        var archive = CliHarness.SyntheticArchive(dir, hours: 1);
        Assert.Equal(0, CliHarness.Run("features", archive, "--config", dir.File("cfg.json"), "--fftw", "estimate", "--step", "2s", "--out",
            dir.File("f.h5")).Exit);
        Assert.Equal(0, CliHarness.Run("fit", dir.File("f.h5"), "--clusters", "3", "--out", dir.File("m.h5")).Exit);
        var target = dir.File(folder);
        Directory.CreateDirectory(target);
        var cases = new (string Output, string[] Args)[]
        {
            ("f.h5", ["features", archive, "--config", dir.File("cfg.json"), "--fftw", "estimate", "--step", "2s", "--out", Path.Combine(target, "f.h5")]),
            ("w.csv", ["predict", dir.File("m.h5"), dir.File("f.h5"), "--out", Path.Combine(target, "w.csv")]),
            ("w.parquet", ["predict", dir.File("m.h5"), dir.File("f.h5"), "--out", Path.Combine(target, "w.parquet")]),
            ("w.h5", ["predict", dir.File("m.h5"), dir.File("f.h5"), "--out", Path.Combine(target, "w.h5")]),
        };
        foreach (var (output, args) in cases)
        {
            var (exit, stderr, listing) = run(target, args);
            var errors = stderr.Split('\n').Where(l => l.StartsWith("seiscat:", StringComparison.Ordinal)).ToList();
            Assert.True(exit == 2, $"{output}: exit {exit} (153 = killed by SIGXFSZ), stderr: {stderr}");
            var line = Assert.Single(errors);
            Assert.Contains(Path.Combine(target, output), line);
            Assert.Contains(reason, line);
            Assert.DoesNotContain(".tmp-", line);
            Assert.True(listing.Trim().Length == 0, $"{output}: {target} still holds: {listing}");
        }
    }

    /// <summary>Runs the CLI with a tiny tmpfs over <paramref name="mountPoint"/>; returns exit code, stderr and what was
    /// left on the tmpfs afterwards (listed from inside the namespace, which disappears with it).</summary>
    private static (int Exit, string Stderr, string Listing) RunOnFullDisk(string mountPoint, string[] args)
    {
        const string script = """
            mp=$1; shift
            mount -t tmpfs -o size=64k tmpfs "$mp" || exit 97
            "$@"; rc=$?
            ls -A "$mp" > "$mp.listing"
            exit $rc
            """;
        foreach (var unshare in new[] { new[] { "unshare", "-rm" }, ["unshare", "-m"] })
        {
            int exit;
            string err;
            try { (exit, _, err) = CliHarness.RunChild(args, wrapper: [.. unshare, "sh", "-c", script, "sh", mountPoint]); }
            catch (System.ComponentModel.Win32Exception) { continue; } // no unshare(1)
            if (exit == 97 || (exit == 1 && err.Contains("unshare", StringComparison.Ordinal))) continue;
            var listing = File.Exists(mountPoint + ".listing") ? File.ReadAllText(mountPoint + ".listing") : "(no listing)";
            File.Delete(mountPoint + ".listing");
            return (exit, err, listing);
        }
        Assert.Fail("cannot mount a tmpfs to simulate a full disk: needs unshare(1) with user namespaces, or root");
        return default;
    }
}
