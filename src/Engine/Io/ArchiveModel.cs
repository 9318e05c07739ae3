using Seiscat.Engine.Io.Storage;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Io;

/// <summary>How a piece's samples are stored: layout, chunking, filters, stored bytes.</summary>
public sealed record StorageInfo(H5Layout Layout, long[]? ChunkDims, IReadOnlyList<H5Filter> Filters, long StoredBytes)
{
    /// <summary>Layout, chunking and filters, and for filtered chunks the way they are read ("chunked 500 lzf, via
    /// libhdf5"): seiscat decodes deflate, shuffle, Fletcher-32 and zstd from the mapped file, libhdf5 the rest.</summary>
    public string Describe() => Layout switch
    {
        H5Layout.Chunked => $"chunked {string.Join('x', ChunkDims ?? [])}" + (Filters.Count > 0 ? " " + string.Join('+', Filters.Select(FilterName)) : "")
            + Hdf5Filters.Route(this) switch
            {
                ChunkRoute.Libhdf5 => ", via libhdf5",
                ChunkRoute.Unavailable => $", no plugin for {FilterName(Hdf5Filters.Unavailable(Filters)!)}",
                _ => "",
            },
        _ => Layout.ToString().ToLowerInvariant(),
    };

    public static string FilterName(H5Filter f) => f.Id == H5Filter.Deflate && f.ClientData.Length > 0 ? $"deflate{f.ClientData[0]}" : Hdf5Filters.Name(f.Id);
}

/// <summary>
/// One continuous stretch of one channel, stored in one dataset (or one row/column of a 2-D dataset).
/// Sample i is at <c>StartNs + round(i·1e9 / Rate)</c>.
/// </summary>
public sealed record ChannelPiece(
    string File,
    string Dataset,
    string ChannelId,
    long StartNs,
    double Rate,
    long Samples,
    H5TypeInfo Type,
    StorageInfo Storage,
    int Row = -1,
    bool SamplesAlongFirstAxis = false)
{
    public long EndNs => StartNs + (long)Math.Round(Samples * 1e9 / Rate);
    /// <summary>Counts per physical unit from the file's StationXML (read only when asked: --gain stationxml); the
    /// window cutter divides this piece's samples by it.</summary>
    public double? Sensitivity { get; init; }
    /// <summary>Febus A1: the dataset is blocks × rows × channels and each block keeps only some of its rows (the rest
    /// repeat the neighbouring blocks); sample i is row KeepStart + i mod KeepRows of block i / KeepRows.</summary>
    public TimeBlocks? Blocks { get; init; }
    /// <summary>DAS channel stacking: the piece is the mean of columns Row … Row + Stack − 1 of its matrix.</summary>
    public int Stack { get; init; } = 1;
    /// <summary>A DAS channel's place on the fibre (null for seismometers).</summary>
    public FibrePosition? Fibre { get; init; }
    /// <summary>Where the samples live, for messages: FILE:DATASET[row].</summary>
    public string Where => Row < 0 ? $"{File}:{Dataset}" : $"{File}:{Dataset}[{(SamplesAlongFirstAxis ? ":," + Row : Row + ",:")}]";
}

/// <summary>How a blocked time axis is laid out: rows per stored block, and the rows [KeepStart, KeepStart + KeepRows)
/// of each that belong to the continuous record.</summary>
public sealed record TimeBlocks(int RowsPerBlock, int KeepStart, int KeepRows);

/// <summary>A DAS locus and, when the file says, the channel spacing (distance along the fibre = locus × spacing, from
/// the interrogator's locus 0) and the gauge length.</summary>
public sealed record FibrePosition(long Locus, double? SpacingM, double? GaugeLengthM)
{
    /// <summary>Loci averaged into this channel (--stack-channels), from <see cref="Locus"/> on.</summary>
    public int Stacked { get; init; } = 1;
    /// <summary>Distance of the channel (of a stack: of its centre).</summary>
    public double? DistanceM => SpacingM is { } dx ? (Locus + (Stacked - 1) / 2.0) * dx : null;
}

/// <summary>A station's components (e.g. E, N, Z) and their pieces in time order.</summary>
public sealed record UnitRecord(string UnitId, IReadOnlyList<string> ChannelIds, IReadOnlyList<IReadOnlyList<ChannelPiece>> Pieces)
{
    /// <summary>What the unit is, for messages: "DAS channel" (a fibre locus), "channel" (one channel standing alone,
    /// named by its channel id) or "station".</summary>
    public string Noun => Pieces.Count > 0 && Pieces[0].Count > 0 && Pieces[0][0].Fibre is not null ? "DAS channel"
        : ChannelIds.Count == 1 && UnitId == ChannelIds[0] ? "channel" : "station";

    /// <summary>
    /// The one sampling rate of every piece of every component (within 1e-6). Throws, naming the station and what to do,
    /// when a piece's rate is impossible or components differ: a window cut of several components needs one rate (channel
    /// units, <c>--unit channel</c>, take each component on its own). Computed on each call, not cached: <c>with</c> copies
    /// of a record may hold other pieces.
    /// </summary>
    public double Rate
    {
        get
        {
            var rate = double.NaN;
            for (var c = 0; c < Pieces.Count; c++)
                foreach (var p in Pieces[c])
                {
                    if (!(p.Rate > 0) || double.IsInfinity(p.Rate))
                        throw new SeiscatException($"{UnitId} {ChannelIds[c]}: sampling rate {p.Rate} Hz is impossible; fix the file's " +
                            "sampling_rate attribute");
                    if (double.IsNaN(rate)) rate = p.Rate;
                    else if (Math.Abs(p.Rate - rate) > 1e-6 * rate)
                        throw new SeiscatException($"{UnitId}: components sampled at {rate} Hz and {p.Rate} Hz ({ChannelIds[c]}); resample to " +
                            $"one rate or process the components separately ({Setting.Components.Ref()})");
                }
            return double.IsNaN(rate) ? throw new SeiscatException($"{UnitId}: no samples in any component") : rate;
        }
    }
}

/// <summary>A gap (positive) or overlap (negative) between consecutive pieces of a channel.</summary>
public readonly record struct Discontinuity(string ChannelId, long AtNs, long DurationNs);

/// <summary>Everything found in an archive (a list of files or folders of .h5 files).</summary>
public sealed record Archive(string Layout, IReadOnlyList<string> Files, IReadOnlyList<UnitRecord> Units)
{
    public IEnumerable<ChannelPiece> AllPieces => Units.SelectMany(s => s.Pieces.SelectMany(p => p));

    /// <summary>What the scan passed over and a user should know (e.g. external links not followed), one line each.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Gaps and overlaps between consecutive pieces of each channel (tolerance: half a sample).</summary>
    public IEnumerable<Discontinuity> Discontinuities()
        => Units.SelectMany(s => s.Pieces.SelectMany(pieces => Between(pieces)));

    /// <summary>Gaps (positive duration) and overlaps (negative) between consecutive pieces of one channel, named
    /// <paramref name="channelId"/> or, by default, each piece's own channel id.</summary>
    public static IEnumerable<Discontinuity> Between(IReadOnlyList<ChannelPiece> pieces, string? channelId = null)
    {
        for (var i = 1; i < pieces.Count; i++)
        {
            var delta = pieces[i].StartNs - pieces[i - 1].EndNs;
            if (Math.Abs(delta) > 0.5e9 / pieces[i].Rate) yield return new Discontinuity(channelId ?? pieces[i].ChannelId, pieces[i - 1].EndNs, delta);
        }
    }
}
