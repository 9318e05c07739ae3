using System.Numerics;
using Seiscat.Engine.Common;
using Seiscat.Engine.Learning;
using Seiscat.Engine.Scattering.Paper;

namespace Seiscat.Engine.Tests.Scattering;

/// <summary>
/// The paper network's backward pass, stage by stage and end to end, against central finite differences in double:
/// relative error ≤ 1e-4 for every component at least 1 % of the largest (smaller ones: absolute error ≤ 1e-4 × the
/// largest). Parameters start from the initial wavelet plus noise: at the symmetric Gabor start the wavelet's peak
/// can tie between two samples, where the peak division has no derivative.
/// </summary>
public class PaperGradientTests(ITestOutputHelper output)
{
    public static readonly PaperConfig Small = new(100, 256, [new PaperLayer(2, 4), new PaperLayer(3, 2), new PaperLayer(3, 1)]);

    public static PaperConfig Perturbed(PaperConfig config, ulong seed, double size = 0.05)
    {
        var rng = new Xoshiro256(seed, 7);
        return config.WithParameters(Enumerable.Range(0, config.Layers.Count).Select(_ =>
        {
            var (m, p) = HermiteWavelet.Initial(config.Knots);
            return (m.Select(v => v + size * rng.NextGaussian()).ToArray(), p.Select(v => v + size * rng.NextGaussian()).ToArray());
        }).ToList());
    }

    /// <summary>Deterministic test windows: noise with an emergent, decaying transient of a seeded frequency.</summary>
    public static double[] Windows(int count, int channels, int bins, ulong seed)
    {
        var rng = new Xoshiro256(seed, 11);
        var x = new double[count * channels * bins];
        for (var w = 0; w < count; w++)
        {
            var f = rng.Uniform(0.05, 0.3);
            var onset = rng.Uniform(0.2, 0.6) * bins;
            var amplitude = w % 2 == 0 ? 0.2 : rng.Uniform(1, 4);
            for (var c = 0; c < channels; c++)
                for (var t = 0; t < bins; t++)
                {
                    var e = t < onset ? 0 : Math.Exp(-(t - onset) / (0.1 * bins));
                    x[(w * channels + c) * bins + t] = rng.NextGaussian() + amplitude * e * Math.Sin(2 * Math.PI * f * t + c);
                }
        }
        return x;
    }

    private static double MaxError(double[] analytic, double[] numeric)
    {
        var scale = numeric.Select(Math.Abs).Concat(analytic.Select(Math.Abs)).Max();
        Assert.True(scale > 0, "the gradient is identically zero: the check would prove nothing");
        return analytic.Zip(numeric, (a, f) => Math.Abs(a - f) / (Math.Abs(f) >= 1e-2 * scale ? Math.Abs(f) : scale)).Max();
    }

    private static double[] Central(Func<double[], double> f, double[] theta, double h = 1e-6)
    {
        var g = new double[theta.Length];
        for (var i = 0; i < theta.Length; i++)
        {
            var t = theta.ToArray();
            t[i] += h;
            var up = f(t);
            t[i] -= 2 * h;
            g[i] = (up - f(t)) / (2 * h);
        }
        return g;
    }

    private void Report(string stage, double error)
    {
        output.WriteLine($"{stage,-58} max relative error {error:E2}");
        Assert.True(error <= 1e-4, $"{stage}: {error:E2} > 1e-4");
    }

