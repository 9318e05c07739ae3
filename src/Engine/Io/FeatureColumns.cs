namespace Seiscat.Engine.Io;

/// <summary>
/// Per-column description of the feature matrix (one entry per scattering path and channel). Statistic: −1 for the
/// configured pooling, else the extra first-order pooling the column holds (<c>(int)Pooling</c>: 0 mean, 1 max, 2 median).
/// Computed: 1 for a computed column, 0 for a pruned second-order path (always 0); null when nothing is pruned.
/// </summary>
public sealed record FeatureColumns(int[] Order, int[] Channel, int[] J1, int[] J2, double[] F1Hz, double[] F2Hz, int[] Statistic,
    int[]? Computed = null)
{
    public int Count => Order.Length;
}
