using System.Numerics;
using Seiscat.Engine.Kernels;
using Seiscat.Native.Fftw;

namespace Seiscat.Engine.Scattering.Paper;

/// <summary>
/// The paper network's forward pass for `features` and `scatter`: the same arithmetic as <see cref="PaperWorker"/>
/// (symmetric extension, one transform per input, products folded onto P/stride bins, inverse at that length, modulus,
/// mean) in single precision through FFTW, every layer's transforms batched into one plan call. Learning and the
/// gradient checks keep the double path; features agree with it to ~1e-5 (PaperFloatWorkerTests).
/// </summary>
public sealed class PaperFloatWorker : IWindowTransform
{
    private readonly PaperNetwork _net;
    private readonly Layer[] _layers;
    private readonly double[][] _pooled;

    private sealed class Layer
    {
        public required int N, Period, Fold, Outputs, Inputs, Filters;
        public required int RealRow, HalfRow, FoldRow; // floats between rows (multiples of 16: every row keeps FFTW's alignment)
        public required FftwPlan Forward, Backward;
        public required FftwBuffer Ext, Spectra, Folded, Analytic; // FFTW plans are out of place: the inverse writes Analytic
        public required float[][] Psi; // per wavelet: bins 0..n, interleaved re/im
    }

    public PaperFloatWorker(PaperNetwork net, FftwEffort effort = FftwEffort.Estimate)
    {
        _net = net;
        var stride = net.Config.Stride;
        _layers = new Layer[net.Depth];
        for (var l = 0; l < net.Depth; l++)
        {
            var n = net.InputLength[l];
            var period = 2 * n;
            var fold = period / stride;
            var bank = net.Banks[l];
            var (realRow, halfRow, foldRow) = (Pad16(period), Pad16(2 * (n + 1)), Pad16(2 * fold));
            var inputs = net.InputPaths[l];
            _layers[l] = new Layer
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
                Ext = new FftwBuffer(inputs * realRow),
                Spectra = new FftwBuffer(inputs * halfRow),
                Folded = new FftwBuffer(inputs * bank.Count * foldRow),
                Analytic = new FftwBuffer(inputs * bank.Count * foldRow),
                Psi = Enumerable.Range(0, bank.Count).Select(i =>
                {
                    var s = bank.Spectrum(i);
                    var f = new float[2 * (n + 1)];
                    for (var k = 0; k <= n; k++) { f[2 * k] = (float)s[k].Real; f[2 * k + 1] = (float)s[k].Imaginary; }
                    return f;
                }).ToArray(),
            };
        }
        _pooled = net.Paths.Select(p => new double[p]).ToArray();
        _features = net.Paths.Select(p => new double[p]).ToArray();
        _block = new float[_layers.Max(l => 2 * l.Fold)];
    }

    private readonly double[][] _features;
    private readonly float[] _block;

    private static int Pad16(int floats) => (floats + 15) / 16 * 16;

    public void Transform(ReadOnlySpan<float> window, int channels, Span<float> features)
    {
        var net = _net;
        var bins = net.Config.Bins;
        for (var c = 0; c < channels; c++)
        {
            var first = _layers[0];
            var ext = first.Ext.Span;
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
        var layer = _layers[l];
        layer.Forward.Execute(layer.Ext, layer.Spectra);
        var spectra = layer.Spectra.Span;
        var folded = layer.Folded.Span;
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
        layer.Backward.Execute(layer.Folded, layer.Analytic);
        var analytic = layer.Analytic.Span;
        var scale = 1f / layer.Period;
        var last = l == _layers.Length - 1;
        var next = last ? null : _layers[l + 1];
        var nextExt = next is null ? default : next.Ext.Span;
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
        foreach (var l in _layers)
        {
            l.Ext.Dispose();
            l.Spectra.Dispose();
            l.Folded.Dispose();
            l.Analytic.Dispose();
        }
    }
}
