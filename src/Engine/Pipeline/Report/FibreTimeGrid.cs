using Seiscat.Engine.Common;
using Seiscat.Engine.Io;

namespace Seiscat.Engine.Pipeline.Report;

/// <summary>Accumulates <see cref="FibreTime"/> from labelled windows of a DAS archive (stations are channels).</summary>
internal sealed class FibreTimeGrid
{
    public const int MaxChannelBins = 400;
    private const int CellBudget = 400_000;

    private readonly int _clusters;
    private readonly int[] _binOfStation;
    private readonly double[] _binPositions;
    private readonly bool _inMetres;
    private long _binNs;
    private long _firstNs = long.MaxValue;
    private Dictionary<(long Time, int Channel), int[]> _cells = [];

    public FibreTimeGrid(IReadOnlyList<string> stations, double[] distanceM, int clusters, long stepNs)
    {
        _clusters = clusters;
        _binNs = Math.Max(1, stepNs);
        _inMetres = distanceM.All(double.IsFinite);
        // Channels in fibre order (by locus), then grouped into equal bins.
        var position = stations.Select((s, i) => _inMetres ? distanceM[i] : ArchiveSelection.DasLocus(s) ?? i).ToArray();
        var order = Enumerable.Range(0, stations.Count).OrderBy(i => position[i]).ToArray();
        var bins = Math.Min(MaxChannelBins, stations.Count);
        _binOfStation = new int[stations.Count];
        var sums = new double[bins];
        var counts = new int[bins];
        for (var r = 0; r < order.Length; r++)
        {
            var b = (int)((long)r * bins / order.Length);
            _binOfStation[order[r]] = b;
            sums[b] += position[order[r]];
            counts[b]++;
        }
        _binPositions = sums.Select((s, b) => s / Math.Max(1, counts[b])).ToArray();
    }

    public void Add(int station, long startNs, int cluster)
    {
        if (_firstNs == long.MaxValue) _firstNs = startNs; // windows arrive time-major: the first is the earliest
        var key = (IntegerMath.FloorDiv(startNs - _firstNs, _binNs), _binOfStation[station]);
        if (!_cells.TryGetValue(key, out var cell))
        {
            if (_cells.Count >= CellBudget) Coarsen();
            key = (IntegerMath.FloorDiv(startNs - _firstNs, _binNs), _binOfStation[station]);
            if (!_cells.TryGetValue(key, out cell)) _cells[key] = cell = new int[_clusters];
        }
        cell[cluster]++;
    }

    // Twice as long time bins: cells (t, c) and (t + 1, c) of even t join.
    private void Coarsen()
    {
        _binNs *= 2;
        var joined = new Dictionary<(long Time, int Channel), int[]>();
        foreach (var ((t, c), counts) in _cells)
        {
            var key = (IntegerMath.FloorDiv(t, 2), c);
            if (joined.TryGetValue(key, out var sum))
                for (var k = 0; k < counts.Length; k++) sum[k] += counts[k];
            else joined[key] = counts;
        }
        _cells = joined;
    }


    public FibreTime? Result()
        => _cells.Count == 0 ? null : new FibreTime(_firstNs, _binNs, _binPositions, _inMetres, new Dictionary<(long, int), int[]>(_cells));
}
