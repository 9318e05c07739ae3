namespace Seiscat.Engine.Common.Parts;

/// <summary>
/// What differs between the outputs that share the parted-output scheme (features, predict): the attribute names that
/// record a file's place, the attributes every shard of one run must agree on, and how messages name the command.
/// </summary>
public sealed record PartedKind(
    string Command,
    string FirstAttribute,
    string TotalAttribute,
    IReadOnlyList<string> SameAttributes,
    int Alignment)
{
    /// <summary>Rows in the file (written by its writer's Complete).</summary>
    public const string RowsAttribute = "n_windows";
    public const string IndexAttribute = "shard_index";
    public const string CountAttribute = "shard_count";
    public const string CompleteAttribute = "complete";
}
