using System.Text.Json;

namespace Seiscat.Cli;

/// <summary>The JSON every command prints or writes for scripts: indented, snake_case names (Python's convention).</summary>
internal static class CliJson
{
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
