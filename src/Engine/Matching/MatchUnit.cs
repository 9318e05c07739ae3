using Seiscat.Engine.Io;
using Seiscat.Engine.Signal;
using Seiscat.Engine.Templates;
using Seiscat.Native.Fftw;

namespace Seiscat.Engine.Matching;

/// <summary>
/// The templates of one station and band: the record is read and band-passed once per block for all of them, and
/// correlated in one overlap-save pass through their <see cref="Plan"/> (made once, measured with wisdom).
/// </summary>
public sealed class MatchUnit(UnitRecord unit, double rate, double lowHz, double highHz)
{
    private CorrelationPlan? _plan;

    public UnitRecord Record => unit;
    public double Rate => rate;
    public double LowHz => lowHz;
    public double HighHz => highHz;
    /// <summary>Indices into the run's template list.</summary>
    public List<int> Templates { get; } = [];

    /// <summary>Samples of one low-corner period: the band-pass's settling time.</summary>
    public int Settle => (int)Math.Ceiling(rate / lowHz);

    /// <summary>The correlation plan of <see cref="Templates"/>; made on first use, after every template was added.</summary>
    public CorrelationPlan Plan(IReadOnlyList<Template> all)
        => _plan ??= FftwPlan.WithWisdom(() => new CorrelationPlan(Templates.Select(k => all[k].Waveform).ToList(), 0, FftwEffort.Measure));

    /// <summary>Templates grouped by (station, band), in template order.</summary>
    /// <param name="recordOf">The station's record and rate for a template (throws when the archive cannot match it).</param>
    public static List<MatchUnit> Of(IReadOnlyList<Template> templates, Func<Template, (UnitRecord Record, double Rate)> recordOf)
    {
        var units = new List<MatchUnit>();
        for (var k = 0; k < templates.Count; k++)
        {
            var t = templates[k];
            var (record, recordRate) = recordOf(t);
            var unit = units.FirstOrDefault(u => ReferenceEquals(u.Record, record) && u.LowHz == t.LowHz && u.HighHz == t.HighHz);
            if (unit is null) units.Add(unit = new MatchUnit(record, recordRate, t.LowHz, t.HighHz));
            unit.Templates.Add(k);
        }
        return units;
    }
}
