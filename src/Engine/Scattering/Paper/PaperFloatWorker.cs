using System.Numerics;
using Seiscat.Engine.Kernels;
using Seiscat.Native.Fftw;

namespace Seiscat.Engine.Scattering.Paper;

/// <summary>
/// What every <see cref="PaperFloatWorker"/> of one network shares: per layer its sizes, its two FFTW plans (r2c of all
/// inputs, inverse of all folded products) and its wavelets' spectra in float. Made once (planned under wisdom when the
/// effort asks for it) and immutable, like <see cref="ScatteringPlan"/>.
/// </summary>
public sealed class PaperFloatPlan
{
    internal sealed class Layer
    {
        public required int N, Period, Fold, Outputs, Inputs, Filters;
        public required int RealRow, HalfRow, FoldRow; // floats between rows (multiples of 16: every row keeps FFTW's alignment)
        public required FftwPlan Forward, Backward;
        public required float[][] Psi; // per wavelet: bins 0..n, interleaved re/im
    }

    public PaperNetwork Network { get; }
    internal Layer[] Layers { get; }

    public PaperFloatPlan(PaperNetwork net, FftwEffort effort = FftwEffort.Estimate)
    {
        Network = net;
        var stride = net.Config.Stride;
        Layers = new Layer[net.Depth];
        for (var l = 0; l < net.Depth; l++)
        {
            var n = net.InputLength[l];
            var period = 2 * n;
            var fold = period / stride;
            var bank = net.Banks[l];
            var (realRow, halfRow, foldRow) = (Pad16(period), Pad16(2 * (n + 1)), Pad16(2 * fold));
            var inputs = net.InputPaths[l];
            Layers[l] = new Layer
            {
                N = n,
                Period = period,
                Fold = fold,
                Outputs = n / stride,
                Inputs = inputs,
                Filters = bank.Count,
                RealRow = realRow,
                HalfRow = halfRow,
                FoldRow = foldRow,
                Forward = FftwPlan.Get(new PlanKey(FftKind.RealToComplex, period, inputs, realRow, halfRow / 2, effort)),
                Backward = FftwPlan.Get(new PlanKey(FftKind.ComplexBackward, fold, inputs * bank.Count, foldRow / 2, foldRow / 2, effort)),
                Psi = Enumerable.Range(0, bank.Count).Select(i =>
                {
                    var s = bank.Spectrum(i);
                    var f = new float[2 * (n + 1)];
                    for (var k = 0; k <= n; k++) { f[2 * k] = (float)s[k].Real; f[2 * k + 1] = (float)s[k].Imaginary; }
                    return f;
                }).ToArray(),
            };
        }
    }

    /// <summary>A plan made with the FFTW wisdom file when the effort is not Estimate (estimate plans stay wisdom-free, so
    /// their bytes are the same on every machine).</summary>
    public static PaperFloatPlan Of(PaperNetwork net, FftwEffort effort) =>
        effort == FftwEffort.Estimate ? new PaperFloatPlan(net, effort) : FftwPlan.WithWisdom(() => new PaperFloatPlan(net, effort));

    public PaperFloatWorker NewWorker() => new(this);

    private static int Pad16(int floats) => (floats + 15) / 16 * 16;
}

/// <summary>
/// The paper network's forward pass for `features` and `scatter`: the same arithmetic as <see cref="PaperWorker"/>
/// (symmetric extension, one transform per input, products folded onto P/stride bins, inverse at that length, modulus,
/// mean) in single precision through FFTW, every layer's transforms batched into one plan call. Learning and the
/// gradient checks keep the double path; features agree with it within 4.1e-4 in log (PaperFloatWorkerTests).
/// </summary>
public sealed class PaperFloatWorker : IWindowTransform
{
    private readonly PaperNetwork _net;
    private readonly PaperFloatPlan.Layer[] _layers;
    private readonly Buffers[] _buffers;
    private readonly double[][] _pooled;
    private readonly double[][] _features;
    private readonly float[] _block;

    // FFTW plans are out of place: the inverse writes Analytic.
    private sealed record Buffers(FftwBuffer Ext, FftwBuffer Spectra, FftwBuffer Folded, FftwBuffer Analytic);

