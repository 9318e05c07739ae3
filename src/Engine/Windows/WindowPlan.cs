using Seiscat.Engine.Common;
using Seiscat.Engine.Io;

namespace Seiscat.Engine.Windows;

/// <summary>How windows that touch missing data are treated.</summary>
public enum GapPolicy
{
    /// <summary>Only windows fully covered by every component (default).</summary>
    Skip,
    /// <summary>
    /// Windows at least half covered by data: across gaps shorter than a window, and half a window into longer gaps
    /// and past the record's ends; missing samples are zero and counted in the gap fraction.
    /// </summary>
    ZeroFill,
}

/// <summary>How window indices run: station by station (each station's windows in time order), or time by time (every
/// station's window at one start, then the next start) — the order a DAS matrix is read in, since all its channels
/// share each stored row.</summary>
public enum WindowOrder { StationMajor, TimeMajor }

/// <summary>Where one component's samples for a window come from: a piece and a sample range in it, and where they go in the window.</summary>
public readonly record struct PieceSpan(ChannelPiece Piece, long PieceOffset, int WindowOffset, int Count);

/// <summary>
/// Every window of an archive, addressed by a dense index without materialising the list (a terabyte holds ~10⁸
/// windows). Windows start on a global UTC grid, t = k·step (k integer), so the same instant gets the same window
/// whatever files, shards or stations are processed together; within a station each component is cut at the sample
/// nearest to t (components whose starts differ by less than half a sample are thereby aligned).
/// Index order is station-major, then time, unless <see cref="WindowOrder.TimeMajor"/> is asked for.
/// </summary>
public sealed class WindowPlan
{
    private readonly UnitRecord[] _units;
    private readonly double[] _rates;
    private readonly long[] _windowNs;
    private readonly List<Interval>[] _intervals;
    private readonly long[] _stationFirst; // cumulative window counts, length stations + 1

    private readonly record struct Interval(long FirstK, long Count, long FirstIndex);

    // Time-major order: grid steps [FirstK, EndK) in which the same stations have windows, each step holding one window
    // per station in station order.
    private readonly record struct Segment(long FirstK, long EndK, int[] Stations, long FirstIndex);
    private readonly Segment[] _segments = [];

    public WindowOrder Order { get; }

    private readonly int[] _windowSamples;

    /// <summary>Raw samples per window: the same for every station unless their rates differ (then the largest, for
    /// buffers; <see cref="WindowSamplesOf"/> gives each station's).</summary>
    public int WindowSamples { get; }
    public long StepNs { get; }
    public GapPolicy Gaps { get; }
    public long Count => _stationFirst[^1];
    public IReadOnlyList<UnitRecord> Units => _units;

    public WindowPlan(IReadOnlyList<UnitRecord> stations, int windowSamples, long stepNs, GapPolicy gaps, WindowOrder order = WindowOrder.StationMajor)
        : this(stations, stations.Select(_ => windowSamples).ToArray(), stepNs, gaps, order) { }

    /// <param name="windowSamples">Raw samples per window of each station (stations at different rates).</param>
    public WindowPlan(IReadOnlyList<UnitRecord> stations, IReadOnlyList<int> windowSamples, long stepNs, GapPolicy gaps,
        WindowOrder order = WindowOrder.StationMajor)
    {
        Order = order;
        if (windowSamples.Count != stations.Count) throw new ArgumentException("one window length per station", nameof(windowSamples));
        if (windowSamples.Count > 0 && windowSamples.Min() is var least and < 1)
            throw new SeiscatException($"window of {least} samples is impossible; use at least one sample");
        if (stepNs < 1) throw new SeiscatException($"step of {stepNs} ns is impossible; use a positive step");
        _units = stations.ToArray();
        _windowSamples = windowSamples.ToArray();
        WindowSamples = _windowSamples.Length == 0 ? 1 : _windowSamples.Max();
        StepNs = stepNs;
        Gaps = gaps;
        _rates = new double[_units.Length];
        _windowNs = new long[_units.Length];
        _intervals = new List<Interval>[_units.Length];
        _stationFirst = new long[_units.Length + 1];
        for (var s = 0; s < _units.Length; s++)
        {
            _rates[s] = _units[s].Rate;
            var windowNs = _windowNs[s] = (long)Math.Round(_windowSamples[s] * 1e9 / _rates[s]);
            var halfSample = (long)(0.5e9 / _rates[s]);
            _intervals[s] = [];
            var index = _stationFirst[s];
            foreach (var (a, e) in Coverage(_units[s], gaps, halfSample, windowNs))
            {
                var firstK = IntegerMath.CeilDiv(a - halfSample, stepNs);
                var lastK = IntegerMath.FloorDiv(e - windowNs + halfSample, stepNs);
                if (lastK < firstK) continue;
                _intervals[s].Add(new Interval(firstK, lastK - firstK + 1, index));
                index += lastK - firstK + 1;
            }
            _stationFirst[s + 1] = index;
        }
        if (order == WindowOrder.TimeMajor) _segments = Segments();
    }

    private Segment[] Segments()
    {
        var bounds = _intervals.SelectMany(l => l.SelectMany(iv => new[] { iv.FirstK, iv.FirstK + iv.Count })).Distinct().Order().ToArray();
        var segments = new List<Segment>();
        long index = 0;
        var cursor = new int[_units.Length]; // per station, its first interval that may still contain the step
        for (var b = 0; b + 1 < bounds.Length; b++)
        {
            var k = bounds[b];
            var active = new List<int>();
            for (var s = 0; s < _units.Length; s++)
            {
                var list = _intervals[s];
                while (cursor[s] < list.Count && list[cursor[s]].FirstK + list[cursor[s]].Count <= k) cursor[s]++;
                if (cursor[s] < list.Count && list[cursor[s]].FirstK <= k) active.Add(s);
            }
            if (active.Count == 0) continue;
            segments.Add(new Segment(k, bounds[b + 1], active.ToArray(), index));
            index += (bounds[b + 1] - k) * active.Count;
        }
        return segments.ToArray();
    }

