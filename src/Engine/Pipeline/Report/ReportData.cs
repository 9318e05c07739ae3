namespace Seiscat.Engine.Pipeline.Report;

/// <summary>A cluster's most representative window (closest to the centre) with its samples and first-layer scalogram.</summary>
public sealed record RepresentativeWindow(int Cluster, long Row, double Distance, long StartNs, string Station)
{
    /// <summary>Component ids and raw samples (empty when the archive could not be read back).</summary>
    public string[] Channels { get; init; } = [];
    public float[][] Samples { get; init; } = [];
    public double Rate { get; init; }

    /// <summary>DAS: the same window at channels spread along the fibre (a record section); null otherwise.</summary>
    public RecordSection? Section { get; init; }

    /// <summary>log10 of the first layer's |x ⋆ ψ_j| of the first component (J × ≤ 600 time columns); null when the
    /// features were decimated or their configuration is unknown.</summary>
    public Scalogram? Scalogram { get; init; }
}

/// <summary>One window at many DAS channels: positions along the fibre (metres, or channel index when the spacing is
/// unknown) and each channel's samples.</summary>
public sealed record RecordSection(double[] Positions, bool InMetres, float[][] Traces, double Rate);

/// <summary>
/// DAS: clusters per (time bin, channel bin) for the channel × time image. Channel bins follow the channels' order
/// along the fibre (at most <see cref="FibreTimeGrid.MaxChannelBins"/>); time bins start at the window step and double
/// whenever the grid would pass its cell budget, so a day or a month of thousands of channels stays bounded.
/// </summary>
public sealed record FibreTime(long FirstNs, long BinNs, double[] BinPositions, bool InMetres, IReadOnlyDictionary<(long Time, int Channel), int[]> Cells);

/// <summary>log10 |x ⋆ ψ_j| rows (wavelet j, high to low frequency) × time columns, and the wavelets' centre frequencies.</summary>
public sealed record Scalogram(double[,] Values, double[] CentersHz);

/// <summary>
/// What the report shows, gathered in the same pass that labels every window (see <see cref="ReportAccumulator"/>):
/// windows per cluster and UTC hour, hour-of-day profiles, mean first-order log10 spectra per cluster and channel, a
/// 2-D projection sample (first two reduced components, ≤ 5000 windows, evenly spaced), and each cluster's window
/// closest to its centre with its waveform.
/// </summary>
public sealed record ReportData
{
    public required int Clusters { get; init; }
    public required long Windows { get; init; }
    public required long[] Counts { get; init; }
    public required double[] MeanProbability { get; init; }
    /// <summary>UTC hour (ns / 3.6e12) → count per cluster.</summary>
    public required SortedDictionary<long, long[]> PerHour { get; init; }
    public required long[,] HourOfDay { get; init; }          // cluster × 24
    public required double[,] MeanSpectrum { get; init; }     // cluster × (channel·J1)
    public required double[] SpectrumFrequencies { get; init; } // J1 centre frequencies (Hz)
    public required int Channels { get; init; }
    public required List<(double X, double Y, int Cluster)> Projection { get; init; }
    public required RepresentativeWindow[] Representatives { get; init; }
    public required long WindowNs { get; init; }
    /// <summary>The features' stations (or channels, under channel units), indexed like <see cref="StationHours"/>.</summary>
    public IReadOnlyList<string> StationNames { get; init; } = [];
    /// <summary>(station, UTC hour) → windows per cluster; null when there were too many cells to keep.</summary>
    public IReadOnlyDictionary<(int Station, long Hour), int[]>? StationHours { get; init; }
    /// <summary>DAS archives: the channel × time image's cells.</summary>
    public FibreTime? FibreTime { get; init; }
}
