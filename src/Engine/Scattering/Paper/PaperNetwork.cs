using System.Numerics;
using Seiscat.Engine.Signal;

namespace Seiscat.Engine.Scattering.Paper;

/// <summary>
/// The learnable deep scattering network of Seydoux et al. (2020), forward and backward, for one configuration and one
/// set of wavelet parameters (immutable, shared by threads; each thread runs windows through a <see cref="PaperWorker"/>).
/// <para>
/// Layer l takes n_l = bins / stride^l samples per path (the window at layer 0, the previous layer's moduli after), extends
/// them symmetrically to the period P = 2n_l (the paper pads its patches with SYMMETRIC reflections; over a whole
/// period the reflection repeats, so the convolution is an exact circular one of length P), transforms once, multiplies
/// by each analytic wavelet, and keeps every stride-th output sample: the product spectrum is folded onto P / stride
/// bins and inverse-transformed at that length. U = |x ⋆ ψ| on the first n_l / stride of those samples is the next
/// layer's input, its mean over the window the pooled coefficient S (one vector per window: the window is the paper's
/// pooling block).
/// </para>
/// Features per channel, order by order: log(max(S1, floor)), then log(max(S_{l+1} / (S_l of its parent + ε), floor)).
/// </summary>
public sealed class PaperNetwork
{
    public PaperConfig Config { get; }
    public HermiteFilterBank[] Banks { get; }
    public int Depth => Banks.Length;
    /// <summary>n_l: samples per path entering layer l.</summary>
    public int[] InputLength { get; }
    /// <summary>Paths entering layer l (1, J0, J0·J1, …).</summary>
    public int[] InputPaths { get; }
    /// <summary>Paths leaving layer l (J0, J0·J1, …): its pooled coefficients per channel.</summary>
    public int[] Paths { get; }
    public int FeaturesPerChannel { get; }

    public PaperNetwork(PaperConfig config)
    {
        Config = config;
        var d = config.Layers.Count;
        InputLength = new int[d];
        InputPaths = new int[d];
        Paths = new int[d];
        Banks = new HermiteFilterBank[d];
        var rate = config.SamplingRate;
        for (var l = 0; l < d; l++)
        {
            InputLength[l] = l == 0 ? config.Bins : InputLength[l - 1] / config.Stride;
            InputPaths[l] = l == 0 ? 1 : Paths[l - 1];
            Paths[l] = InputPaths[l] * config.Layers[l].Filters;
            var (m, p) = config.Parameters(l);
            Banks[l] = new HermiteFilterBank(config.Layers[l], config.Knots, 2 * InputLength[l], rate, m, p);
            rate /= config.Stride;
        }
        FeaturesPerChannel = Paths.Sum();
        Coefficients = BuildMeta();
    }

    /// <summary>Feature values per window for C channels.</summary>
    public int OutputLength(int channels) => channels * FeaturesPerChannel;

    /// <summary>Where layer l's features of channel c start in a row of C channels (order-major, then channel, then path).</summary>
    public int Offset(int layer, int channel, int channels)
    {
        var offset = 0;
        for (var l = 0; l < layer; l++) offset += channels * Paths[l];
        return offset + channel * Paths[layer];
    }

    /// <summary>Per-channel path metadata for C = 1 (order, j1, j2, nominal centre frequencies of the first two wavelets).</summary>
    public IReadOnlyList<CoefficientMeta> Coefficients { get; }

    /// <summary>Metadata of a row of C channels, in the row's order.</summary>
    public IEnumerable<CoefficientMeta> CoefficientsFor(int channels)
    {
        for (var l = 0; l < Depth; l++)
            for (var c = 0; c < channels; c++)
                foreach (var m in Coefficients.Where(m => m.Order == l + 1)) yield return m with { Channel = c };
    }

    /// <summary>The nominal centre frequency of layer l's wavelet j: (layer rate / 2) / s_j.</summary>
    public double NominalCenterHz(int l, int j) => Banks[l].SamplingRate / 2 / Banks[l].Scales[j];

