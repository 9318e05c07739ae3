using Seiscat.Engine.Io;
using Seiscat.Engine.Windows;

namespace Seiscat.Engine.Pipeline;

/// <summary>What `seiscat inspect` reports, as plain data (serialised as JSON with --json).</summary>
public sealed record ArchiveSummary(string Layout, int Files, long StoredBytes, long SampleBytes, double WindowSeconds, double StepSeconds,
    IReadOnlyList<StationSummary> Stations)
{
    /// <summary>What `features` would do without --config: the rate (the highest half of the stations reach), the
    /// stations it would leave out, how many it would resample, and the unit (--unit auto's choice).</summary>
    public FeaturesDefaults? Defaults { get; init; }

    /// <summary>DAS archives (every unit a locus): the acquisition as one fibre instead of thousands of channel blocks.</summary>
    public FibreSummary? Fibre { get; init; }
}

/// <summary>
/// `inspect`: what an archive holds, per station and channel (rates, spans, gaps and overlaps, storage, how many windows a
/// window/step make), what `features` would do without a configuration (<see cref="WindowSettlement"/>'s choices), and
/// for a DAS acquisition the fibre as one summary.
/// </summary>
public static class InspectJob
{
    public static ArchiveSummary Run(Archive archive, double windowSeconds, double stepSeconds, GapPolicy gaps = GapPolicy.Skip)
    {
        var stations = new List<StationSummary>();
        for (var s = 0; s < archive.Units.Count; s++)
        {
            var st = archive.Units[s];
            var all = st.Pieces.SelectMany(p => p).ToList();
            var rate = all[0].Rate;
            long windows;
            try
            {
                windows = new WindowPlan([st], (int)Math.Round(windowSeconds * rate), (long)Math.Round(stepSeconds * 1e9), gaps).Count;
            }
            catch (SeiscatException) { windows = -1; } // e.g. components at different rates: reported per channel
            var channels = st.ChannelIds.Select((id, c) =>
            {
                var ps = st.Pieces[c];
                var disc = Archive.Between(ps, id).ToList();
                return new ChannelSummary(id, ps.Count, ps[0].Rate, TimeFormat.Iso(ps[0].StartNs), TimeFormat.Iso(ps[^1].EndNs), ps.Sum(p => p.Samples),
                    string.Join(",", ps.Select(p => p.Type.ToString()).Distinct()), string.Join(", ", ps.Select(p => p.Storage.Describe()).Distinct()),
                    ps.Sum(p => p.Storage.StoredBytes), ps.Sum(p => p.Samples * p.Type.Size),
                    disc.Where(d => d.DurationNs > 0).Select(d => new GapSummary(TimeFormat.Iso(d.AtNs), d.DurationNs / 1e9)).ToList(),
                    disc.Where(d => d.DurationNs < 0).Select(d => new GapSummary(TimeFormat.Iso(d.AtNs + d.DurationNs), -d.DurationNs / 1e9)).ToList(),
                    ps.Select(p => p.File).Distinct().ToList());
            }).ToList();
            stations.Add(new StationSummary(st.UnitId, rate, TimeFormat.Iso(all.Min(p => p.StartNs)), TimeFormat.Iso(all.Max(p => p.EndNs)),
                windows, channels));
        }
        // Rows of one 2-D dataset (DAS loci, generic channel arrays) share its storage: count each dataset once.
        var stored = archive.AllPieces.DistinctBy(p => (p.File, p.Dataset)).Sum(p => p.Storage.StoredBytes);
        return new ArchiveSummary(archive.Layout, archive.Files.Count, stored,
            archive.AllPieces.Sum(p => p.Samples * p.Type.Size), windowSeconds, stepSeconds, stations)
        {
            Defaults = archive.Units.Count == 0 ? null : DefaultsOf(archive.Units),
            Fibre = FibreOf(archive, stations),
        };
    }

