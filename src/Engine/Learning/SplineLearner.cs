using System.Numerics;
using Seiscat.Engine.Common;
using Seiscat.Engine.Linear;
using Seiscat.Engine.Mixture;
using Seiscat.Engine.Scattering.Paper;

namespace Seiscat.Engine.Learning;

/// <summary>Where learning stands after an epoch: everything a resumed run needs, and what the outputs report.</summary>
public sealed record LearnState
{
    /// <summary>Epochs done (0: nothing learned yet).</summary>
    public required int Epoch { get; init; }
    /// <summary>Raw spline parameters, per layer: values then derivatives (2K per layer).</summary>
    public required double[] Parameters { get; init; }
    public required Adam Optimiser { get; init; }
    /// <summary>The last epoch's mixture (warm start of the next): weights, means, precisions (K × D × D).</summary>
    public GmmInit? Mixture { get; init; }
    /// <summary>Per epoch: mean loss over its gradient steps; the loss of the refitted PCA + mixture before them; rate; seconds.</summary>
    public required List<EpochRecord> History { get; init; }
    /// <summary>The parameters after each epoch, the initial ones first (Epoch + 1 entries).</summary>
    public required List<double[]> Trajectory { get; init; }
}

/// <param name="Loss">Mean batch loss over the epoch's gradient steps.</param>
/// <param name="RefitLoss">Mean loss over every sampled window under the PCA and mixture refitted at the epoch's start.</param>
/// <param name="StepsLoss">The same model's mean loss over every sampled window after the epoch's steps.</param>
public sealed record EpochRecord(int Epoch, double Loss, double RefitLoss, double StepsLoss, double LearningRate, double Seconds);

/// <summary>
/// The paper's training loop on a sample of windows held in memory: at the start of each epoch the features of every
/// window are computed, PCA (5 components) and a full-covariance Gaussian mixture (10 components, warm-started from the
/// previous epoch) are refitted on them and then held fixed; mini-batches in a seeded order take Adam steps on the
/// spline parameters of every layer along the analytic gradient of the mean negative log-likelihood. The learning rate
/// is divided by 5 at half and at three quarters of the epochs. Windows are processed in fixed groups whose gradients
/// are summed in group order, so the result is the same bits for any thread count.
/// </summary>
public sealed class SplineLearner
{
    /// <summary>Windows whose gradients one task sums in order (fixed, so thread count never changes a bit).</summary>
    public const int GroupSize = 4;

    private readonly PaperConfig _initial;
    private readonly double[] _windows;
    private readonly int _count, _channels;
    private readonly int _threads;
    private readonly ulong _seed;
    // Workers hold ≈ 3 MB per channel of forward state: reused across steps, or every batch would leave them as garbage.
    private readonly System.Collections.Concurrent.ConcurrentBag<PaperWorker> _workers = [];

    // Per group of a batch: its windows' gradients with respect to every wavelet's spectrum (reused batch after batch).
    private Complex[][][][] _spectra = [];

    private PaperWorker Rent(PaperNetwork network) => _workers.TryTake(out var w) ? w.Use(network) : network.NewWorker();

    public SplineLearner(PaperConfig config, double[] windows, int count, int channels, int threads, ulong seed)
    {
        _initial = config;
        _windows = windows;
        _count = count;
        _channels = channels;
        _threads = Math.Max(1, threads);
        _seed = seed;
        if (count < Math.Max(2, config.GmmComponents))
            throw new SeiscatException($"{count} windows cannot fit a {config.GmmComponents}-component mixture; draw a larger {Setting.Sample.Ref()}");
    }

    public int ParametersPerLayer => 2 * _initial.Knots;

    /// <summary>The state before any learning: the configuration's wavelets (initial unless the config holds learned ones).</summary>
    public LearnState Start()
    {
        var theta = new double[_initial.Layers.Count * ParametersPerLayer];
        for (var l = 0; l < _initial.Layers.Count; l++)
        {
            var (m, p) = _initial.Parameters(l);
            m.CopyTo(theta, l * ParametersPerLayer);
            p.CopyTo(theta, l * ParametersPerLayer + _initial.Knots);
        }
        return new LearnState { Epoch = 0, Parameters = theta, Optimiser = new Adam(theta.Length), History = [], Trajectory = [theta.ToArray()] };
    }

