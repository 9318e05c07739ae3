using Seiscat.Engine.Common;

namespace Seiscat.Engine.Synthetic;

/// <summary>What was planted: one row of truth.csv (times are UTC ns).</summary>
public sealed record TruthEvent(long StartNs, long EndNs, string Class, string Station);

/// <summary>A source seen by every station, with a per-station arrival.</summary>
internal sealed record SeismicSource(int Id, string Class, long OriginNs, double Magnitude, double DurationS);

/// <summary>
/// The planted sources of a synthetic archive: Gutenberg–Richter earthquakes (b = 1), a repeating family with an
/// accelerating rate towards the end (like the precursors of the 2017 Nuugaatsiaq landslide), tremor episodes.
/// Station-specific glitches and the gap are drawn by <see cref="SyntheticArchive"/>.
/// </summary>
internal static class SyntheticCatalogue
{
    /// <param name="rate">Multiplies every event rate (1: 3 earthquakes per hour, a tremor episode per 2 hours, …); below 1
    /// makes events rare (0.1: about 2 % of the windows).</param>
    public static List<SeismicSource> Draw(ulong seed, long startNs, double hours, double rate = 1)
    {
        var rng = new Xoshiro256(seed, 1);
        var total = hours * 3600;
        var sources = new List<SeismicSource>();
        var id = 0;
        // Earthquakes: Poisson, 3 per hour, M ≥ 1 with b = 1 (M = Mmin − log10 U), capped at 4.5.
        var perHour = 3.0 * rate;
        for (var t = -Math.Log(rng.NextDouble()) / perHour * 3600; t < total - 120; t += -Math.Log(rng.NextDouble()) / perHour * 3600)
        {
            var m = Math.Min(4.5, 1.0 - Math.Log10(rng.NextDouble()));
            sources.Add(new SeismicSource(id++, "earthquake", startNs + (long)(t * 1e9), m, 10 + 12 * (m - 1)));
        }
        // Repeaters: over the last 40 % of the record, intervals shrinking by 7 % each time.
        var tr = 0.6 * total;
        var dt = Math.Max(120, 0.05 * total) / rate;
        while (tr < total - 30)
        {
            sources.Add(new SeismicSource(id++, "repeater", startNs + (long)(tr * 1e9), 1.8 + 0.1 * rng.NextGaussian(), 8));
            tr += dt;
            dt = Math.Max(25 / rate, dt * 0.93);
        }
        // Tremor: one episode per 2 hours (at least two), 3–10 minutes each.
        var episodes = Math.Max(rate >= 1 ? 2 : 1, (int)(hours / 2 * rate));
        for (var k = 0; k < episodes; k++)
        {
            var duration = rng.Uniform(180, 600);
            var t = rng.Uniform(0.05 * total, 0.95 * total - duration);
            sources.Add(new SeismicSource(id++, "tremor", startNs + (long)(t * 1e9), 0, duration));
        }
        return sources.OrderBy(s => s.OriginNs).ThenBy(s => s.Id).ToList();
    }
}