    private static FibreSummary? FibreOf(Archive archive, List<StationSummary> stations)
    {
        var pieces = archive.AllPieces.ToList();
        if (pieces.Count == 0 || pieces.Any(p => p.Fibre is null)) return null;
        var loci = pieces.Select(p => p.Fibre!.Locus).Distinct().Order().ToList();
        var steps = loci.Zip(loci.Skip(1), (a, b) => b - a).Distinct().ToList();
        static double? One(IEnumerable<double?> values) => values.Distinct().ToList() is [var v] ? v : null;
        // Gaps and overlaps are the acquisition's when all channels share them: listed once, with how many channels have each.
        IReadOnlyList<FibreGap> Joined(Func<ChannelSummary, IReadOnlyList<GapSummary>> of) => stations.SelectMany(s => s.Channels).SelectMany(of)
            .GroupBy(g => (g.At, g.Seconds)).Select(g => new FibreGap(g.Key.At, g.Key.Seconds, g.Count())).OrderBy(g => g.At, StringComparer.Ordinal)
            .ToList();
        return new FibreSummary(loci.Count, loci[0], loci[^1], steps is [var step] ? step : null,
            One(pieces.Select(p => p.Fibre!.SpacingM)), One(pieces.Select(p => p.Fibre!.GaugeLengthM)),
            pieces.Select(p => p.Rate).Distinct().ToList(), TimeFormat.Iso(pieces.Min(p => p.StartNs)), TimeFormat.Iso(pieces.Max(p => p.EndNs)),
            string.Join(",", pieces.Select(p => p.Type.ToString()).Distinct()),
            string.Join(", ", pieces.DistinctBy(p => (p.File, p.Dataset)).Select(p => p.Storage.Describe()).Distinct()),
            pieces.All(p => p.SamplesAlongFirstAxis) ? "time × channel" : pieces.All(p => !p.SamplesAlongFirstAxis) ? "channel × time" : "mixed",
            Joined(c => c.Gaps), Joined(c => c.Overlaps));
    }

    private static FeaturesDefaults DefaultsOf(IReadOnlyList<UnitRecord> all)
    {
        var rate = WindowSettlement.CommonRate(all);
        var kept = all.Where(s => WindowSettlement.Reaches(s, rate)).ToList();
        var skipped = all.Except(kept).Select(s => s.UnitId).ToList();
        var resampled = kept.Count(s => Math.Abs(s.Pieces[0][0].Rate - rate) > 1e-9 * rate); // first component's, as WindowSettlement
        var unit = kept.Select(s => s.ChannelIds.Count).Distinct().Count() > 1 ? "channel" : "station";
        return new FeaturesDefaults(rate, kept.Count, resampled, skipped, unit);
    }
}

public sealed record FeaturesDefaults(double RateHz, int Kept, int Resampled, IReadOnlyList<string> Skipped, string Unit);

public sealed record StationSummary(string Station, double RateHz, string Start, string End, long Windows, IReadOnlyList<ChannelSummary> Channels);

public sealed record ChannelSummary(string Channel, int Pieces, double RateHz, string Start, string End, long Samples, string Dtype, string Storage,
    long StoredBytes, long SampleBytes, IReadOnlyList<GapSummary> Gaps, IReadOnlyList<GapSummary> Overlaps, IReadOnlyList<string> Files);

public sealed record GapSummary(string At, double Seconds);

/// <summary>A DAS acquisition at a glance: channels (loci first..last, every LocusStep), spacing and gauge length in
/// metres when the files say and agree, rates, span, sample type, storage, matrix order, and its gaps and overlaps
/// (each with the number of channels that have it).</summary>
public sealed record FibreSummary(int Channels, long FirstLocus, long LastLocus, long? LocusStep, double? SpacingM, double? GaugeLengthM,
    IReadOnlyList<double> RatesHz, string Start, string End, string Dtype, string Storage, string Order, IReadOnlyList<FibreGap> Gaps,
    IReadOnlyList<FibreGap> Overlaps);

public sealed record FibreGap(string At, double Seconds, int Channels);
