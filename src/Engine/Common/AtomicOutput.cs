namespace Seiscat.Engine.Common;

/// <summary>
/// An output file written under a temporary name in the same directory and renamed into place only by
/// <see cref="Commit"/>, so a killed or failed run never leaves a file that looks complete. Dispose without
/// Commit deletes the temporary file.
/// </summary>
public sealed class AtomicOutput : IDisposable
{
    public string FinalPath { get; }
    public string TempPath { get; }
    private bool _committed;

    public AtomicOutput(string finalPath)
    {
        FinalPath = Path.GetFullPath(finalPath);
        var dir = Path.GetDirectoryName(FinalPath)!;
        if (!Directory.Exists(dir))
            throw SeiscatException.For(finalPath, null, $"the output directory {dir} does not exist", $"create it or choose another {Setting.Output.Ref()}");
        RemoveStale(dir, Path.GetFileName(FinalPath));
        TempPath = Path.Combine(dir, $".{Path.GetFileName(FinalPath)}.tmp-{Host}-{Environment.ProcessId}-{Guid.NewGuid():N}"[..^24]);
        try
        {
            using (File.Create(TempPath)) { }
            File.Delete(TempPath);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw SeiscatException.For(finalPath, null, $"the output directory {dir} is not writable ({e.GetType().Name})",
                $"choose another {Setting.Output.Ref()} or fix its permissions", e);
        }
    }

    private static readonly string Host = string.Concat(Environment.MachineName.Where(char.IsAsciiLetterOrDigit).Take(32));

    /// <summary>
    /// Deletes temporaries of this output left by killed runs on this host (their process is gone). Other hosts'
    /// temporaries are left alone: on a shared file system their writer may still be alive.
    /// </summary>
    private static void RemoveStale(string dir, string name) => RemoveStaleTemporaries(dir, name);

    /// <summary>Deletes temporaries in <paramref name="dir"/> (of output <paramref name="name"/>, or of any output when
    /// null) whose writer on this host is gone; returns their paths.</summary>
    public static IReadOnlyList<string> RemoveStaleTemporaries(string dir, string? name = null)
    {
        var removed = new List<string>();
        var pattern = name is null ? ".*.tmp-" + Host + "-*" : $".{name}.tmp-{Host}-*";
        var marker = $".tmp-{Host}-";
        foreach (var f in Directory.EnumerateFiles(dir, pattern))
        {
            var file = Path.GetFileName(f);
            var rest = file[(file.LastIndexOf(marker, StringComparison.Ordinal) + marker.Length)..];
            if (rest.IndexOf('-') is > 0 and var dash && int.TryParse(rest[..dash], out var pid) && pid != Environment.ProcessId
                && !Directory.Exists($"/proc/{pid}"))
            {
                try
                {
                    File.Delete(f);
                    removed.Add(f);
                }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
        }
        return removed;
    }

    /// <summary>Flushes the temporary file to disk and renames it over the final path.</summary>
    public void Commit()
    {
        using (var fs = new FileStream(TempPath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite))
            fs.Flush(flushToDisk: true);
        File.Move(TempPath, FinalPath, overwrite: true);
        _committed = true;
    }

    public void Dispose()
    {
        if (!_committed)
        {
            try { File.Delete(TempPath); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            lock (Abandoned) if (!Abandoned.Contains(FinalPath)) Abandoned.Add(FinalPath);
        }
    }

    private static readonly List<string> Abandoned = [];

    /// <summary>
    /// Outputs this process gave up on (disposed without <see cref="Commit"/>), in order: some failures (EFBIG from
    /// .NET's FileStream) do not say which file they concern, and the one-line error must still name it.
    /// </summary>
    public static IReadOnlyList<string> AbandonedOutputs
    {
        get { lock (Abandoned) return Abandoned.ToArray(); }
    }
}
