using Seiscat.Engine;

namespace Seiscat.Cli;

internal static class CliErrors
{
    public const int UserErrorExitCode = 2;
    public const int InternalErrorExitCode = 70; // EX_SOFTWARE

    public static bool IsUserError(Exception e) => e is SeiscatException
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
