namespace Seiscat.Native.Posix;

/// <summary>
/// A write past the file-size limit (ulimit -f, common on shared clusters) raises SIGXFSZ, whose default action kills
/// the process on the spot: no one-line error, and the output's temporary is left for the next run to sweep. Ignored,
/// the write fails with EFBIG instead and surfaces as an ordinary IOException the caller can report and clean up.
/// </summary>
public static class FileSizeLimit
{
    /// <summary>Makes writes past the limit fail with EFBIG instead of killing the process. Idempotent; Linux only.</summary>
    public static void FailWritesInsteadOfDying()
    {
        if (OperatingSystem.IsLinux()) Interop.signal(Interop.SIGXFSZ, Interop.SIG_IGN);
    }
}
