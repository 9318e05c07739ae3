using Seiscat.Engine;
using Seiscat.Engine.Common;

namespace Seiscat.Cli;

/// <summary>
/// One progress line on stderr: done/total, rate, ETA. Redrawn in place on a terminal (at most 4×/s);
/// when stderr is a file or pipe, a plain line every 10 s so logs stay readable.
/// </summary>
internal sealed class ProgressLine(TextWriter err, string stage, string unit) : IProgress<StageProgress>
{
    private readonly bool _terminal = ReferenceEquals(err, Console.Error) && !Console.IsErrorRedirected;
    private TimeSpan? _last;
    private bool _started;

    public void Report(StageProgress p)
    {
        var final = p.Done >= p.Total;
        var every = _terminal ? TimeSpan.FromMilliseconds(250) : TimeSpan.FromSeconds(10);
        // Logs (not a terminal) get a line every 10 s and at the end, not one after the first batch.
        if (!_started) { _started = true; if (!_terminal) _last = TimeSpan.Zero; }
        if (!final && _last is { } last && p.Elapsed - last < every) return;
        _last = p.Elapsed;
        var eta = p.Remaining is { } r && !final ? $", ETA {TimeFormat.Duration(r.TotalSeconds)}" : "";
        var text = $"{stage}: {p.Done}/{p.Total} {unit} ({100.0 * p.Done / Math.Max(1, p.Total):0}%), {Rate(p.PerSecond, unit)}{eta}";
        if (_terminal) err.Write("\r" + text.PadRight(78) + (final ? "\n" : ""));
        else err.WriteLine(text);
    }

    /// <summary>A rate in the time unit that shows it ("3 blocks/min", not "0 blocks/s"): per second from 1 on (one
    /// decimal below 10), else per minute, else per hour.</summary>
    internal static string Rate(double perSecond, string unit) => perSecond switch
    {
        >= 10 => FormattableString.Invariant($"{perSecond:0} {unit}/s"),
        >= 1 => FormattableString.Invariant($"{perSecond:0.#} {unit}/s"),
        _ when perSecond * 60 >= 1 => FormattableString.Invariant($"{perSecond * 60:0.#} {unit}/min"),
        _ => FormattableString.Invariant($"{perSecond * 3600:0.#} {unit}/h"),
    };
}
