using Seiscat.Engine.Common;

namespace Seiscat.Engine.Mixture;

/// <summary>
/// k-means (Lloyd) with greedy k-means++ seeding (2 + ⌊ln k⌋ candidates per centre, as scikit-learn), n_init
/// restarts keeping the lowest inertia. Deterministic for a seed (xoshiro256**), sequential reductions.
/// </summary>
public sealed class KMeans
{
    public required int K { get; init; }
    public required double[] Centers { get; init; } // k × d
    public required double Inertia { get; init; }
    public required int Iterations { get; init; }

    public static KMeans Fit(ReadOnlySpan<double> x, int n, int d, int k, ulong seed, int nInit = 10, int maxIter = 300, double tol = 1e-4,
        int[]? labels = null)
    {
        if (k < 1 || k > n) throw new SeiscatException($"k-means with {k} clusters needs between 1 and the number of samples ({n})");
        // sklearn's tol is relative to the mean feature variance.
        var mean = new double[d];
        for (var i = 0; i < n; i++) for (var j = 0; j < d; j++) mean[j] += x[i * d + j] / n;
        double variance = 0;
        for (var i = 0; i < n; i++) for (var j = 0; j < d; j++) variance += (x[i * d + j] - mean[j]) * (x[i * d + j] - mean[j]);
        var tolerance = tol * variance / (n * d);
        KMeans? best = null;
        int[]? bestLabels = null;
        for (var run = 0; run < nInit; run++)
        {
            var rng = new Xoshiro256(seed, 100, (ulong)run);
            var centers = PlusPlus(x, n, d, k, rng);
            var assign = new int[n];
            var it = 0;
            for (; it < maxIter; it++)
            {
                Assign(x, n, d, centers, k, assign);
                var next = new double[k * d];
                var counts = new int[k];
                for (var i = 0; i < n; i++)
                {
                    counts[assign[i]]++;
                    for (var j = 0; j < d; j++) next[assign[i] * d + j] += x[i * d + j];
                }
                for (var c = 0; c < k; c++)
                    for (var j = 0; j < d; j++) next[c * d + j] = counts[c] > 0 ? next[c * d + j] / counts[c] : centers[c * d + j];
                double shift = 0;
                for (var t = 0; t < k * d; t++) shift += (next[t] - centers[t]) * (next[t] - centers[t]);
                centers = next;
                if (shift <= tolerance) { it++; break; }
            }
            var inertia = Assign(x, n, d, centers, k, assign);
            if (best is null || inertia < best.Inertia)
            {
                best = new KMeans { K = k, Centers = centers, Inertia = inertia, Iterations = it };
                bestLabels = assign;
            }
        }
        bestLabels!.CopyTo(labels ?? new int[n], 0);
        return best!;
    }

    /// <summary>Nearest centre (squared Euclidean, ties to the lowest index); returns the inertia.</summary>
    public static double Assign(ReadOnlySpan<double> x, int n, int d, ReadOnlySpan<double> centers, int k, Span<int> labels)
    {
        double inertia = 0;
        for (var i = 0; i < n; i++)
        {
            var best = double.PositiveInfinity;
            var arg = 0;
            for (var c = 0; c < k; c++)
            {
                double s = 0;
                for (var j = 0; j < d; j++) { var t = x[i * d + j] - centers[c * d + j]; s += t * t; }
                if (s < best) { best = s; arg = c; }
            }
            labels[i] = arg;
            inertia += best;
        }
        return inertia;
    }

    private static double[] PlusPlus(ReadOnlySpan<double> x, int n, int d, int k, Xoshiro256 rng)
    {
        var centers = new double[k * d];
        var trials = 2 + (int)Math.Log(k);
        var first = (int)(rng.NextDouble() * n) % n;
        x.Slice(first * d, d).CopyTo(centers);
        var closest = new double[n];
        for (var i = 0; i < n; i++) closest[i] = Distance2(x, i, centers, 0, d);
        for (var c = 1; c < k; c++)
        {
            var potential = closest.Sum();
            var bestCandidate = -1;
            var bestPotential = double.PositiveInfinity;
            for (var t = 0; t < trials; t++)
            {
                // Sample proportionally to the squared distance to the nearest chosen centre.
                var target = rng.NextDouble() * potential;
                var candidate = n - 1;
                double acc = 0;
                for (var i = 0; i < n; i++) { acc += closest[i]; if (acc >= target) { candidate = i; break; } }
                double pot = 0;
                for (var i = 0; i < n; i++) pot += Math.Min(closest[i], Distance2(x, i, x, candidate, d));
                if (pot < bestPotential) { bestPotential = pot; bestCandidate = candidate; }
            }
            x.Slice(bestCandidate * d, d).CopyTo(centers.AsSpan(c * d, d));
            for (var i = 0; i < n; i++) closest[i] = Math.Min(closest[i], Distance2(x, i, x, bestCandidate, d));
        }
        return centers;
    }

    private static double Distance2(ReadOnlySpan<double> a, int i, ReadOnlySpan<double> b, int j, int d)
    {
        double s = 0;
        for (var t = 0; t < d; t++) { var u = a[i * d + t] - b[j * d + t]; s += u * u; }
        return s;
    }
}
