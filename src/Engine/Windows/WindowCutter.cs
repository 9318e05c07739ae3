using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Storage;

namespace Seiscat.Engine.Windows;

/// <summary>
/// Cuts the windows of a <see cref="WindowPlan"/> out of the archive: the one place where a window's raw samples are
/// assembled from stored pieces (used by `features` and by the report's waveforms). One cutter per thread: it owns a
/// <see cref="SampleReader"/> (with its decoded-chunk cache); all cutters share the archive's storage maps.
/// </summary>
public sealed class WindowCutter(WindowPlan plan, ArchiveStorage storage)
{
    private readonly SampleReader _reader = new(storage, plan.Stations.Count == 0 ? 1 : plan.Stations.Max(s => s.ChannelIds.Count));
    private readonly PieceSpan[] _spans = new PieceSpan[16];

    public WindowPlan Plan => plan;

    /// <summary>Stored chunks this cutter has decoded (see <see cref="SampleReader.ChunksDecoded"/>).</summary>
    public long ChunksDecoded => _reader.ChunksDecoded;

    /// <summary>
    /// Component <paramref name="component"/> of the window of <paramref name="station"/> starting at
    /// <paramref name="startNs"/>, as <see cref="WindowPlan.WindowSamplesOf"/> raw samples. Samples no piece covers and
    /// NaN/Inf samples are zero; returns how many there were (the window's missing samples).
    /// </summary>
    public int Cut(int station, int component, long startNs, Span<float> raw)
    {
        if (raw.Length != plan.WindowSamplesOf(station)) throw new ArgumentException("raw span must hold one window", nameof(raw));
        raw.Clear();
        var covered = plan.Resolve(station, component, startNs, _spans, out var n);
        for (var k = 0; k < n; k++)
        {
            var span = _spans[k];
            var part = raw.Slice(span.WindowOffset, span.Count);
            _reader.Read(span.Piece, span.PieceOffset, part);
            if (span.Piece.Sensitivity is { } counts) Scale(part, (float)(1 / counts));
        }
        return raw.Length - covered + Preprocessor.ZeroNonFinite(raw);
    }

    // Counts → physical units (--gain stationxml): one multiply per sample, vectorised by TensorPrimitives.
    private static void Scale(Span<float> x, float factor) => System.Numerics.Tensors.TensorPrimitives.Multiply(x, factor, x);
}
