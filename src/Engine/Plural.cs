using System.Globalization;

namespace Seiscat.Engine;

/// <summary>Counts as a person reads them: "1 template", "2 templates", "1 join of clusters" — never "1 templates" or
/// "template(s)".</summary>
public static class Plural
{
    /// <summary>"<paramref name="n"/> <paramref name="singular"/>" for one, else with <paramref name="plural"/> (default: +s).</summary>
    public static string Of(long n, string singular, string? plural = null)
        => string.Create(CultureInfo.InvariantCulture, $"{n} {(n == 1 ? singular : plural ?? singular + "s")}");

    /// <summary>The word alone, for a count written elsewhere.</summary>
    public static string Word(long n, string singular, string? plural = null) => n == 1 ? singular : plural ?? singular + "s";
}
