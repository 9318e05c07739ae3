namespace Seiscat.Engine.Scattering.Paper;

/// <summary>
/// The paper's features from the pooled coefficients of one channel, and their gradient: layer 0 gives log(max(S0, floor));
/// layer l > 0 gives log(max(S_l / (S_{l−1} of the parent path + ε), floor)) — each order relative to its parent, so
/// a path's level says how strongly its parent's envelope is modulated at that frequency, not how loud the window is.
/// </summary>
public static class PaperFeatures
{
    public static void Compute(PaperNetwork net, int l, double[][] pooled, Span<double> features)
    {
        var (eps, floor) = (net.Config.Epsilon, net.Config.Floor);
        var j = net.Banks[l].Count;
        for (var path = 0; path < net.Paths[l]; path++)
        {
            var r = l == 0 ? pooled[0][path] : pooled[l][path] / (pooled[l - 1][path / j] + eps);
            features[path] = Math.Log(Math.Max(r, floor));
        }
    }

    /// <summary>Adds to <paramref name="gPooled"/> the gradient through layer l's features (at the floor: 0).</summary>
    public static void Backward(PaperNetwork net, int l, double[][] pooled, ReadOnlySpan<double> gFeatures, double[][] gPooled)
    {
        var (eps, floor) = (net.Config.Epsilon, net.Config.Floor);
        var j = net.Banks[l].Count;
        for (var path = 0; path < net.Paths[l]; path++)
        {
            var g = gFeatures[path];
            if (g == 0) continue;
            if (l == 0)
            {
                if (pooled[0][path] > floor) gPooled[0][path] += g / pooled[0][path];
                continue;
            }
            var parent = path / j;
            var den = pooled[l - 1][parent] + eps;
            var r = pooled[l][path] / den;
            if (!(r > floor)) continue;
            var gr = g / r;
            gPooled[l][path] += gr / den;
            gPooled[l - 1][parent] -= gr * pooled[l][path] / (den * den);
        }
    }
}
