using Seiscat.Engine.Evaluation;

namespace Seiscat.Engine.Mixture;

/// <summary>Agreement between clusterings.</summary>
public static class Stability
{
    /// <summary>Adjusted Rand index (Hubert &amp; Arabie 1985): 1 = identical partitions up to relabelling, ~0 = chance.</summary>
    public static double AdjustedRandIndex(IReadOnlyList<int> a, IReadOnlyList<int> b) => Contingency.Of(a, b).AdjustedRand();
}