    /// <summary>Bytes of one worker's buffers for C channels.</summary>
    public long WorkspaceBytes(int channels)
    {
        long complexes = 0, reals = 0;
        for (var l = 0; l < Depth; l++)
        {
            var outputs = InputLength[l] / Config.Stride;
            complexes += (long)InputPaths[l] * (InputLength[l] + 1) + (long)Paths[l] * outputs;
            reals += (long)Paths[l] * (2 * outputs + 2); // U and its gradient, S and its gradient
        }
        return channels * (16 * complexes + 8 * reals) + 16L * 4 * Config.Bins + 8L * OutputLength(channels) * 2;
    }

    public PaperWorker NewWorker() => new(this);

    private List<CoefficientMeta> BuildMeta()
    {
        var list = new List<CoefficientMeta>();
        var paths = new List<int[]> { Array.Empty<int>() };
        for (var l = 0; l < Depth; l++)
        {
            var j = Banks[l].Count;
            paths = paths.SelectMany(p => Enumerable.Range(0, j).Select(i => p.Append(i).ToArray())).ToList();
            foreach (var p in paths)
                list.Add(new CoefficientMeta(l + 1, 0, p[0], p.Length > 1 ? p[1] : -1, NominalCenterHz(0, p[0]),
                    p.Length > 1 ? NominalCenterHz(1, p[1]) : double.NaN, p));
        }
        return list;
    }
}

/// <summary>
/// Per-thread state of a <see cref="PaperNetwork"/> in double (learning and the gradient checks; `features` runs
/// <see cref="PaperFloatWorker"/>): runs windows forward and, after a forward pass, backward from the gradient with
/// respect to the features to the gradient with respect to every filter's spectrum.
/// </summary>
public sealed class PaperWorker
{
    private PaperNetwork _net;
    private ChannelState[] _states = [];
    private readonly Complex[] _period;  // P-length scratch (largest P)
    private readonly Complex[] _fold;    // P/stride scratch

    internal PaperWorker(PaperNetwork net)
    {
        _net = net;
        _period = new Complex[2 * net.Config.Bins];
        _fold = new Complex[2 * net.Config.Bins / net.Config.Stride];
    }

    private sealed class ChannelState
    {
        public readonly Complex[][] X;      // per layer: input paths × (n + 1) spectrum
        public readonly Complex[][] Y;      // per layer: paths × outputs, before the modulus
        public readonly double[][] U;       // per layer: paths × outputs, the moduli (next layer's input)
        public readonly double[][] S;       // per layer: pooled coefficient per path
        public readonly double[][] GU;      // per layer: gradient with respect to U
        public readonly double[][] GS;

        public ChannelState(PaperNetwork net)
        {
            var d = net.Depth;
            X = new Complex[d][];
            Y = new Complex[d][];
            U = new double[d][];
            S = new double[d][];
            GU = new double[d][];
            GS = new double[d][];
            for (var l = 0; l < d; l++)
            {
                var outputs = net.InputLength[l] / net.Config.Stride;
                X[l] = new Complex[net.InputPaths[l] * (net.InputLength[l] + 1)];
                Y[l] = new Complex[net.Paths[l] * outputs];
                U[l] = new double[net.Paths[l] * outputs];
                S[l] = new double[net.Paths[l]];
                GU[l] = new double[net.Paths[l] * outputs];
                GS[l] = new double[net.Paths[l]];
            }
        }
    }

    public PaperNetwork Network => _net;

    /// <summary>Runs another network of the same shape (the learner's next step) in these buffers, instead of new ones.</summary>
    public PaperWorker Use(PaperNetwork net)
    {
        if (!net.InputLength.SequenceEqual(_net.InputLength) || !net.Paths.SequenceEqual(_net.Paths) || net.Config.Stride != _net.Config.Stride)
            throw new ArgumentException("a worker can only take a network of its own shape", nameof(net));
        _net = net;
        return this;
    }