    [Fact]
    public void Spline_sampling_and_centring()
    {
        var rng = new Xoshiro256(3);
        var grid = new HermiteWavelet.Grid(7, Math.Pow(2, 5 / 4.0));
        var weights = Enumerable.Range(0, grid.Count).Select(_ => rng.NextGaussian()).ToArray();
        double L(double[] theta)
        {
            var (m, p) = HermiteWavelet.Effective(theta.AsSpan(0, 7), theta.AsSpan(7, 7));
            var psi = new double[grid.Count];
            grid.Sample(m, p, psi);
            return psi.Zip(weights, (a, b) => a * b).Sum();
        }
        var theta = Perturbed(Small, 1).Layers[0] is var l ? l.Values!.Concat(l.Derivatives!).ToArray() : [];
        var gm = new double[7];
        var gp = new double[7];
        grid.SampleAdjoint(weights, gm, gp);
        HermiteWavelet.EffectiveAdjoint(gm, gp);
        Report("spline sampling + centring (θ → ψ)", MaxError([.. gm, .. gp], Central(L, theta)));
        Assert.Equal(0, gm[0]);
        Assert.Equal(0, gp[6]);
    }

    [Fact]
    public void Peak_division_and_analytic_spectrum()
    {
        var config = Perturbed(Small, 2);
        var rng = new Xoshiro256(4);
        foreach (var layer in new[] { 0, 2 })
        {
            var period = layer == 0 ? 512 : 32; // layer 2 wraps its longest wavelet several times around the period
            var weights = Enumerable.Range(0, config.Layers[layer].Filters)
                .Select(_ => Enumerable.Range(0, period / 2 + 1).Select(_ => new Complex(rng.NextGaussian(), rng.NextGaussian())).ToArray()).ToArray();
            HermiteFilterBank Bank(double[] theta) => new(config.Layers[layer], 7, period, 100, theta.AsSpan(0, 7), theta.AsSpan(7, 7));
            double L(double[] theta)
            {
                var bank = Bank(theta);
                double sum = 0;
                for (var i = 0; i < bank.Count; i++)
                    for (var k = 0; k <= period / 2; k++) sum += (Complex.Conjugate(weights[i][k]) * bank.Spectrum(i)[k]).Real;
                return sum;
            }
            var theta = config.Layers[layer].Values!.Concat(config.Layers[layer].Derivatives!).ToArray();
            var gm = new double[7];
            var gp = new double[7];
            Bank(theta).Backward(weights, gm, gp);
            Report($"peak division + analytic DFT (ψ → Ψ), period {period}", MaxError([.. gm, .. gp], Central(L, theta)));
        }
    }

    [Fact]
    public void Strided_convolution_modulus_and_pooling()
    {
        var net = new PaperNetwork(Perturbed(Small, 5));
        var x = Windows(1, 1, Small.Bins, 6);
        var rng = new Xoshiro256(8);
        var weights = net.Paths.Select(p => Enumerable.Range(0, p).Select(_ => rng.NextGaussian()).ToArray()).ToArray();
        var worker = net.NewWorker();
        var f = new double[net.OutputLength(1)];
        double L()
        {
            worker.Forward(x, 1, f);
            double sum = 0;
            for (var l = 0; l < net.Depth; l++) sum += worker.Pooled(0, l).Zip(weights[l], (a, b) => a * b).Sum();
            return sum;
        }
        L();
        var gSpectra = PaperWorker.NewSpectrumGradient(net);
        worker.BackwardFromPooled(0, weights, gSpectra);
        // Perturb spectrum bins of every layer's wavelets (real and imaginary parts) in place: layer 0's reach every later layer.
        var analytic = new List<double>();
        var numeric = new List<double>();
        const double H = 1e-6;
        for (var l = 0; l < net.Depth; l++)
            for (var i = 0; i < net.Banks[l].Count; i += 2)
            {
                var spectrum = net.Banks[l].SpectrumStorage(i);
                for (var k = 1; k < spectrum.Length; k += Math.Max(1, spectrum.Length / 6))
                    foreach (var direction in new[] { Complex.One, Complex.ImaginaryOne })
                    {
                        var keep = spectrum[k];
                        spectrum[k] = keep + H * direction;
                        var up = L();
                        spectrum[k] = keep - H * direction;
                        var down = L();
                        spectrum[k] = keep;
                        numeric.Add((up - down) / (2 * H));
                        analytic.Add(direction == Complex.One ? gSpectra[l][i][k].Real : gSpectra[l][i][k].Imaginary);
                    }
            }
        Report($"decimated convolution + modulus + pooling (Ψ → S), {analytic.Count} bins", MaxError([.. analytic], [.. numeric]));
    }

