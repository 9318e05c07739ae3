using System.Text.RegularExpressions;

namespace Seiscat.Engine.Io;

/// <summary>
/// Which stations and channels of an archive to use: SEED-id globs (<c>*</c> any run of characters, dots included;
/// <c>?</c> one character), matched without regard to case. A station glob is matched against the station's
/// NET.STA, NET.STA.LOC and its key NET.STA.LOC.CH? (so <c>'BK.*'</c>, <c>'IV.BOB'</c> and <c>'*.HH?'</c> all work); a
/// channel glob against each channel id (<c>'*..BHZ'</c>, <c>'*.HH?'</c>). Several globs of one kind add up. A glob that
/// matches nothing is refused: it is almost always a typo, and silently processing less is worse. For DAS a channel
/// selector may also be a range of loci, START:STOP[:STEP] as a Python slice (STOP excluded): <c>100:4000:2</c>.
/// </summary>
public static partial class ArchiveSelection
{
    public static IReadOnlyList<UnitRecord> Apply(IReadOnlyList<UnitRecord> stations, IReadOnlyList<string> stationGlobs,
        IReadOnlyList<string> channelGlobs)
    {
        if (stationGlobs.Count == 0 && channelGlobs.Count == 0) return stations;
        var stationRx = stationGlobs.Select(g => (g, Rx(g))).ToList();
        var channelRx = channelGlobs.Select(g => (g, ChannelMatcher(g))).ToList();
        foreach (var (g, rx) in stationRx)
            if (!stations.Any(s => StationNames(s).Any(rx.IsMatch)))
                throw new SeiscatException($"{Setting.Stations.Ref()} '{g}' matches no station of the archive " +
                    $"({Listing(stations.Select(s => s.UnitId))}); check the glob (quote it in the shell)");
        foreach (var (g, rx) in channelRx)
            if (!stations.Any(s => s.ChannelIds.Any(rx)))
                throw new SeiscatException($"{Setting.Channels.Ref()} '{g}' matches no channel of the archive " +
                    $"({Listing(stations.SelectMany(s => s.ChannelIds))}); check the glob (quote it in the shell)");
        var kept = new List<UnitRecord>();
        foreach (var s in stations)
        {
            if (stationRx.Count > 0 && !StationNames(s).Any(n => stationRx.Any(r => r.Item2.IsMatch(n)))) continue;
            var keep = Enumerable.Range(0, s.ChannelIds.Count)
                .Where(c => channelRx.Count == 0 || channelRx.Any(r => r.Item2(s.ChannelIds[c]))).ToList();
            if (keep.Count == 0) continue;
            kept.Add(keep.Count == s.ChannelIds.Count ? s
                : s with { ChannelIds = keep.Select(c => s.ChannelIds[c]).ToList(), Pieces = keep.Select(c => s.Pieces[c]).ToList() });
        }
        if (kept.Count == 0)
            throw new SeiscatException($"{Setting.Stations.Ref()} and {Setting.Channels.Ref()} together keep no channel; loosen one of them");
        return kept;
    }

    /// <summary>One channel per "station": every channel becomes a one-component unit named by its channel id.</summary>
    public static IReadOnlyList<UnitRecord> PerChannel(IReadOnlyList<UnitRecord> stations)
        => stations.SelectMany(s => s.ChannelIds.Select((_, c) => Alone(s, c))).OrderBy(s => s.UnitId, StringComparer.Ordinal).ToList();

    // Channel c of a station as a one-component unit named by its channel id.
    private static UnitRecord Alone(UnitRecord s, int c) => new(s.ChannelIds[c], [s.ChannelIds[c]], [s.Pieces[c]]);

    /// <summary>
    /// The unit a features file calls <paramref name="name"/>: a station (NET.STA.LOC.CH?) or, under channel units, one
    /// channel standing alone; null when the archive holds neither. How templates, matching and the report find a
    /// window's samples again.
    /// </summary>
    public static UnitRecord? FindUnit(Archive archive, string name)
        => archive.Units.FirstOrDefault(s => s.UnitId == name)
            ?? archive.Units.Where(s => s.ChannelIds.Contains(name)).Select(s => Alone(s, s.ChannelIds.ToList().IndexOf(name))).FirstOrDefault();

    private static IEnumerable<string> StationNames(UnitRecord s)
    {
        yield return s.UnitId;
        var parts = s.UnitId.Split('.');
        if (parts.Length == 4)
        {
            yield return $"{parts[0]}.{parts[1]}";
            yield return $"{parts[0]}.{parts[1]}.{parts[2]}";
        }
    }

    // A glob, or a DAS locus range START:STOP[:STEP].
    private static Func<string, bool> ChannelMatcher(string selector)
    {
        var m = LocusRange().Match(selector.Trim());
        if (!m.Success) return Rx(selector).IsMatch;
        var (start, stop) = (long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
            long.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        var step = m.Groups[3].Success ? long.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture) : 1;
        if (step < 1 || stop <= start)
            throw new SeiscatException($"{Setting.Channels.Ref()} '{selector}' is an empty range; use START:STOP[:STEP] with START < STOP and STEP ≥ 1");
        return id => DasLocus(id) is { } locus && locus >= start && locus < stop && (locus - start) % step == 0;
    }

    /// <summary>The locus of a DAS channel id (DAS.00012 → 12, DAS.m00260 → −260); null for other ids.</summary>
    public static long? DasLocus(string id)
    {
        if (!id.StartsWith("DAS.", StringComparison.Ordinal)) return null;
        var digits = id.AsSpan(4);
        var negative = digits.StartsWith("m");
        return long.TryParse(negative ? digits[1..] : digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture,
            out var v) ? (negative ? -v : v) : null;
    }

    [GeneratedRegex(@"^(-?\d+):(-?\d+)(?::(\d+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex LocusRange();

    private static Regex Rx(string glob)
    {
        if (string.IsNullOrWhiteSpace(glob))
            throw new SeiscatException($"an empty glob in {Setting.Stations.Ref()}/{Setting.Channels.Ref()}; give a pattern such as 'BK.*'");
        return new Regex("^" + Regex.Escape(glob.Trim()).Replace(@"\*", ".*").Replace(@"\?", ".") + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    private static string Listing(IEnumerable<string> names)
    {
        var all = names.Distinct().ToList();
        return string.Join(", ", all.Take(6)) + (all.Count > 6 ? $", … {all.Count} in all" : "");
    }
}
