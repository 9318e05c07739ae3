using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Common;

/// <summary>
/// libhdf5 trusts a file's metadata: a corrupted global heap or B-tree can make it read out of bounds and kill the
/// process (found by fuzzing: a flipped byte in a variable-length string's heap entry segfaults inside H5Aread), and
/// no exception handler turns that into the one-line refusal every bad input deserves. So every HDF5 file a command is
/// given is first walked in a child process (`seiscat vet FILE`, <see cref="Walk"/>: every attribute, string dataset
/// and chunk index, read the way the commands read them); a child that dies marks the file corrupt. Files that passed
/// are remembered by path, size and modification time in ~/.cache/seiscat/vetted (one line each), so the cost —
/// about 0.3 s per file, files in parallel — is paid once per file. <c>SEISCAT_VET=off</c> skips it for trusted data.
/// </summary>
public static class Hdf5Vetting
{
    /// <summary>How to start `seiscat vet FILE…`; set by the front end (null: no vetting, e.g. library use).</summary>
    public static Func<IReadOnlyList<string>, ProcessStartInfo>? Launcher { get; set; }

    public static TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    private static readonly ConcurrentDictionary<string, bool> Vetted = new(StringComparer.Ordinal);
    private static readonly Lazy<string?> CachePath = new(LoadCache);
    private static readonly object CacheGate = new();

