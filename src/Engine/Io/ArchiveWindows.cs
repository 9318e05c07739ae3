using Seiscat.Engine.Io.Storage;
using Seiscat.Engine.Pipeline;

namespace Seiscat.Engine.Io;

/// <summary>Connects an <see cref="Archive"/> to the window plan and to per-thread sample reading.</summary>
public static class ArchiveWindows
{
    public static List<StationPieces> Stations(Archive archive) => archive.Stations
        .Select(s => new StationPieces(s.StationId, s.ChannelIds,
            s.Pieces.Select(ps => (IReadOnlyList<Piece>)ps.Select(p => new Piece(p.StartNs, p.Rate, p.Samples)).ToList()).ToList()))
        .ToList();

    /// <summary>An <see cref="ISampleSource"/> over the archive; one <see cref="SampleReader"/> per thread.</summary>
    public sealed class Source(Archive archive, ArchiveStorage storage) : ISampleSource
    {
        private readonly ThreadLocal<SampleReader> _reader = new(() => new SampleReader(storage));

        public void Read(int station, int component, int piece, long offset, Span<float> destination)
            => _reader.Value!.Read(archive.Stations[station].Pieces[component][piece], offset, destination);
    }
}
