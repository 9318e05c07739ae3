using System.Runtime.InteropServices;
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
    private readonly SampleReader _reader = new(storage, plan.Units.Count == 0 ? 1 : plan.Units.Max(s => s.ChannelIds.Count));
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
    /// The one-component windows of several stations at one start — DAS channels, cut together: a run of stations whose
    /// windows are made of the same stretches (one, or several across file joints and gaps) of consecutive columns of one
    /// matrix per stretch is read stretch by stretch as blocks (<see cref="SampleReader.TryReadColumns"/>); the rest one by
    /// one as <see cref="Cut"/> does. Window k goes to <c>raws[k·stride ..]</c>; its missing-sample count to
    /// <paramref name="missing"/>[k].
    /// </summary>
    public void CutMany(ReadOnlySpan<int> stations, long startNs, Span<float> raws, int stride, Span<int> missing)
    {
        var k = 0;
        while (k < stations.Length)
        {
            var n = Run(stations[k..], startNs, stride, out var spans, out var covered);
            var length = n > 0 ? plan.WindowSamplesOf(stations[k]) : 0;
            if (n > 1 && ReadRun(n, spans, k, raws, stride, length))
            {
                // Integers are always finite: the NaN scan (another pass over the block) only for float storage.
                var integers = _runs[0][0].Type.Class == Native.Hdf5.H5TypeClass.Integer;
                for (var j = 0; j < n; j++)
                    missing[k + j] = length - covered + (integers ? 0 : Preprocessor.ZeroNonFinite(raws.Slice((k + j) * stride, length)));
                k += n;
                continue;
            }
            missing[k] = Cut(stations[k], 0, startNs, raws.Slice(k * stride, plan.WindowSamplesOf(stations[k])));
            k++;
        }
    }

    // The longest run of stations from the first whose windows are the same stretches (piece offsets, window offsets and
    // counts) of consecutive columns (or stacks) of the same matrices; their pieces per stretch go to _runs.
    private int Run(ReadOnlySpan<int> stations, long startNs, int stride, out int spans, out int covered)
    {
        spans = 0;
        covered = 0;
        var n = 0;
        for (var j = 0; j < stations.Length; j++)
        {
            var station = stations[j];
            var length = plan.WindowSamplesOf(station);
            if (length > stride || plan.Units[station].ChannelIds.Count != 1) break;
            var cover = plan.Resolve(station, 0, startNs, _spans, out var count);
            if (count == 0 || Scaled(_spans.AsSpan(0, count))) break;
            if (n == 0)
            {
                (spans, covered) = (count, cover);
                if (_template.Length < count) _template = new PieceSpan[count];
                _spans.AsSpan(0, count).CopyTo(_template);
                while (_runs.Count < count) _runs.Add([]);
            }
            else if (count != spans || cover != covered || length != plan.WindowSamplesOf(stations[0]) || !Neighbours(count, n)) break;
            for (var i = 0; i < count; i++)
            {
                if (_runs[i].Length <= n) Array.Resize(ref CollectionsMarshal.AsSpan(_runs)[i], Math.Max(16, 2 * (n + 1)));
                _runs[i][n] = _spans[i].Piece;
            }
            n++;
        }
        return n;
    }

    // Stretch by stretch, this station's piece is the next column of the run's matrix at the same place.
    private bool Neighbours(int count, int n)
    {
        for (var i = 0; i < count; i++)
        {
            var (t, s, previous) = (_template[i], _spans[i], _runs[i][n - 1]);
            if (s.PieceOffset != t.PieceOffset || s.WindowOffset != t.WindowOffset || s.Count != t.Count || s.Piece.Stack != t.Piece.Stack
                || s.Piece.Row != previous.Row + previous.Stack || s.Piece.Dataset != t.Piece.Dataset || s.Piece.File != t.Piece.File) return false;
        }
        return true;
    }

    private bool ReadRun(int n, int spans, int k, Span<float> raws, int stride, int length)
    {
        var windows = raws.Slice(k * stride, (n - 1) * stride + length);
        if (spans > 1 || _template[0].Count != length)
            for (var j = 0; j < n; j++) windows.Slice(j * stride, length).Clear(); // what no stretch covers stays 0
        for (var i = 0; i < spans; i++)
        {
            var t = _template[i];
            if (!_reader.TryReadColumns(_runs[i].AsSpan(0, n), t.PieceOffset, t.Count, windows[t.WindowOffset..], stride)) return false;
        }
        return true;
    }

    private static bool Scaled(ReadOnlySpan<PieceSpan> spans)
    {
        foreach (var s in spans) if (s.Piece.Sensitivity is not null) return true;
        return false;
    }

    private readonly List<ChannelPiece[]> _runs = [];
    private PieceSpan[] _template = [];

    // Counts → physical units (--gain stationxml): one multiply per sample, vectorised by TensorPrimitives.
    private static void Scale(Span<float> x, float factor) => System.Numerics.Tensors.TensorPrimitives.Multiply(x, factor, x);
}