    /// <summary>Refuses (one line, naming the file) any of <paramref name="files"/> whose metadata crashes libhdf5.</summary>
    public static void Ensure(IEnumerable<string> files)
    {
        if (Launcher is not { } launcher || string.Equals(Environment.GetEnvironmentVariable("SEISCAT_VET"), "off", StringComparison.OrdinalIgnoreCase))
            return;
        _ = CachePath.Value;
        var todo = files.Where(File.Exists).Select(Path.GetFullPath).Distinct().Where(f => !Vetted.ContainsKey(Key(f))).ToList();
        if (todo.Count == 0) return;
        var failures = new ConcurrentBag<SeiscatException>();
        Parallel.ForEach(todo, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) }, file =>
        {
            var problem = RunChild(launcher, file);
            if (problem is null) Remember(file);
            else failures.Add(SeiscatException.InInput(file, null, problem, "the file is corrupt; re-copy it or exclude it"));
        });
        if (!failures.IsEmpty) throw failures.OrderBy(e => e.Message, StringComparer.Ordinal).First();
    }

    private static string? RunChild(Func<IReadOnlyList<string>, ProcessStartInfo> launcher, string file)
    {
        var info = launcher([file]);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        // A traced command (dotnet-trace sets the diagnostic port in its environment) must not hand the port to its
        // vetting children: they would connect to the same session and leave the trace unreadable.
        info.Environment.Remove("DOTNET_DiagnosticPorts");
        using var child = Process.Start(info) ?? throw new InvalidOperationException("could not start the vetting process");
        var err = child.StandardError.ReadToEndAsync();
        child.StandardOutput.ReadToEnd();
        if (!child.WaitForExit(Timeout))
        {
            child.Kill(entireProcessTree: true);
            return $"reading its HDF5 metadata did not finish within {Timeout.TotalMinutes:0} min (a corrupted index can make libhdf5 loop)";
        }
        // 0: walked. 2: libhdf5 refused part of the metadata. Such a file is refused here, whatever the part: a read that
        // libhdf5 refuses cleanly in the child can crash it when the command reaches the same structure another way
        // (fuzz campaign: a damaged global heap refused by one attribute read, segfaulting on the command's next).
        return child.ExitCode switch
        {
            0 => null,
            2 => "its HDF5 metadata is damaged (" + Damage(err.Result) + ")",
            > 128 => $"reading its HDF5 metadata crashed libhdf5 (signal {child.ExitCode - 128})",
            var code => $"reading its HDF5 metadata failed (exit {code}: {err.Result.Trim().ReplaceLineEndings(" ")})",
        };
    }

    // The innermost cause libhdf5 gave, from the child's one line ("… <- cause <- … <- innermost (detail)").
    private static string Damage(string err)
    {
        var line = err.Trim().ReplaceLineEndings(" ");
        var last = line.LastIndexOf(" <- ", StringComparison.Ordinal);
        return last >= 0 ? line[(last + 4)..] : line.Length > 200 ? line[..200] : line;
    }

    /// <summary>
    /// The child's work: opens the file and reads what any command may read — every group and dataset, every attribute
    /// (strings included), every 1-D string dataset, and every chunk's index entry. Returns how many objects it visited.
    /// Throws <see cref="Hdf5Exception"/> when libhdf5 refuses something (which is safe: the child survived).
    /// </summary>
    public static int Walk(string file)
    {
        using var f = H5File.OpenRead(file);
        var visited = 1;
        Attributes(f);
        // Each object once, by its hard links: soft links, second hard links and cycles back to a parent are aliases
        // of objects visited anyway, and an external link's target file is vetted when it is itself an input.
        foreach (var entry in H5Tree.Walk(f, MaxDepth).Where(e => e.Link == H5LinkKind.Hard))
        {
            if (++visited > MaxObjects) break;
            switch (entry.Kind)
            {
                case H5ObjectKind.Group:
                    {
                        using var group = f.OpenGroup(entry.Path);
                        Attributes(group);
                        break;
                    }
                case H5ObjectKind.Dataset:
                    {
                        using var ds = f.OpenDataset(entry.Path);
                        Attributes(ds);
                        if (ds.Type.Class == H5TypeClass.String && ds.Rank == 1 && ds.Dims[0] <= 1_000_000) ds.ReadStrings();
                        if (ds.Layout == H5Layout.Chunked && ds.ChunkCount <= H5Dataset.ChunkInfoWalkLimit)
                            for (long i = 0, n = ds.ChunkCount; i < n; i++) ds.GetChunkInfo(i);
                        else if (ds.Layout == H5Layout.Chunked)
                            foreach (var offset in ds.ChunkCoordinates().Take(10_000_000)) ds.ChunkStorageSize(offset); // index lookups: n log n
                        break;
                    }
            }
        }
        return visited;
    }

    private const int MaxObjects = 200_000;
    private const int MaxDepth = 32;

    private static void Attributes(H5Object o)
    {
        foreach (var name in o.AttributeNames())
        {
            var type = o.AttributeType(name);
            if (type.Class == H5TypeClass.String) o.ReadStringAttribute(name);
            else if (type.Class is H5TypeClass.Integer or H5TypeClass.Float) o.ReadAttribute<double>(name);
        }
    }

    private static string Key(string fullPath)
    {
        var info = new FileInfo(fullPath);
        return string.Create(CultureInfo.InvariantCulture, $"{fullPath}\t{info.Length}\t{info.LastWriteTimeUtc.Ticks}");
    }

    private static void Remember(string file)
    {
        var key = Key(file);
        if (!Vetted.TryAdd(key, true) || CachePath.Value is not { } cache) return;
        lock (CacheGate)
        {
            // Best effort: a full disk or a file-size limit (EFBIG arrives as ArgumentOutOfRangeException) must not fail
            // the command, which would then blame its own output.
            try { File.AppendAllText(cache, key + "\n"); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException) { }
        }
    }

    // ~/.cache/seiscat/vetted ($XDG_CACHE_HOME honoured); unreadable or unwritable: vet in memory only.
    private static string? LoadCache()
    {
        try
        {
            var home = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            var dir = Path.Combine(home, "seiscat");
            Directory.CreateDirectory(dir);
            var path = Path.Combine(dir, "vetted");
            if (File.Exists(path))
            {
                var lines = File.ReadAllLines(path);
                if (lines.Length > 200_000) { File.Delete(path); return path; } // keep it small: start over
                foreach (var line in lines) Vetted.TryAdd(line, true);
            }
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }
}