    public double RateOf(int station) => _rates[station];

    /// <summary>Raw samples per window at this station's rate.</summary>
    public int WindowSamplesOf(int station) => _windowSamples[station];

    /// <summary>Window duration at this station's rate.</summary>
    public long WindowNsOf(int station) => _windowNs[station];

    /// <summary>Index of the first window of a station and how many it has (station-major order: there they are
    /// consecutive).</summary>
    public (long First, long Count) RangeOf(int station) => Order == WindowOrder.StationMajor
        ? (_stationFirst[station], _stationFirst[station + 1] - _stationFirst[station])
        : throw new InvalidOperationException("a time-major plan interleaves the stations' windows");

    /// <summary>The station and the grid start time of window <paramref name="index"/>.</summary>
    public (int Station, long StartNs) Locate(long index)
    {
        if ((ulong)index >= (ulong)Count) throw new ArgumentOutOfRangeException(nameof(index));
        if (Order == WindowOrder.TimeMajor)
        {
            int a = 0, z = _segments.Length - 1;
            while (a < z)
            {
                var mid = (a + z + 1) / 2;
                if (_segments[mid].FirstIndex <= index) a = mid; else z = mid - 1;
            }
            var seg = _segments[a];
            var within = index - seg.FirstIndex;
            return (seg.Stations[within % seg.Stations.Length], (seg.FirstK + within / seg.Stations.Length) * StepNs);
        }
        var s = Array.BinarySearch(_stationFirst, index);
        s = s >= 0 ? s : ~s - 1;
        while (_stationFirst[s + 1] <= index) s++; // skip stations without windows
        var list = _intervals[s];
        int lo = 0, hi = list.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (list[mid].FirstIndex <= index) lo = mid; else hi = mid - 1;
        }
        var iv = list[lo];
        return (s, (iv.FirstK + (index - iv.FirstIndex)) * StepNs);
    }

    /// <summary>
    /// The piece ranges that fill component <paramref name="component"/> of a window starting at <paramref name="startNs"/>;
    /// returns how many window samples they cover (the rest is missing). Spans are written to <paramref name="spans"/>.
    /// </summary>
    public int Resolve(int station, int component, long startNs, Span<PieceSpan> spans, out int spanCount)
    {
        var rate = _rates[station];
        var pieces = _units[station].Pieces[component];
        spanCount = 0;
        var covered = 0;
        for (var p = 0; p < pieces.Count; p++)
        {
            var pc = pieces[p];
            // Sample of this piece nearest to the window start (may be negative or past its end).
            var first = (long)Math.Round((startNs - pc.StartNs) * rate / 1e9);
            var from = Math.Max(0, first);
            var to = Math.Min(pc.Samples, first + _windowSamples[station]);
            if (to <= from) continue;
            var windowOffset = (int)(from - first);
            // Overlapping pieces: samples already filled by an earlier piece win.
            if (spanCount > 0)
            {
                var prev = spans[spanCount - 1];
                var prevEnd = prev.WindowOffset + prev.Count;
                if (windowOffset < prevEnd)
                {
                    from += prevEnd - windowOffset;
                    windowOffset = prevEnd;
                    if (to <= from) continue;
                }
            }
            if (spanCount == spans.Length) break;
            spans[spanCount++] = new PieceSpan(pc, from, windowOffset, (int)(to - from));
            covered += (int)(to - from);
        }
        return covered;
    }

    // Skip: intersection over components of each component's union of pieces. ZeroFill: union over everything,
    // bridging gaps shorter than a window (longer gaps would only make all-zero windows).
    private static List<(long A, long E)> Coverage(UnitRecord s, GapPolicy gaps, long halfSample, long windowNs)
    {
        List<(long A, long E)> Union(IEnumerable<ChannelPiece> pieces)
        {
            var tolerance = gaps == GapPolicy.ZeroFill ? windowNs : halfSample;
            var merged = new List<(long A, long E)>();
            foreach (var p in pieces.Where(p => p.Samples > 0).OrderBy(p => p.StartNs))
            {
                if (merged.Count > 0 && p.StartNs <= merged[^1].E + tolerance)
                    merged[^1] = (merged[^1].A, Math.Max(merged[^1].E, p.EndNs));
                else merged.Add((p.StartNs, p.EndNs));
            }
            return merged;
        }
        if (gaps == GapPolicy.ZeroFill)
        {
            // Windows at least half covered: each stretch grows by half a window on both sides.
            var grown = new List<(long A, long E)>();
            foreach (var (a, e) in Union(s.Pieces.SelectMany(p => p)))
            {
                var (ga, ge) = (a - windowNs / 2, e + windowNs / 2);
                if (grown.Count > 0 && ga <= grown[^1].E) grown[^1] = (grown[^1].A, Math.Max(grown[^1].E, ge));
                else grown.Add((ga, ge));
            }
            return grown;
        }
        var result = Union(s.Pieces[0]);
        for (var c = 1; c < s.Pieces.Count; c++)
        {
            var other = Union(s.Pieces[c]);
            var next = new List<(long, long)>();
            int i = 0, j = 0;
            while (i < result.Count && j < other.Count)
            {
                var a = Math.Max(result[i].A, other[j].A);
                var e = Math.Min(result[i].E, other[j].E);
                if (a < e) next.Add((a, e));
                if (result[i].E < other[j].E) i++; else j++;
            }
            result = next;
        }
        return result;
    }
}
