using Seiscat.Engine;

namespace Seiscat.Cli;

internal static class CliErrors
{
    public const int UserErrorExitCode = 2;
    public const int InternalErrorExitCode = 70; // EX_SOFTWARE

    // Hdf5Exception and InvalidDataException carry the file (and dataset) they concern: an HDF5 failure or a
    // malformed stream that escapes the engine's own checks is still a problem with the input, not a bug.
    public static bool IsUserError(Exception e) => e is SeiscatException or Seiscat.Native.Hdf5.Hdf5Exception or InvalidDataException
        || e is FileNotFoundException || e is DirectoryNotFoundException || e is UnauthorizedAccessException
        || (e is IOException io && io.HResult == 28 /* ENOSPC */)
        || (e is AggregateException agg && agg.InnerExceptions.Count > 0 && agg.InnerExceptions.All(IsUserError));

    public static string OneLine(Exception e)
    {
        if (e is AggregateException agg && agg.InnerExceptions.Count > 0)
            e = agg.InnerExceptions[0];
        return e.Message.ReplaceLineEndings(" ").Trim();
    }
}
