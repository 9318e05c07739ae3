using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Storage;
using Seiscat.Engine.Mixture;
using Seiscat.Engine.Windows;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Pipeline;

/// <summary>
/// What the report shows, gathered in one streaming pass over features.h5 through the model: windows per cluster
/// and UTC hour, hour-of-day profiles, mean first-order log10 spectra per cluster and channel, a 2-D projection
/// sample (first two reduced components, ≤ 5000 windows, evenly spaced), and each cluster's window closest to its centre.
/// </summary>
public sealed class ReportData
{
    public required int Clusters { get; init; }
    public required long Windows { get; init; }
    public required long[] Counts { get; init; }
    public required double[] MeanProbability { get; init; }
    /// <summary>UTC hour (ns / 3.6e12) → count per cluster.</summary>
    public required SortedDictionary<long, long[]> PerHour { get; init; }
    public required long[,] HourOfDay { get; init; }          // cluster × 24
    public required double[,] MeanSpectrum { get; init; }     // cluster × (channel·J1)
    public required double[] SpectrumFrequencies { get; init; } // J1 centre frequencies (Hz)
    public required int Channels { get; init; }
    public required List<(double X, double Y, int Cluster)> Projection { get; init; }
    public required (long Row, double Distance, long StartNs, string Station)[] Representative { get; init; }
    public required long WindowNs { get; init; }
    public required IReadOnlyList<string> Inputs { get; init; }
    private Archive? _archive; // scanned once, on the first waveform asked for

    public static ReportData Gather(ClusterModel model, FeatureSource source, IReadOnlyList<string> inputs)
    {
        var k = model.Clusters;
        var n = source.Rows;
        var d = source.Columns;
        var q = model.Transform.OutputFeatures;
        using var file = H5File.OpenRead(source.Path);
        int[] order = file.Exists("coefficients/order") ? file.OpenDataset("coefficients/order").ReadAll<int>() : Enumerable.Repeat(1, d).ToArray();
        int[] channel = file.Exists("coefficients/channel") ? file.OpenDataset("coefficients/channel").ReadAll<int>() : new int[d];
        double[] f1 = file.Exists("coefficients/f1_hz") ? file.OpenDataset("coefficients/f1_hz").ReadAll<double>() : new double[d];
        var first = Enumerable.Range(0, d).Where(j => order[j] == 1).ToArray();
        var channels = first.Length == 0 ? 1 : first.Max(j => channel[j]) + 1;
        var perChannel = Math.Max(1, first.Length / channels);
        var counts = new long[k];
        var prob = new double[k];
        var perHour = new SortedDictionary<long, long[]>();
        var hourOfDay = new long[k, 24];
        var spectrum = new double[k, first.Length];
        var projection = new List<(double, double, int)>();
        var stride = Math.Max(1, n / 5000);
        var representative = Enumerable.Range(0, k).Select(_ => (Row: -1L, Distance: double.PositiveInfinity, StartNs: 0L, Station: "")).ToArray();
        var predictor = new ClusterModel.Predictor(model);
        const int block = 4096;
        var x = new double[block * d];
        var z = new double[q];
        var scratch = new double[model.Transform.ScratchLength];
        var cl = new int[block];
        var p = new double[block];
        var ll = new double[block];
        var dist = new double[block];
        var logRow = new double[d];
        var starts = new long[block];
        var stationIndex = new int[block];
        var gaps = new float[block];
        for (long start = 0; start < n; start += block)
        {
            var count = (int)Math.Min(block, n - start);
            source.ReadRows(start, count, x);
            source.ReadMeta(start, count, starts, stationIndex, gaps);
            predictor.Predict(x, count, cl, p, ll, dist);
            for (var i = 0; i < count; i++)
            {
                var row = start + i;
                var c = cl[i];
                counts[c]++;
                prob[c] += p[i];
                if (source.HasTimes)
                {
                    var hour = (long)Math.Floor(starts[i] / 3.6e12);
                    if (!perHour.TryGetValue(hour, out var h)) perHour[hour] = h = new long[k];
                    h[c]++;
                    hourOfDay[c, (int)(((hour % 24) + 24) % 24)]++;
                }
                Linear.FeatureTransform.FloorLog10(x.AsSpan(i * d, d), model.Transform.Options.Floor > 0 ? model.Transform.Options.Floor : 1e-12, logRow);
                for (var t = 0; t < first.Length; t++) spectrum[c, t] += logRow[first[t]];
                if (row % stride == 0 && q >= 2)
                {
                    model.Transform.Transform(x.AsSpan(i * d, d), z, scratch);
                    projection.Add((z[0], z[1], c));
                }
                if (dist[i] < representative[c].Distance)
                    representative[c] = (row, dist[i], source.HasTimes ? starts[i] : 0, source.HasStations ? source.Stations[stationIndex[i]] : "");
            }
        }
        for (var c = 0; c < k; c++)
        {
            if (counts[c] > 0) prob[c] /= counts[c];
            for (var t = 0; t < first.Length; t++) spectrum[c, t] = counts[c] > 0 ? spectrum[c, t] / counts[c] : double.NaN;
        }
        return new ReportData
        {
            Clusters = k, Windows = n, Counts = counts, MeanProbability = prob, PerHour = perHour, HourOfDay = hourOfDay,
            MeanSpectrum = spectrum, SpectrumFrequencies = first.Take(perChannel).Select(j => f1[j]).ToArray(), Channels = channels,
            Projection = projection, Representative = representative, WindowNs = source.WindowNs, Inputs = inputs,
        };
    }

    /// <summary>The raw samples (per component) of a representative window, read from the archive; empty when unavailable.</summary>
    public (string[] Channels, float[][] Samples, double Rate) Waveform(int cluster)
    {
        var (row, _, startNs, station) = Representative[cluster];
        if (row < 0 || Inputs.Count == 0 || WindowNs <= 0) return ([], [], 0);
        try
        {
            var archive = _archive ??= ArchiveScanner.Open(Inputs);
            var s = archive.Stations.ToList().FindIndex(x => x.StationId == station);
            if (s < 0) return ([], [], 0);
            var st = archive.Stations[s];
            using var storage = new ArchiveStorage();
            var rate = st.Pieces[0][0].Rate;
            // The window plan's own cut (grid start, nearest sample per component), not a second piece of arithmetic.
            var plan = new WindowPlan([st], (int)Math.Round(WindowNs * rate / 1e9), WindowNs, GapPolicy.ZeroFill);
            var cutter = new WindowCutter(plan, storage);
            var samples = new float[st.ChannelIds.Count][];
            for (var c = 0; c < st.ChannelIds.Count; c++)
            {
                samples[c] = new float[plan.WindowSamples];
                cutter.Cut(0, c, startNs, samples[c]);
            }
            return (st.ChannelIds.ToArray(), samples, rate);
        }
        catch (SeiscatException) { return ([], [], 0); }
    }
}