    /// <summary>Window (channels × bins) → features (double), keeping what <see cref="Backward"/> needs.</summary>
    public void Forward(ReadOnlySpan<double> window, int channels, Span<double> features)
    {
        var net = _net;
        var n = net.Config.Bins;
        if (_states.Length < channels) _states = [.. _states, .. Enumerable.Range(0, channels - _states.Length).Select(_ => new ChannelState(net))];
        for (var c = 0; c < channels; c++)
        {
            var st = _states[c];
            for (var l = 0; l < net.Depth; l++)
            {
                var length = net.InputLength[l];
                for (var s = 0; s < net.InputPaths[l]; s++)
                {
                    var x = l == 0 ? window.Slice(c * n, n) : st.U[l - 1].AsSpan(s * length, length);
                    ForwardPath(l, s, x, st);
                }
            }
            for (var l = 0; l < net.Depth; l++) PaperFeatures.Compute(net, l, st.S, features.Slice(net.Offset(l, c, channels), net.Paths[l]));
        }
    }

    // One input path of layer l: symmetric extension, one transform, then per wavelet: product folded onto P/stride bins,
    // inverse transform, first n/stride samples, modulus, mean.
    private void ForwardPath(int l, int s, ReadOnlySpan<double> x, ChannelState st)
    {
        var net = _net;
        var n = x.Length;
        var period = 2 * n;
        var stride = net.Config.Stride;
        var foldLength = period / stride;
        var outputs = n / stride;
        var buffer = _period.AsSpan(0, period);
        for (var i = 0; i < n; i++) buffer[i] = buffer[period - 1 - i] = new Complex(x[i], 0);
        Radix2Fft.Of(period).Forward(buffer);
        var spectrum = st.X[l].AsSpan(s * (n + 1), n + 1);
        buffer[..(n + 1)].CopyTo(spectrum);
        var bank = net.Banks[l];
        var fold = _fold.AsSpan(0, foldLength);
        var inverse = Radix2Fft.Of(foldLength);
        for (var i = 0; i < bank.Count; i++)
        {
            var psi = bank.Spectrum(i);
            fold.Clear();
            // Bins 0..n folded onto P/stride, block by block (no modulo per bin).
            for (var start = 0; start <= n; start += foldLength)
            {
                var end = Math.Min(n + 1, start + foldLength);
                var z = fold[..(end - start)];
                var xs = spectrum[start..end];
                var h = psi[start..end];
                for (var r = 0; r < z.Length; r++) z[r] += xs[r] * h[r];
            }
            inverse.Inverse(fold);
            var path = s * bank.Count + i;
            var y = st.Y[l].AsSpan(path * outputs, outputs);
            var u = st.U[l].AsSpan(path * outputs, outputs);
            double sum = 0;
            for (var m = 0; m < outputs; m++)
            {
                y[m] = fold[m] / period;
                u[m] = y[m].Magnitude;
                sum += u[m];
            }
            st.S[l][path] = sum / outputs;
        }
    }

    /// <summary>
    /// After <see cref="Forward"/> on the same window: adds to <paramref name="gSpectra"/> (per layer, per wavelet, bins
    /// 0..P/2) the gradient of a loss whose gradient with respect to the features is <paramref name="gFeatures"/>.
    /// </summary>
    public void Backward(ReadOnlySpan<double> gFeatures, int channels, Complex[][][] gSpectra)
    {
        var net = _net;
        for (var c = 0; c < channels; c++)
        {
            var st = _states[c];
            foreach (var gs in st.GS) Array.Clear(gs);
            for (var l = 0; l < net.Depth; l++)
                PaperFeatures.Backward(net, l, st.S, gFeatures.Slice(net.Offset(l, c, channels), net.Paths[l]), st.GS);
            PooledBackward(st, gSpectra);
        }
    }

    /// <summary>Stage hook for the gradient checks: the pooled coefficients of channel c at layer l after <see cref="Forward"/>.</summary>
    internal double[] Pooled(int channel, int layer) => _states[channel].S[layer];