    internal PaperFloatWorker(PaperFloatPlan plan)
    {
        _net = plan.Network;
        _layers = plan.Layers;
        _buffers = _layers.Select(l => new Buffers(new FftwBuffer(l.Inputs * l.RealRow), new FftwBuffer(l.Inputs * l.HalfRow),
            new FftwBuffer(l.Inputs * l.Filters * l.FoldRow), new FftwBuffer(l.Inputs * l.Filters * l.FoldRow))).ToArray();
        _pooled = _net.Paths.Select(p => new double[p]).ToArray();
        _features = _net.Paths.Select(p => new double[p]).ToArray();
        _block = new float[_layers.Max(l => 2 * l.Fold)];
    }


    public void Transform(ReadOnlySpan<float> window, int channels, Span<float> features)
    {
        var net = _net;
        var bins = net.Config.Bins;
        for (var c = 0; c < channels; c++)
        {
            var first = _layers[0];
            var ext = _buffers[0].Ext.Span;
            var x = window.Slice(c * bins, bins);
            for (var i = 0; i < bins; i++) ext[i] = ext[first.Period - 1 - i] = x[i];
            for (var l = 0; l < net.Depth; l++) RunLayer(l);
            for (var l = 0; l < net.Depth; l++)
            {
                var f = _features[l];
                PaperFeatures.Compute(net, l, _pooled, f);
                var at = net.Offset(l, c, channels);
                for (var p = 0; p < f.Length; p++) features[at + p] = (float)f[p];
            }
        }
    }

    private void RunLayer(int l)
    {
        var (layer, buffers) = (_layers[l], _buffers[l]);
        layer.Forward.Execute(buffers.Ext, buffers.Spectra);
        var spectra = buffers.Spectra.Span;
        var folded = buffers.Folded.Span;
        var (n, fold) = (layer.N, layer.Fold);
        for (var s = 0; s < layer.Inputs; s++)
        {
            var x = spectra.Slice(s * layer.HalfRow, 2 * (n + 1));
            for (var i = 0; i < layer.Filters; i++)
            {
                var z = folded.Slice((s * layer.Filters + i) * layer.FoldRow, 2 * fold);
                var psi = layer.Psi[i];
                // Bins 0..n folded onto P/stride, block by block: the first block's products land in place, later blocks add.
                ComplexMultiply.Apply(x[..(2 * fold)], psi.AsSpan(0, 2 * fold), z);
                for (var start = fold; start <= n; start += fold)
                {
                    var count = 2 * (Math.Min(n + 1, start + fold) - start);
                    var t = _block.AsSpan(0, count);
                    ComplexMultiply.Apply(x.Slice(2 * start, count), psi.AsSpan(2 * start, count), t);
                    var r = 0;
                    for (; r <= count - Vector<float>.Count; r += Vector<float>.Count)
                        (new Vector<float>(z[r..]) + new Vector<float>(t[r..])).CopyTo(z[r..]);
                    for (; r < count; r++) z[r] += t[r];
                }
            }
        }
        layer.Backward.Execute(buffers.Folded, buffers.Analytic);
        var analytic = buffers.Analytic.Span;
        var scale = 1f / layer.Period;
        var last = l == _layers.Length - 1;
        var next = last ? null : _layers[l + 1];
        var nextExt = next is null ? default : _buffers[l + 1].Ext.Span;
        var pooled = _pooled[l];
        for (var path = 0; path < layer.Inputs * layer.Filters; path++)
        {
            var y = analytic.Slice(path * layer.FoldRow, 2 * layer.Outputs);
            double sum = 0;
            for (var m = 0; m < layer.Outputs; m++)
            {
                var u = MathF.Sqrt(y[2 * m] * y[2 * m] + y[2 * m + 1] * y[2 * m + 1]) * scale;
                sum += u;
                if (next is not null) nextExt[path * next.RealRow + m] = nextExt[path * next.RealRow + next.Period - 1 - m] = u;
            }
            pooled[path] = sum / layer.Outputs;
        }
    }

    public void Dispose()
    {
        foreach (var b in _buffers)
        {
            b.Ext.Dispose();
            b.Spectra.Dispose();
            b.Folded.Dispose();
            b.Analytic.Dispose();
        }
    }
}
