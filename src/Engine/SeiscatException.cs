namespace Seiscat.Engine;

/// <summary>
/// A problem with the user's input or parameters, reported as one line and exit code 2.
/// The message names the file and dataset (when there is one) and says what to do. Settings it points at are
/// embedded as tokens (<see cref="SettingText.Ref"/>): <see cref="Exception.Message"/> shows them as concepts,
/// <see cref="Render"/> with a front end's own names (the CLI's flags).
/// </summary>
public class SeiscatException : Exception
{
    private readonly string _template;

    public SeiscatException(string message) : base(SettingText.Render(message, SettingText.Concept)) => _template = message;
    public SeiscatException(string message, Exception inner) : base(SettingText.Render(message, SettingText.Concept), inner) => _template = message;

    /// <summary>
    /// The input data itself is unusable (a corrupt chunk, a truncated file): nothing that depended on it can be resumed
    /// (see Common/Parts/PartedOutput), as opposed to a parameter or an output problem.
    /// </summary>
    public bool IsInputError { get; init; }

    /// <summary>The message with each setting named by <paramref name="name"/>.</summary>
    public string Render(Func<Setting, string> name) => SettingText.Render(_template, name);

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

    /// <summary>Like <see cref="For"/>, for input data that cannot be read (<see cref="IsInputError"/>).</summary>
    public static SeiscatException InInput(string file, string? dataset, string problem, string hint, Exception? inner = null)
    {
        var e = For(file, dataset, problem, hint, inner);
        return inner is null ? new SeiscatException(e._template) { IsInputError = true } : new SeiscatException(e._template, inner) { IsInputError = true };
    }
}
