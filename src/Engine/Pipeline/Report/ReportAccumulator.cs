using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Writers;
using Seiscat.Engine.Linear;
using Seiscat.Engine.Mixture;
using Seiscat.Engine.Templates;

namespace Seiscat.Engine.Pipeline.Report;

/// <summary>
/// Gathers <see cref="ReportData"/> from predicted blocks as they are written, in row order (so sums do not depend on
/// threads): no second pass over the features and no re-reading of outputs. Memory: O(clusters × coefficients +
/// hours + 5000 projected points), plus clusters per (station, hour) for the station × time image, given up beyond
/// <see cref="StationHourCells"/> cells (≈ 100 stations over 20 years).
/// </summary>
public sealed class ReportAccumulator : IPredictionTap
{
    private const int ProjectedPoints = 5000;

    /// <summary>Most (station, hour) cells kept for the station × time image.</summary>
    public const int StationHourCells = 2_000_000;

    private readonly ClusterModel _model;
    private readonly FeatureSource _source;
    private readonly int[] _firstOrder;
    private readonly double[] _firstOrderHz;
    private readonly int _channels;
    private readonly long _stride;
    private readonly long[] _counts;
    private readonly double[] _probability;
    private readonly SortedDictionary<long, long[]> _perHour = [];
    private Dictionary<(int Station, long Hour), int[]>? _stationHours = [];
    private readonly long[,] _hourOfDay;
    private readonly double[,] _spectrum;
    private readonly List<(double, double, int)> _projection = [];
    private readonly RepresentativeWindow[] _representative;
    private readonly float[] _representativeGap;
    private readonly double[] _z, _scratch;
    private readonly UnitBackgrounds? _backgrounds;
    private readonly FibreTimeGrid? _fibre;

    public ReportAccumulator(ClusterModel model, FeatureSource source)
    {
        _model = model;
        _source = source;
        var k = model.Labels;
        var paths = source.ColumnPaths();
        var (order, channel, f1) = (paths.Order, paths.Channel, paths.F1Hz);
        _firstOrder = Enumerable.Range(0, source.Columns).Where(j => order[j] == 1 && paths.Statistic[j] < 0).ToArray();
        _channels = _firstOrder.Length == 0 ? 1 : _firstOrder.Max(j => channel[j]) + 1;
        var perChannel = Math.Max(1, _firstOrder.Length / _channels);
        _firstOrderHz = _firstOrder.Take(perChannel).Select(j => f1[j]).ToArray();
        _stride = Math.Max(1, source.Rows / ProjectedPoints);
        _counts = new long[k];
        _probability = new double[k];
        _hourOfDay = new long[k, 24];
        _spectrum = new double[k, _firstOrder.Length];
        _representative = Enumerable.Range(0, k).Select(c => new RepresentativeWindow(c, -1, double.PositiveInfinity, 0, "")).ToArray();
        _representativeGap = new float[k];
        _z = new double[model.Transform.OutputFeatures];
        _scratch = new double[model.Transform.ScratchLength];
        _backgrounds = UnitBackgrounds.ForPrediction(model, source);
        if (source.StationDistanceM is { } distance && source.HasStations && source.HasTimes && distance.Length == source.Stations.Length)
            _fibre = new FibreTimeGrid(source.Stations, distance, k, source.StepNs > 0 ? source.StepNs : source.WindowNs);
    }

    /// <summary>One block of predicted rows and the feature rows they came from (row-major, the source's columns).</summary>
    public void Add(PredictionBlock b, ReadOnlySpan<double> rows)
    {
        var d = _source.Columns;
        var floor = _model.Transform.Options.Floor > 0 ? _model.Transform.Options.Floor : 1e-12;
        var q = _z.Length;
        for (var i = 0; i < b.Count; i++)
        {
            var row = b.First + i;
            var c = b.Cluster[i];
            _counts[c]++;
            _probability[c] += b.Probability[i];
            if (_source.HasTimes)
            {
                var hour = (long)Math.Floor(b.StartNs[i] / 3.6e12);
                if (!_perHour.TryGetValue(hour, out var h)) _perHour[hour] = h = new long[_counts.Length];
                h[c]++;
                _hourOfDay[c, (int)(((hour % 24) + 24) % 24)]++;
                _fibre?.Add(b.Station[i], b.StartNs[i], c);
                if (_stationHours is { } grid && _source.HasStations)
                {
                    if (grid.TryGetValue((b.Station[i], hour), out var cell)) cell[c]++;
                    else if (grid.Count < StationHourCells) (grid[(b.Station[i], hour)] = new int[_counts.Length])[c]++;
                    else _stationHours = null;
                }
            }
            var x = rows.Slice(i * d, d);
            var level = FeatureTransform.FloorLevel(x, floor);
            for (var t = 0; t < _firstOrder.Length; t++) _spectrum[c, t] += Math.Log10(Math.Max(x[_firstOrder[t]], level));
            if (row % _stride == 0 && q >= 2)
            {
                _model.Transform.Transform(x, _backgrounds is { } bg ? bg.For(b.Station[i]) : default, _z, _scratch);
                _projection.Add((_z[0], _z[1], c));
            }
            // The templates' rule: a gap-free window first, then the nearest to the centre, then the earlier row.
            var best = _representative[c];
            if (best.Row < 0 || NearestWindows.Precedes(b.Gap[i], b.Distance[i], row, _representativeGap[c], best.Distance, best.Row))
            {
                _representative[c] = new RepresentativeWindow(c, row, b.Distance[i], _source.HasTimes ? b.StartNs[i] : 0,
                    _source.HasStations ? _source.Stations[b.Station[i]] : "");
                _representativeGap[c] = b.Gap[i];
            }
        }
    }

    public ReportData Result()
    {
        var k = _counts.Length;
        var probability = (double[])_probability.Clone();
        var spectrum = (double[,])_spectrum.Clone();
        for (var c = 0; c < k; c++)
        {
            if (_counts[c] > 0) probability[c] /= _counts[c];
            for (var t = 0; t < _firstOrder.Length; t++) spectrum[c, t] = _counts[c] > 0 ? spectrum[c, t] / _counts[c] : double.NaN;
        }
        return new ReportData
        {
            Clusters = k,
            Windows = _counts.Sum(),
            Counts = (long[])_counts.Clone(),
            MeanProbability = probability,
            PerHour = new SortedDictionary<long, long[]>(_perHour),
            HourOfDay = (long[,])_hourOfDay.Clone(),
            MeanSpectrum = spectrum,
            SpectrumFrequencies = _firstOrderHz,
            Channels = _channels,
            Projection = [.. _projection],
            Representatives = (RepresentativeWindow[])_representative.Clone(),
            WindowNs = _source.WindowNs,
            StationNames = _source.HasStations ? [.. _source.Stations] : [],
            StationHours = _fibre is null ? _stationHours?.ToDictionary(e => e.Key, e => e.Value) : null, // DAS: the channel × time image instead
            FibreTime = _fibre?.Result(),
        };
    }
}