    [Fact]
    public void Parent_normalisation_and_log()
    {
        var net = new PaperNetwork(Small);
        var rng = new Xoshiro256(9);
        var pooled = net.Paths.Select(p => Enumerable.Range(0, p).Select(_ => Math.Exp(rng.Uniform(-4, 1))).ToArray()).ToArray();
        var weights = net.Paths.Select(p => Enumerable.Range(0, p).Select(_ => rng.NextGaussian()).ToArray()).ToArray();
        double L(double[] flat)
        {
            var s = Unflatten(flat, net.Paths);
            double sum = 0;
            for (var l = 0; l < net.Depth; l++)
            {
                var f = new double[net.Paths[l]];
                PaperFeatures.Compute(net, l, s, f);
                sum += f.Zip(weights[l], (a, b) => a * b).Sum();
            }
            return sum;
        }
        var g = net.Paths.Select(p => new double[p]).ToArray();
        for (var l = 0; l < net.Depth; l++) PaperFeatures.Backward(net, l, pooled, weights[l], g);
        Report("parent normalisation + floored log (S → f)", MaxError(g.SelectMany(a => a).ToArray(), Central(L, pooled.SelectMany(a => a).ToArray(), 1e-8)));
    }

    private static double[][] Unflatten(double[] flat, int[] lengths)
    {
        var result = new double[lengths.Length][];
        var at = 0;
        for (var l = 0; l < lengths.Length; l++) { result[l] = flat.AsSpan(at, lengths[l]).ToArray(); at += lengths[l]; }
        return result;
    }

    [Fact]
    public void Mixture_likelihood_of_the_projection()
    {
        var (learner, _, features, d) = Sampled(40);
        var (pca, gmm, _) = learner.FitModel(features, d, null);
        var loss = new ClusteringLoss(pca, gmm);
        for (var row = 0; row < 3; row++)
        {
            var f = features.AsSpan(row * d, d).ToArray();
            var g = new double[d];
            loss.ValueAndGradient(f, g, 1);
            var numeric = Central(t => loss.ValueAndGradient(t, new double[d], 0), f);
            Report($"GMM negative log-likelihood of the PCA projection (f → L), row {row}", MaxError(g, numeric));
        }
    }

    private static (SplineLearner Learner, PaperNetwork Net, double[] Features, int D) Sampled(int count, int channels = 1)
    {
        var config = Perturbed(Small, 12) with { PcaComponents = 3, GmmComponents = 2 };
        var windows = Windows(count, channels, Small.Bins, 13);
        var learner = new SplineLearner(config, windows, count, channels, threads: 2, seed: 5);
        var net = new PaperNetwork(config);
        return (learner, net, learner.Features(net), net.OutputLength(channels));
    }

    [Fact]
    public void End_to_end_from_the_spline_parameters_to_the_batch_loss()
    {
        var (learner, net, features, d) = Sampled(24, channels: 2);
        var (pca, gmm, _) = learner.FitModel(features, d, null);
        var loss = new ClusteringLoss(pca, gmm);
        int[] batch = [3, 0, 7, 11, 5, 20];
        var theta = learner.Start().Parameters;
        var (_, gradient) = learner.BatchGradient(net, loss, batch);
        var numeric = Central(t => learner.BatchGradient(new PaperNetwork(learner.ConfigOf(t)), loss, batch).Loss, theta);
        Report("end to end (θ of 3 layers → mean batch loss, 2 channels)", MaxError(gradient, numeric));
        Assert.Contains(gradient.Skip(2 * 14), v => v != 0); // the last layer learns too
    }
}
