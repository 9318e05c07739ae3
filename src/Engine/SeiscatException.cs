namespace Seiscat.Engine;

/// <summary>
/// A problem with the user's input or parameters, reported as one line and exit code 2.
/// The message names the file and dataset (when there is one) and says what to do.
/// </summary>
public class SeiscatException : Exception
{
    public SeiscatException(string message) : base(message) { }
    public SeiscatException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Builds "FILE:DATASET: problem; hint" with the pieces that are known.</summary>
    public static SeiscatException For(string? file, string? dataset, string problem, string? hint = null, Exception? inner = null)
    {
        var where = (file, dataset) switch
        {
            (not null, not null) => $"{file}:{dataset}: ",
            (not null, null) => $"{file}: ",
            (null, not null) => $"{dataset}: ",
            _ => "",
        };
        var text = hint is null ? where + problem : $"{where}{problem}; {hint}";
        return inner is null ? new SeiscatException(text) : new SeiscatException(text, inner);
    }
}
