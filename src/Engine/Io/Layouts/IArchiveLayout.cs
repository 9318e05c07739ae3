using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Io.Layouts;

/// <summary>Options that steer layout detection and the generic layout.</summary>
public sealed record LayoutOptions
{
    /// <summary>Force a layout by name (<see cref="LayoutRegistry.All"/>' names); null = sniff each file.</summary>
    public string? Layout { get; init; }
    /// <summary>ASDF waveform tag to read (e.g. raw_recording); null = the only tag present.</summary>
    public string? Tag { get; init; }
    /// <summary>Generic: dataset paths, glob patterns allowed (* within a name, ** across groups); empty = every numeric 1-D/2-D dataset.</summary>
    public IReadOnlyList<string> Datasets { get; init; } = [];
    /// <summary>Generic 2-D arrays: true when samples run along the first axis (samples × channels).</summary>
    public bool SamplesFirst { get; init; }
    /// <summary>Generic: attribute holding the sampling rate (Hz), looked up on the dataset then its parents.</summary>
    public string RateAttribute { get; init; } = "sampling_rate";
    /// <summary>Generic: attribute holding the start time (int64 ns since 1970 UTC, or an ISO-8601 string).</summary>
    public string StartAttribute { get; init; } = "starttime_ns";
    /// <summary>Generic: rate to use when no attribute has it.</summary>
    public double? Rate { get; init; }
    /// <summary>Generic: start time to use when no attribute has it.</summary>
    public long? StartNs { get; init; }
    /// <summary>Station globs to keep (<see cref="ArchiveSelection"/>); empty = all.</summary>
    public IReadOnlyList<string> Stations { get; init; } = [];
    /// <summary>ASDF: attach each piece's StationXML sensitivity (<see cref="ChannelPiece.Sensitivity"/>).</summary>
    public bool ReadSensitivity { get; init; }
    /// <summary>DAS: average this many neighbouring channels into one unit (after <see cref="Channels"/>); 1 = none.</summary>
    public int StackChannels { get; init; } = 1;
    /// <summary>Channel globs to keep; empty = all.</summary>
    public IReadOnlyList<string> Channels { get; init; } = [];
}

/// <summary>
/// One way of laying out continuous records in HDF5. Implementations are registered in <see cref="LayoutRegistry"/>;
/// adding a layout (another DAS vendor's, say) means adding one class there.
/// </summary>
public interface IArchiveLayout
{
    string Name { get; }
    /// <summary>True when the file looks like this layout (cheap: root attributes and top-level names only).</summary>
    bool Sniff(H5File file);
    /// <summary>Every continuous piece in the file. Throws <see cref="SeiscatException"/> for unusable content.</summary>
    IEnumerable<ChannelPiece> Pieces(H5File file, LayoutOptions options);
}
