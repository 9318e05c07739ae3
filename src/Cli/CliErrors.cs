using Seiscat.Engine;
using Seiscat.Engine.Common;
using Seiscat.Engine.Common.Parts;

namespace Seiscat.Cli;

internal static class CliErrors
{
    public const int UserErrorExitCode = 2;
    public const int InternalErrorExitCode = 70; // EX_SOFTWARE

    // Hdf5Exception and InvalidDataException carry the file (and dataset) they concern: an HDF5 failure or a
    // malformed stream that escapes the engine's own checks is still a problem with the input, not a bug.
    public static bool IsUserError(Exception e) => e is SeiscatException or Seiscat.Native.Hdf5.Hdf5Exception or InvalidDataException
        || e is FileNotFoundException || e is DirectoryNotFoundException || e is UnauthorizedAccessException
        || OutOfSpace(e) is not null
        || (e is AggregateException agg && agg.InnerExceptions.Count > 0 && agg.InnerExceptions.All(IsUserError));

    public static string OneLine(Exception e)
    {
        if (e is AggregateException agg && agg.InnerExceptions.Count > 0)
            e = agg.InnerExceptions[0];
        var text = OutOfSpace(e) ?? (e is SeiscatException se ? se.Render(CliSettings.Flag) : e.Message);
        return text.ReplaceLineEndings(" ").Trim() + KeptParts(e);
    }

    // A failed checkpointed run that kept its finished parts says where they are and what to do with them.
    private static string KeptParts(Exception e)
    {
        if (e.Data[PartedOutput.KeptPartsKey] is not string folder) return "";
        var output = folder[..folder.LastIndexOf(PartedOutput.FolderInfix, StringComparison.Ordinal)];
        var parts = Directory.Exists(folder) ? Directory.GetFiles(folder, "part-*.h5").Length : 0;
        return $"; {Plural.Of(parts, "finished checkpoint part")} {(parts == 1 ? "is" : "are")} kept in {folder}: " +
            $"the same command resumes from {(parts == 1 ? "it" : "them")} (seiscat clean {output} removes {(parts == 1 ? "it" : "them")})";
    }

    private static readonly System.Text.RegularExpressions.Regex QuotedPath = new(@"'(/[^']+)'", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
    private static readonly System.Text.RegularExpressions.Regex TempName = new(@"/\.([^/]+)\.tmp-(?:[A-Za-z0-9]*-)?\d+-[0-9a-f]+$",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>
    /// A full disk (ENOSPC), a quota (EDQUOT) or a file-size limit (EFBIG), from .NET or from HDF5's error stack, as one
    /// line naming the output (not its temporary name): outputs are written under a temporary name that is deleted on
    /// failure, so nothing half-written is left behind.
    /// </summary>
    private const string FileTooLarge = "file too large for the file-size limit (ulimit -f, or the file system's largest file)";

    private static string? OutOfSpace(Exception e)
    {
        string? why = null;
        if (e is IOException io) why = io.HResult switch { 28 => "no space left on device", 122 => "disk quota exceeded", 27 => FileTooLarge, _ => null };
        else if (e is Seiscat.Native.Hdf5.Hdf5Exception h)
            why = h.Message.Contains("errno = 28", StringComparison.Ordinal) ? "no space left on device"
                : h.Message.Contains("errno = 122", StringComparison.Ordinal) ? "disk quota exceeded"
                : h.Message.Contains("errno = 27", StringComparison.Ordinal) ? FileTooLarge : null;
        // .NET reports EFBIG (ulimit -f, or the file system's largest file) without the file's name.
        if (why is null && e is ArgumentOutOfRangeException && e.Message.Contains("too large for the file system", StringComparison.Ordinal))
            why = FileTooLarge;
        if (why is null) return null;
        var raw = e is Seiscat.Native.Hdf5.Hdf5Exception { FilePath: { } fp } ? fp
            : QuotedPath.Match(e.Message) is { Success: true } m ? m.Groups[1].Value : null;
        // Without a name in the error, the outputs abandoned on the way out are the ones that were being written.
        var path = raw is not null ? TempName.Replace(Path.GetFullPath(raw), "/$1")
            : AtomicOutput.AbandonedOutputs is { Count: > 0 } gone ? string.Join(" / ", gone) : "an output";
        return $"cannot write {path}: {why}; nothing was left under that name. Free space (or raise the limit) and rerun";
    }
}