    /// <summary>The configuration with the state's wavelets.</summary>
    public PaperConfig ConfigOf(double[] theta) => _initial.WithParameters(Enumerable.Range(0, _initial.Layers.Count)
        .Select(l => (theta.AsSpan(l * ParametersPerLayer, _initial.Knots).ToArray(),
            theta.AsSpan(l * ParametersPerLayer + _initial.Knots, _initial.Knots).ToArray())).ToList());

    /// <summary>The learning rate of an epoch (0-based) of <paramref name="epochs"/>.</summary>
    public double RateAt(int epoch, int epochs) =>
        _initial.LearningRate * (2 * epoch >= epochs ? 0.2 : 1) * (4 * epoch >= 3 * epochs ? 0.2 : 1);

    /// <summary>Runs epoch state.Epoch + 1 of <paramref name="epochs"/> and returns the new state.</summary>
    public LearnState Epoch(LearnState state, int epochs, CancellationToken cancel = default)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var theta = state.Parameters.ToArray();
        var network = new PaperNetwork(ConfigOf(theta));
        var d = network.OutputLength(_channels);
        var features = Features(network, cancel);
        var (pca, gmm, refit) = FitModel(features, d, state.Mixture);
        var loss = new ClusteringLoss(pca, gmm);
        var rate = RateAt(state.Epoch, epochs);
        var order = Enumerable.Range(0, _count).ToArray();
        var rng = new Xoshiro256(_seed, 0x1ea5UL + (ulong)state.Epoch);
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = (int)(rng.NextUInt64() % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
        var adam = new Adam(theta.Length)
        {
            FirstMoment = state.Optimiser.FirstMoment.ToArray(),
            SecondMoment = state.Optimiser.SecondMoment.ToArray(),
        };
        adam.Steps = state.Optimiser.Steps;
        double lossSum = 0;
        var batches = 0;
        for (var start = 0; start < _count; start += _initial.Batch)
        {
            cancel.ThrowIfCancellationRequested();
            var batch = order.AsSpan(start, Math.Min(_initial.Batch, _count - start)).ToArray();
            var (value, gradient) = BatchGradient(network, loss, batch);
            adam.Step(theta, gradient, rate);
            network = new PaperNetwork(ConfigOf(theta));
            lossSum += value;
            batches++;
        }
        // The same fixed model on every window after the steps: how much the epoch's steps lowered the loss they descend.
        var after = MeanLoss(loss, Features(network, cancel), d);
        var record = new EpochRecord(state.Epoch + 1, lossSum / Math.Max(1, batches), refit, after, rate, clock.Elapsed.TotalSeconds);
        return new LearnState
        {
            Epoch = state.Epoch + 1,
            Parameters = theta,
            Optimiser = adam,
            Mixture = new GmmInit(gmm.Means.ToArray(), gmm.Weights.ToArray(), gmm.Precisions()),
            History = [.. state.History, record],
            Trajectory = [.. state.Trajectory, theta.ToArray()],
        };
    }

    /// <summary>Features (count × d) of every window under a network, computed in parallel, placed by window.</summary>
    public double[] Features(PaperNetwork network, CancellationToken cancel = default)
    {
        var d = network.OutputLength(_channels);
        var features = new double[(long)_count * d];
        var bins = network.Config.Bins;
        var windowLength = _channels * bins;
        Parallel.For(0, (_count + GroupSize - 1) / GroupSize, new ParallelOptions { MaxDegreeOfParallelism = _threads, CancellationToken = cancel },
            () => Rent(network), (g, _, worker) =>
            {
                for (var w = g * GroupSize; w < Math.Min(_count, (g + 1) * GroupSize); w++)
                    worker.Forward(_windows.AsSpan(w * windowLength, windowLength), _channels, features.AsSpan(w * d, d));
                return worker;
            }, _workers.Add);
        return features;
    }

