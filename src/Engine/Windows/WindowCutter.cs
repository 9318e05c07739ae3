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

    /// <summary>
    /// The one-component windows of several stations at one start — DAS channels, cut together: stations whose window
    /// is one stretch of consecutive columns of a matrix are read as one block (<see cref="SampleReader.TryReadColumns"/>),
    /// the rest one by one as <see cref="Cut"/> does. Window k goes to <c>raws[k·stride ..]</c>; its missing-sample count
    /// to <paramref name="missing"/>[k].
    /// </summary>
    public void CutMany(ReadOnlySpan<int> stations, long startNs, Span<float> raws, int stride, Span<int> missing)
    {
        if (_run.Length < stations.Length) _run = new ChannelPiece[stations.Length];
        var k = 0;
        while (k < stations.Length)
        {
            // The longest run from k of whole-window single stretches at the same offset of consecutive columns.
            var n = 0;
            long offset = -1;
            for (var j = k; j < stations.Length; j++)
            {
                var station = stations[j];
                var length = plan.WindowSamplesOf(station);
                if (length > stride || plan.Stations[station].ChannelIds.Count != 1) break;
                var covered = plan.Resolve(station, 0, startNs, _spans, out var spans);
                if (spans != 1 || covered != length || _spans[0].Piece.Sensitivity is not null) break;
                var span = _spans[0];
                if (n > 0 && (span.PieceOffset != offset || span.Piece.Row != _run[n - 1].Row + _run[n - 1].Stack || span.Piece.Stack != _run[0].Stack
                    || span.Piece.Dataset != _run[0].Dataset
                    || span.Piece.File != _run[0].File || length != plan.WindowSamplesOf(stations[k]))) break;
                offset = span.PieceOffset;
                _run[n++] = span.Piece;
            }
            var rows = n > 0 ? plan.WindowSamplesOf(stations[k]) : 0;
            if (n > 1 && _reader.TryReadColumns(_run.AsSpan(0, n), offset, rows, raws[(k * stride)..], stride))
            {
                // Integers are always finite: the NaN scan (another pass over the block) only for float storage.
                var integers = _run[0].Type.Class == Native.Hdf5.H5TypeClass.Integer;
                for (var j = 0; j < n; j++) missing[k + j] = integers ? 0 : Preprocessor.ZeroNonFinite(raws.Slice((k + j) * stride, rows));
                k += n;
                continue;
            }
            missing[k] = Cut(stations[k], 0, startNs, raws.Slice(k * stride, plan.WindowSamplesOf(stations[k])));
            k++;
        }
    }

    private ChannelPiece[] _run = [];

    // Counts → physical units (--gain stationxml): one multiply per sample, vectorised by TensorPrimitives.
    private static void Scale(Span<float> x, float factor) => System.Numerics.Tensors.TensorPrimitives.Multiply(x, factor, x);
}
