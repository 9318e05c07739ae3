using System.Globalization;
using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Layouts;

namespace Seiscat.Engine.Windows;

/// <summary>What one window (one feature row) describes. Auto: station when every station has the same number of
/// components, else channel.</summary>
public enum ClusterUnit { Auto, Station, Channel }

/// <summary>Overall gain removal before preprocessing: none (counts) or the ASDF StationXML sensitivity.</summary>
public enum GainRemoval { None, StationXml }

/// <summary>How a command wants the archive cut: window and step (null = from the network), a decimation factor (null =
/// inferred), the unit, gain, gap policy and preprocessing.</summary>
public sealed record WindowRequest(double? WindowSeconds, double? StepSeconds, int? Decimation, ClusterUnit Unit, GainRemoval Gain, GapPolicy Gaps,
    PreprocessOptions Preprocess);

/// <summary>The settled archive: the units that reach the network's rate, their window plan, the preprocessing (with
/// the decimation factor), the components per unit and the words that describe what is done to each window.</summary>
public sealed record SettledWindows(Archive Archive, WindowPlan Plan, PreprocessOptions Preprocess, int Channels, string Described);

/// <summary>
/// From an archive and a network's rate and window length to the windows every command that computes features cuts
/// (`features`, `learn`; `inspect` reports the same choices): which stations reach the rate, what a unit is, the
/// window order, the decimation, the gain. Written once so the commands cannot drift apart.
/// </summary>
public static class WindowSettlement
{
    /// <summary>The archive a command reads: StationXML sensitivities read when the gain is removed, and only the
    /// components whose last code letter is in <paramref name="components"/> (null: all).</summary>
    public static Archive Open(IReadOnlyList<string> paths, LayoutOptions layout, GainRemoval gain, string? components)
    {
        var a = ArchiveScanner.Open(paths, gain == GainRemoval.StationXml ? layout with { ReadSensitivity = true } : layout);
        return components is { } keep ? KeepComponents(a, keep) : a;
    }

    /// <summary>Settles a network at <paramref name="rate"/> Hz and <paramref name="bins"/> samples per window on an
    /// archive; stations that cannot reach the rate are named in one warning.</summary>
    public static SettledWindows Settle(Archive a, double rate, int bins, WindowRequest w, List<string> warnings)
    {
        if (w.WindowSeconds is { } wsec && Math.Abs(wsec * rate - bins) > 0.5)
            throw new SeiscatException(string.Create(CultureInfo.InvariantCulture,
                $"{Setting.Window.Ref()} {wsec} s is {wsec * rate:0} samples at the configuration's {rate} Hz, but it " +
                    $"needs {bins} samples ({bins / rate} s); change {Setting.Window.Ref()} or the config's bins"));
        a = a with { Units = Reachable(a.Units, rate, w.Decimation, warnings) };
        a = a with { Units = Units(a.Units, w.Unit) };
        if (w.Gain == GainRemoval.StationXml) RequireSensitivities(a);
        var stepSeconds = w.StepSeconds ?? bins / rate / 2;
        var rates = a.Units.Select(st => st.Rate).ToList();
        var factors = rates.Select(sr => sr / rate).Distinct().ToList();
        var q = factors.Count == 1 && Math.Abs(factors[0] - Math.Round(factors[0])) < 1e-6 ? (int)Math.Round(factors[0]) : 1;
        var pre = w.Preprocess with { Decimation = q };
        var resampled = factors.Count > 1 || q * rate != rates[0];
        var plan = new WindowPlan(a.Units, rates.Select(sr => Preprocessor.InputSamplesFor(sr, rate, bins)).ToList(),
            (long)Math.Round(stepSeconds * 1e9), w.Gaps, OrderFor(a.Units));
        var described = pre.Describe() + (w.Gain == GainRemoval.StationXml ? ", divided by the StationXML sensitivity" : "")
            + (resampled ? string.Create(CultureInfo.InvariantCulture, $", each station brought to {rate} Hz (resample_poly)") : "");
        return new SettledWindows(a, plan, pre, a.Units[0].ChannelIds.Count, described);
    }

    /// <summary>Time-major when every unit is one column of a time × channel matrix (DAS): the channels at one time share
    /// each stored row, so they are read together; otherwise station by station.</summary>
    public static WindowOrder OrderFor(IReadOnlyList<UnitRecord> stations)
        => stations.Count > 1 && stations.All(s => s.ChannelIds.Count == 1 && s.Pieces[0].All(p => p.Row >= 0 && p.SamplesAlongFirstAxis))
            ? WindowOrder.TimeMajor : WindowOrder.StationMajor;

    /// <summary>The default network's rate: the highest that at least half of the stations reach (for an even count the
    /// higher of the two middle rates), so a mixed network keeps most stations at the finest resolution they share.</summary>
    /// <remarks>A station's rate here is its first component's: units are formed after this choice, and channel units
    /// may split a station whose components differ.</remarks>
    public static double CommonRate(IReadOnlyList<UnitRecord> stations)
    {
        var rates = stations.Select(s => s.Pieces[0][0].Rate).OrderDescending().ToList();
        return rates[(rates.Count + 1) / 2 - 1];
    }