    /// <summary>Stage hook: backward from given gradients with respect to channel c's pooled coefficients (per layer).</summary>
    internal void BackwardFromPooled(int channel, double[][] gPooled, Complex[][][] gSpectra)
    {
        var st = _states[channel];
        for (var l = 0; l < _net.Depth; l++) gPooled[l].CopyTo(st.GS[l], 0);
        PooledBackward(st, gSpectra);
    }

    // Pooling (mean), modulus, decimated convolution, symmetric extension: from ∂L/∂S of every layer to ∂L/∂Ψ.
    private void PooledBackward(ChannelState st, Complex[][][] gSpectra)
    {
        var net = _net;
        foreach (var gu in st.GU) Array.Clear(gu);
        for (var l = net.Depth - 1; l >= 0; l--)
        {
            var outputs = net.InputLength[l] / net.Config.Stride;
            for (var path = 0; path < net.Paths[l]; path++)
            {
                var share = st.GS[l][path] / outputs;
                if (share == 0) continue;
                var gu = st.GU[l].AsSpan(path * outputs, outputs);
                for (var m = 0; m < outputs; m++) gu[m] += share;
            }
            for (var s = 0; s < net.InputPaths[l]; s++) BackwardPath(l, s, st, gSpectra[l], l > 0 ? st.GU[l - 1] : null);
        }
    }

    private void BackwardPath(int l, int s, ChannelState st, Complex[][] gSpectra, double[]? gParent)
    {
        var net = _net;
        var n = net.InputLength[l];
        var period = 2 * n;
        var stride = net.Config.Stride;
        var foldLength = period / stride;
        var outputs = n / stride;
        var bank = net.Banks[l];
        var spectrum = st.X[l].AsSpan(s * (n + 1), n + 1);
        var gx = _period.AsSpan(0, period);
        gx.Clear(); // gradient with respect to this input's spectrum, bins 0..n
        var fold = _fold.AsSpan(0, foldLength);
        var forward = Radix2Fft.Of(foldLength);
        var any = false;
        for (var i = 0; i < bank.Count; i++)
        {
            var path = s * bank.Count + i;
            var gu = st.GU[l].AsSpan(path * outputs, outputs);
            var y = st.Y[l].AsSpan(path * outputs, outputs);
            fold.Clear();
            var nonzero = false;
            for (var m = 0; m < outputs; m++)
            {
                var magnitude = y[m].Magnitude;
                if (gu[m] == 0 || magnitude == 0) continue;
                fold[m] = y[m] * (gu[m] / magnitude);
                nonzero = true;
            }
            if (!nonzero) continue;
            any = true;
            forward.Forward(fold); // adjoint of the unnormalised inverse transform
            var psi = bank.Spectrum(i);
            var gPsi = gSpectra[i];
            var scale = 1.0 / period;
            for (var start = 0; start <= n; start += foldLength)
            {
                var end = Math.Min(n + 1, start + foldLength);
                for (var k = start; k < end; k++)
                {
                    var g = fold[k - start] * scale;
                    gPsi[k] += Complex.Conjugate(spectrum[k]) * g;
                    gx[k] += Complex.Conjugate(psi[k]) * g;
                }
            }
        }
        if (gParent is null || !any) return;
        Radix2Fft.Of(period).Inverse(gx); // x_ext real: ∂L/∂x_ext[j] = Re Σ_k G[k] e^{+2πikj/P}
        var gp = gParent.AsSpan(s * n, n);
        for (var j = 0; j < n; j++) gp[j] += gx[j].Real + gx[period - 1 - j].Real;
    }

    /// <summary>Fresh zeroed gradient buffers: per layer, per wavelet, bins 0..P/2.</summary>
    public static Complex[][][] NewSpectrumGradient(PaperNetwork net) =>
        net.Banks.Select(b => Enumerable.Range(0, b.Count).Select(_ => new Complex[b.Length / 2 + 1]).ToArray()).ToArray();
}
