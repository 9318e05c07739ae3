namespace Seiscat.Engine.Mixture;

/// <summary>
/// Rows in fixed blocks of <see cref="Rows"/>, processed in parallel. Per-row work writes its own rows; reductions give
/// each block its own partial array and add the partials in block order — so results never depend on the thread
/// count or the scheduler. Bodies capture arrays and slice them (no spans smuggled into the loop as pointers).
/// </summary>
internal static class RowBlocks
{
    public const int Rows = 4096;

    public static int Count(int n) => (n + Rows - 1) / Rows;

    /// <summary>body(first, count) for every block.</summary>
    public static void ForEach(int n, ParallelOptions parallel, Action<int, int> body)
        => Parallel.For(0, Count(n), parallel, b => body(b * Rows, Math.Min(Rows, n - b * Rows)));

    /// <summary>Σ over blocks of body(first, count, partial), each partial zeroed, added in block order.</summary>
    public static double[] Sum(int n, int length, ParallelOptions parallel, Action<int, int, double[]> body)
    {
        var partial = new double[Count(n)][];
        Parallel.For(0, partial.Length, parallel, b =>
        {
            var part = new double[length];
            body(b * Rows, Math.Min(Rows, n - b * Rows), part);
            partial[b] = part;
        });
        var total = new double[length];
        foreach (var part in partial)
            for (var t = 0; t < length; t++) total[t] += part[t];
        return total;
    }
}