    /// <summary>Whether a station (by its first component's rate) reaches <paramref name="rate"/>: exactly
    /// <paramref name="decimation"/> times it when a factor is given, else by any downward ratio of integers.</summary>
    public static bool Reaches(UnitRecord s, double rate, int? decimation = null) => decimation is { } q
        ? Math.Abs(s.Pieces[0][0].Rate - rate * q) <= 1e-6 * s.Pieces[0][0].Rate
        : Preprocessor.CanReach(s.Pieces[0][0].Rate, rate);

    // Stations that cannot reach the configuration's rate (slower, or no integer ratio to it) are left out, named in one
    // warning; none left is an error.
    private static List<UnitRecord> Reachable(IReadOnlyList<UnitRecord> stations, double rate, int? decimation, List<string> warnings)
    {
        var reach = stations.ToLookup(s => Reaches(s, rate, decimation));
        var kept = reach[true].ToList();
        var skipped = reach[false].Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.UnitId} ({s.Pieces[0][0].Rate} Hz)")).ToList();
        var why = decimation is { } f
            ? string.Create(CultureInfo.InvariantCulture, $"not sampled at {rate * f} Hz ({rate} Hz × {Setting.Decimation.Ref()} {f})")
            : string.Create(CultureInfo.InvariantCulture, $"below the configuration's {rate} Hz or not an integer ratio above it");
        if (kept.Count == 0)
            throw new SeiscatException($"no station can be used: all are {why} ({string.Join(", ", skipped)}); change the config's sampling_rate " +
                $"or {Setting.Decimation.Ref()}, or select stations with {Setting.Stations.Ref()}");
        if (skipped.Count > 0) warnings.Add($"skipped {Plural.Of(skipped.Count, reach[false].First().Noun)} {why}: {string.Join(", ", skipped)}");
        // Brought down to a rate below half their own, stations lose most of their band (a 1 kHz geophone at 40 Hz keeps
        // its lowest 4 %): say so unless the decimation was asked for.
        var narrowed = decimation is null ? kept.Where(s => s.Pieces[0][0].Rate > 2 * rate * (1 + 1e-9)).ToList() : [];
        if (narrowed.Count > 0)
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"resampling to {rate} Hz removes most of the band of ") +
                $"{Plural.Of(narrowed.Count, narrowed[0].Noun)}: " +
                string.Join(", ", narrowed.Take(5).Select(s => string.Create(CultureInfo.InvariantCulture,
                    $"{s.UnitId} ({s.Pieces[0][0].Rate} Hz: keeps {100 * rate / s.Pieces[0][0].Rate:0.#} % of its band)"))) +
                (narrowed.Count > 5 ? $" and {narrowed.Count - 5} more" : "") +
                (narrowed.Count < kept.Count ? $"; cluster them apart ({Setting.Stations.Ref()}) or with a configuration at their rate"
                    : "; if that is not meant, use a configuration at their rate"));
        return kept;
    }

    // Station units (components as one vector) when every station has the same component set size; otherwise, under
    // auto, channel units, so a mixed network shares one feature layout and one model.
    private static IReadOnlyList<UnitRecord> Units(IReadOnlyList<UnitRecord> stations, ClusterUnit unit) => unit switch
    {
        ClusterUnit.Channel => ArchiveSelection.PerChannel(stations),
        ClusterUnit.Auto when stations.Select(s => s.ChannelIds.Count).Distinct().Count() > 1 => ArchiveSelection.PerChannel(stations),
        _ => stations,
    };

    private static void RequireSensitivities(Archive a)
    {
        var missing = a.Units.SelectMany(st => st.Pieces.SelectMany(p => p)).Where(p => p.Sensitivity is null).Select(p => p.ChannelId).Distinct()
            .ToList();
        if (missing.Count > 0)
            throw new SeiscatException($"{Setting.Gain.Ref()} stationxml: no StationXML sensitivity for {string.Join(", ", missing.Take(5))}" +
                $"{(missing.Count > 5 ? $" and {missing.Count - 5} more" : "")}; drop {Setting.Gain.Ref()}, or select stations whose ASDF files carry " +
                $"their StationXML ({Setting.Stations.Ref()})");
    }

    private static Archive KeepComponents(Archive a, string codes)
    {
        var stations = a.Units.Select(s =>
        {
            var keep = s.ChannelIds.Select((id, i) => (id, i)).Where(x => codes.Contains(x.id[^1])).ToList();
            return s with { ChannelIds = keep.Select(k => k.id).ToList(), Pieces = keep.Select(k => s.Pieces[k.i]).ToList() };
        }).Where(s => s.ChannelIds.Count > 0).ToList();
        if (stations.Count == 0) throw new SeiscatException($"{Setting.Components.Ref()} {codes}: no channel has one of these component codes");
        return a with { Units = stations };
    }
}
