using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Storage;

namespace Seiscat.Engine.Windows;

/// <summary>
/// Reads an arbitrary stretch of a station's record (every component, at its own rate) with a mask of the samples no
/// piece covers or that are NaN/Inf: what template building and matching need beyond the fixed windows of a
/// <see cref="WindowPlan"/>. Samples are cut on the same rule as windows (each component at the sample nearest to the
/// start; overlapping pieces: the earlier wins). One reader per thread; readers share the archive's storage maps.
/// </summary>
public sealed class StretchReader(UnitRecord unit, ArchiveStorage storage)
{
    private readonly SampleReader _reader = new(storage, unit.ChannelIds.Count);
    public UnitRecord Unit => unit;
    public double Rate { get; } = unit.Rate;
    public int Components => unit.ChannelIds.Count;

    /// <summary>
    /// Fills <paramref name="data"/>[c] (all of one length n) with the samples from <paramref name="startNs"/> on and
    /// marks missing ones in <paramref name="missing"/> (length n; true = missing, the sample is 0). Returns how many
    /// samples of any component were missing.
    /// </summary>
    public long Read(long startNs, float[][] data, bool[] missing)
    {
        var n = data[0].Length;
        if (data.Length != Components || data.Any(d => d.Length != n) || missing.Length != n)
            throw new ArgumentException("one buffer per component, all as long as the mask");
        var plan = new WindowPlan([unit], n, 1, GapPolicy.ZeroFill);
        var spans = new PieceSpan[unit.Pieces.Max(p => p.Count) + 1];
        missing.AsSpan().Fill(true);
        var covered = new bool[n];
        for (var c = 0; c < Components; c++)
        {
            var x = data[c];
            Array.Clear(x);
            covered.AsSpan().Clear();
            plan.Resolve(0, c, startNs, spans, out var count);
            for (var k = 0; k < count; k++)
            {
                var s = spans[k];
                var part = x.AsSpan(s.WindowOffset, s.Count);
                _reader.Read(s.Piece, s.PieceOffset, part);
                if (s.Piece.Sensitivity is { } counts) System.Numerics.Tensors.TensorPrimitives.Multiply(part, (float)(1 / counts), part);
                covered.AsSpan(s.WindowOffset, s.Count).Fill(true);
            }
            // A sample is usable when every component has it.
            for (var i = 0; i < n; i++)
            {
                if (!float.IsFinite(x[i])) { x[i] = 0; covered[i] = false; }
                if (c == 0) missing[i] = !covered[i];
                else missing[i] |= !covered[i];
            }
        }
        long gaps = 0;
        foreach (var m in missing) if (m) gaps++;
        return gaps;
    }
}
