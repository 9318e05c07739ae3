using System.Globalization;

namespace Seiscat.Engine;

/// <summary>UTC instants as int64 ns since 1970, and durations written as 40s, 2.5m, 1h, 500ms or plain seconds.</summary>
public static class TimeFormat
{
    public static string Iso(long ns) =>
        DateTime.UnixEpoch.AddTicks(Math.DivRem(ns, 100, out _)).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The instant as <see cref="Iso"/> writes it (whole microseconds): what a reader of the CSV gets back.</summary>
    public static long AsWritten(long ns)
    {
        var ticks = DateTime.UnixEpoch.AddTicks(Math.DivRem(ns, 100, out _)).Ticks;
        return (ticks / 10 * 10 - DateTime.UnixEpoch.Ticks) * 100;
    }

    public static long ParseInstant(string text, string what)
    {
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ns)) return ns;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
            return (t.UtcTicks - DateTime.UnixEpoch.Ticks) * 100;
        throw new SeiscatException($"{what} '{text}' is not a time; use ISO-8601 UTC (2024-01-01T00:00:00Z) or ns since 1970");
    }

    public static double ParseSeconds(string text, string what)
    {
        var t = text.Trim().ToLowerInvariant();
        (string Suffix, double Scale)[] units = [("ms", 1e-3), ("s", 1), ("min", 60), ("m", 60), ("h", 3600), ("d", 86400)];
        foreach (var (suffix, scale) in units)
            if (t.EndsWith(suffix, StringComparison.Ordinal) && double.TryParse(t[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture,
                out var v))
                return Positive(v * scale, text, what);
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)) return Positive(seconds, text, what);
        throw new SeiscatException($"{what} '{text}' is not a duration; write e.g. 40s, 2m, 1h or 500ms");
    }

    private static double Positive(double v, string text, string what)
        => v > 0 && double.IsFinite(v) ? v : throw new SeiscatException($"{what} '{text}' must be a positive duration");

    public static string Duration(double seconds) => seconds switch
    {
        >= 86400 => $"{seconds / 86400:0.##} d",
        >= 3600 => $"{seconds / 3600:0.##} h",
        >= 60 => $"{seconds / 60:0.##} min",
        _ => $"{seconds:0.###} s",
    };
}
