namespace Seiscat.Engine.Common;

/// <summary>Uniform samples without replacement, in memory proportional to the sample (never to the population).</summary>
public static class Sampling
{
    /// <summary>
    /// Floyd's algorithm: <paramref name="take"/> distinct indices of [0, <paramref name="n"/>), every subset equally
    /// likely, in O(take) time and memory. <paramref name="below"/>(m) draws an index uniformly from [0, m): `fit` draws by
    /// scaling a double (<see cref="Xoshiro256.BelowByScaling"/>), `learn` by a 64-bit modulo
    /// (<see cref="Xoshiro256.BelowByModulo"/>) — both uniform to within 2⁻⁵³; each keeps its own so that the windows a
    /// seed draws, and so the outputs, stay what they were.
    /// </summary>
    public static HashSet<long> Floyd(long n, long take, Func<long, long> below)
    {
        var set = new HashSet<long>();
        for (var j = n - take; j < n; j++)
        {
            var t = below(j + 1);
            set.Add(set.Contains(t) ? j : t);
        }
        return set;
    }
}
