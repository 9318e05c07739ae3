namespace Seiscat.Engine.Templates;

/// <summary>How member waveforms are combined: their mean, or the mean weighted by the coherence of their
/// instantaneous phases (Schimmel &amp; Paulssen 1997, power 2), which suppresses what the members do not share.</summary>
public enum Stacking { Linear, PhaseWeighted }

/// <summary>What every template of a file was made with.</summary>
public sealed record TemplateOptions
{
    /// <summary>Members stacked per template (the windows nearest the cluster centre that correlate with each other).</summary>
    public int PerCluster { get; init; } = 5;
    /// <summary>Windows examined per cluster and station (nearest the centre first) to find the members.</summary>
    public int Candidates { get; init; } = 48;
    public double LengthSeconds { get; init; } = 20;
    /// <summary>Share of the template before the onset.</summary>
    public double PreOnsetShare { get; init; } = 0.2;
    /// <summary>Band-pass corners (Hz) applied, zero-phase, to the members and later to the matched record; null = chosen
    /// per template from its candidates' signal-to-noise (TemplateBuilder.BandOf), or <see cref="FallbackBand"/> when
    /// nothing stands out.</summary>
    public double? LowHz { get; init; }
    public double? HighHz { get; init; }
    public Stacking Stacking { get; init; } = Stacking.Linear;
    /// <summary>Members must correlate with the most coherent candidate at least this much.</summary>
    public double MinCorrelation { get; init; } = 0.4;

    /// <summary>2–20 Hz, clipped to 0.1 and 0.4 times the station's rate.</summary>
    public static (double Low, double High) FallbackBand(double rate) => (Math.Min(2, 0.1 * rate), Math.Min(20, 0.4 * rate));
}

/// <summary>
/// A template: the aligned stack of a cluster's most coherent windows at one station, band-passed, trimmed around its
/// onset. <see cref="Waveform"/> is components × samples in the record's units (the stack of unit-norm members scaled
/// back to the members' median norm, so amplitude ratios of detections compare with a typical member).
/// </summary>
public sealed record Template
{
    public required string Name { get; init; }
    public required int Cluster { get; init; }
    /// <summary>The features' station (NET.STA.LOC.CH?) or, under channel units, channel id.</summary>
    public required string Station { get; init; }
    public required string[] Channels { get; init; }
    public required double Rate { get; init; }
    public required float[][] Waveform { get; init; }
    /// <summary>The onset's sample in <see cref="Waveform"/>; a detection's time is where this sample falls.</summary>
    public required int OnsetSample { get; init; }
    public required double LowHz { get; init; }
    public required double HighHz { get; init; }
    /// <summary>Members: onset time (UTC ns), the start of the window they came from, correlation with the stack, and
    /// the aligned, band-passed waveform (members × components × samples, unit norm) for the report.</summary>
    public required long[] MemberOnsetNs { get; init; }
    public required long[] MemberWindowStartNs { get; init; }
    public required double[] MemberCorrelation { get; init; }
    public required float[][][] Members { get; init; }
    /// <summary>Templates of one group are matched together (one cluster seen at several stations): their correlation
    /// traces are averaged after shifting by <see cref="GroupOffsetNs"/>, the onset delay relative to the group's first.</summary>
    public int Group { get; init; }
    public long GroupOffsetNs { get; init; }

    public int Samples => Waveform[0].Length;
    public long OnsetOffsetNs => (long)Math.Round(OnsetSample * 1e9 / Rate);
}
