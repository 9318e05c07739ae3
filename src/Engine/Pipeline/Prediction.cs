using System.Globalization;
using System.Text;
using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Writers;
using Seiscat.Engine.Mixture;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Pipeline;

/// <summary>
/// predict: every row of a feature source through a fitted model, streamed in blocks (parallel, output in row
/// order). Writes CSV or Parquet (window_start, window_end, station, cluster, probability, log_likelihood, distance,
/// gap_fraction; times ISO-8601 UTC) or HDF5 (the same columns as datasets plus /proba, rows × clusters).
/// </summary>
public static class Prediction
{
    private sealed class Block(int rows, int columns, int k)
    {
        public readonly double[] X = new double[rows * columns];
        public readonly int[] Cluster = new int[rows];
        public readonly double[] Probability = new double[rows];
        public readonly double[] LogLikelihood = new double[rows];
        public readonly double[] Distance = new double[rows];
        public readonly double[] Proba = new double[rows * k];
    }

    private sealed class Worker(ClusterModel model) : IDisposable
    {
        public readonly ClusterModel.Predictor Predictor = new(model);
        public void Dispose() { }
    }

    public static long Run(ClusterModel model, FeatureSource source, string outPath, int threads, IProgress<StageProgress>? progress = null)
        => Run(model, source, [outPath], threads, progress);

    /// <summary>One pass over the windows filling every requested output (at most one each of .csv, .parquet, .h5).</summary>
    public static long Run(ClusterModel model, FeatureSource source, IReadOnlyList<string> outPaths, int threads, IProgress<StageProgress>? progress = null)
    {
        if (model.Transform.InputFeatures != source.Columns)
            throw SeiscatException.For(source.Path, source.Dataset, $"has {source.Columns} features per row but the model was fitted on {model.Transform.InputFeatures}",
                "predict with features computed by the same configuration as the model's");
        if (!string.IsNullOrEmpty(model.FeatureConfig) && !string.IsNullOrEmpty(source.ScatteringConfig) && model.FeatureConfig != source.ScatteringConfig)
            throw SeiscatException.For(source.Path, source.Dataset, "was computed with a different scattering configuration than the model's features",
                $"recompute features with the model's configuration ({model.FeatureConfig})");
        string? h5Path = null, parquetPath = null, csvPath = null;
        foreach (var path in outPaths)
        {
            ref var slot = ref path.EndsWith(".h5", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".hdf5", StringComparison.OrdinalIgnoreCase) ? ref h5Path
                : ref path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) ? ref parquetPath
                : ref path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? ref csvPath
                : ref Unknown(path);
            if (slot is not null) throw SeiscatException.For(path, null, "a second output of the same format", "name one .csv, one .parquet and one .h5 at most");
            slot = path;
        }
        var h5 = h5Path is not null;
        const int rowsPerBlock = 4096;
        var n = source.Rows;
        var k = model.Clusters;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var h5Output = h5Path is null ? null : new AtomicOutput(h5Path);
        using var parquetOutput = parquetPath is null ? null : new AtomicOutput(parquetPath);
        using var csvOutput = csvPath is null ? null : new AtomicOutput(csvPath);
        var cluster = h5 ? new int[n] : null;
        var probability = h5 ? new float[n] : null;
        var logLikelihood = h5 ? new double[n] : null;
        var distance = h5 ? new float[n] : null;
        var proba = h5 ? new float[n * k] : null;
        using (var pq = parquetOutput is null ? null : new WindowsParquetWriter(parquetOutput.TempPath))
        using (var csv = csvOutput is null ? null : new StreamWriter(csvOutput.TempPath, false, new UTF8Encoding(false), 1 << 16))
        {
            csv?.Write("window_start,window_end,station,cluster,probability,log_likelihood,distance,gap_fraction\n");
            OrderedPipeline.Run(n, rowsPerBlock, threads, () => new Worker(model), () => new Block(rowsPerBlock, source.Columns, k),
                (w, first, count, b) =>
                {
                    source.ReadRows(first, count, b.X);
                    w.Predictor.Predict(b.X, count, b.Cluster, b.Probability, b.LogLikelihood, b.Distance, b.Proba.AsSpan(0, count * k));
                },
                (first, count, b) =>
                {
                    for (var i = 0; i < count; i++)
                    {
                        var row = first + i;
                        pq?.Add(source.StartNs?[row] ?? row, source.WindowNs, source.StationOf(row), b.Cluster[i], b.Probability[i], b.LogLikelihood[i], b.Distance[i], source.GapFraction?[row] ?? 0);
                        if (csv is not null)
                        {
                            var start = source.StartNs?[row];
                            csv.Write(start is { } s ? TimeFormat.Iso(s) : row.ToString(CultureInfo.InvariantCulture));
                            csv.Write(',');
                            csv.Write(start is { } s2 && source.WindowNs > 0 ? TimeFormat.Iso(s2 + source.WindowNs) : "");
                            csv.Write(',');
                            csv.Write(source.StationOf(row));
                            csv.Write(string.Create(CultureInfo.InvariantCulture, $",{b.Cluster[i]},{b.Probability[i]:G6},{b.LogLikelihood[i]:G9},{b.Distance[i]:G6},{(source.GapFraction?[row] ?? 0):G4}\n"));
                        }
                        if (h5)
                        {
                            cluster![row] = b.Cluster[i];
                            probability![row] = (float)b.Probability[i];
                            logLikelihood![row] = b.LogLikelihood[i];
                            distance![row] = (float)b.Distance[i];
                            for (var c = 0; c < k; c++) proba![row * k + c] = (float)b.Proba[i * k + c];
                        }
                    }
                    progress?.Report(new StageProgress(first + count, n, clock.Elapsed));
                });
            pq?.Complete();
        }
        if (h5)
        {
            using var f = H5File.Create(h5Output!.TempPath);
            var chunk = new H5DatasetOptions { ChunkDims = [Math.Max(1, Math.Min(n, 65536))], DeflateLevel = 4, Shuffle = true };
            f.WriteDataset<int>("cluster", cluster, [n], chunk);
            f.WriteDataset<float>("probability", probability, [n], chunk);
            f.WriteDataset<double>("log_likelihood", logLikelihood, [n], chunk);
            f.WriteDataset<float>("distance", distance, [n], chunk);
            f.WriteDataset<float>("proba", proba, [n, k], new H5DatasetOptions { ChunkDims = [Math.Max(1, Math.Min(n, 16384)), k], DeflateLevel = 4, Shuffle = true });
            if (source.StartNs is { } starts) f.WriteDataset<long>("window_start_ns", starts, [n], chunk);
            if (source.StationIndex is { } st) f.WriteDataset<int>("station_index", st, [n], chunk);
            if (source.Stations.Length > 0) f.WriteStringDataset("stations", source.Stations);
            if (source.GapFraction is { } g) f.WriteDataset<float>("gap_fraction", g, [n], chunk);
            f.WriteAttribute("model_source", model.Source);
            f.WriteAttribute("features", $"{source.Path}:{source.Dataset}");
            f.WriteAttribute("seiscat_version", typeof(Prediction).Assembly.GetName().Version?.ToString() ?? "?");
        }
        h5Output?.Commit();
        parquetOutput?.Commit();
        csvOutput?.Commit();
        return n;
    }

    private static ref string? Unknown(string path)
        => throw SeiscatException.For(path, null, "unknown output format", "name the output .csv, .parquet or .h5");
}