    /// <summary>PCA and the mixture on the features, as the paper refits them each epoch; and the mean loss under them.</summary>
    public (Pca Pca, GaussianMixture Mixture, double Loss) FitModel(double[] features, int d, GmmInit? warm)
    {
        var k = Math.Min(_initial.PcaComponents, Math.Min(_count, d));
        var pca = Pca.Fit(features, _count, d, k, out var z);
        // The covariance floor is relative to the projected features' spread: with scikit-learn's absolute 1e-6, a component
        // collapses onto a single outlying window, the loss's curvature there becomes 1/1e-6, and the first Adam step
        // raises the loss it descends (synthetic archive, 300 windows: 10.60 → 12.66 after one full-batch step of 1e-4).
        var spread = pca.ExplainedVariance.Average();
        var options = new GmmOptions
        {
            Components = _initial.GmmComponents,
            Covariance = CovarianceType.Full,
            Seed = _seed,
            Threads = _threads,
            RegCovar = Math.Max(1e-6, _initial.RegCovar * spread),
        };
        // Warm-started as the paper, and also from k-means: PCA is refitted too, so last epoch's mixture can sit in a rotated
        // basis, and EM from there stalls in a worse optimum (synthetic archive: 13.22 against 11.27). The better fit is kept.
        var cold = GaussianMixture.Fit(z, _count, k, options);
        var gmm = cold;
        if (warm is { } w && w.Means.Length == options.Components * k)
        {
            var warmed = GaussianMixture.Fit(z, _count, k, options, w);
            if (warmed.Score(z, _count) > cold.Score(z, _count)) gmm = warmed;
        }
        return (pca, gmm, MeanLoss(new ClusteringLoss(pca, gmm), features, d));
    }

    private double MeanLoss(ClusteringLoss loss, double[] features, int d)
    {
        var scratch = new double[d];
        double total = 0;
        for (var i = 0; i < _count; i++) total += loss.ValueAndGradient(features.AsSpan(i * d, d), scratch, 0);
        return total / _count;
    }

    /// <summary>Mean loss of a batch and its gradient with respect to the raw parameters (per layer: values, derivatives).</summary>
    public (double Loss, double[] Gradient) BatchGradient(PaperNetwork network, ClusteringLoss loss, int[] batch)
    {
        var d = network.OutputLength(_channels);
        var windowLength = _channels * network.Config.Bins;
        var groups = (batch.Length + GroupSize - 1) / GroupSize;
        if (_spectra.Length < groups)
            _spectra = [.. _spectra, .. Enumerable.Range(0, groups - _spectra.Length).Select(_ => PaperWorker.NewSpectrumGradient(network))];
        var spectra = _spectra;
        var losses = new double[groups];
        Parallel.For(0, groups, new ParallelOptions { MaxDegreeOfParallelism = _threads }, () => Rent(network), (g, _, worker) =>
        {
            var gSpectra = spectra[g];
            foreach (var layer in gSpectra) foreach (var filter in layer) Array.Clear(filter);
            var f = new double[d];
            var gf = new double[d];
            double sum = 0;
            for (var i = g * GroupSize; i < Math.Min(batch.Length, (g + 1) * GroupSize); i++)
            {
                var w = batch[i];
                worker.Forward(_windows.AsSpan(w * windowLength, windowLength), _channels, f);
                Array.Clear(gf);
                sum += loss.ValueAndGradient(f, gf, 1.0 / batch.Length);
                worker.Backward(gf, _channels, gSpectra);
            }
            losses[g] = sum;
            return worker;
        }, _workers.Add);
        var total = spectra[0];
        for (var g = 1; g < groups; g++)
            for (var l = 0; l < total.Length; l++)
                for (var i = 0; i < total[l].Length; i++)
                    for (var k = 0; k < total[l][i].Length; k++) total[l][i][k] += spectra[g][l][i][k];
        var gradient = new double[network.Depth * ParametersPerLayer];
        for (var l = 0; l < network.Depth; l++)
            network.Banks[l].Backward(total[l], gradient.AsSpan(l * ParametersPerLayer, _initial.Knots),
                gradient.AsSpan(l * ParametersPerLayer + _initial.Knots, _initial.Knots));
        return (losses.Sum() / batch.Length, gradient);
    }
}
