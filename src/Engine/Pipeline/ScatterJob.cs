using Seiscat.Engine.Common;
using Seiscat.Engine.Scattering;
using Seiscat.Native.Fftw;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Pipeline;

/// <summary>
/// `seiscat scatter`: coefficients of pre-cut windows, an (n, C, bins) or (n, bins) float dataset, written like
/// scatseisnet's outputs: /output/layerK (n, C, J1, …, JK[, bins]), /bank/layerK/*, the config as root attribute.
/// </summary>
public static class ScatterJob
{
    /// <summary>Either network over pre-cut windows; the paper network's /output/layerK holds its features (log,
    /// parent-normalised). Plans are made with FFTW's estimate effort and no wisdom: the same bytes on every machine.</summary>
    public static long Run(string file, string dataset, INetworkConfig network, string outPath, int threads, IProgress<StageProgress>? progress = null)
    {
        using var segments = SegmentWindows.Open(file, dataset, network.Bins);
        var config = network.Plan(FftwEffort.Estimate, segments.Channels);
        var (n, channels, bins) = (segments.Count, segments.Channels, segments.Samples);
        var perWindow = config.OutputLength(channels);
        var banks = config.Banks;
        // Blocks of a window's output, in order: each layer, then each first-order statistic (n, C, J1).
        var stats = config.Statistics;
        var paths = banks.Select((_, l) => banks.Take(l + 1).Aggregate(1, (acc, b) => acc * b.Count)).ToArray();
        var layerLengths = paths.Select(p => channels * p * (config.Pooling == Pooling.None ? bins : 1))
            .Concat(stats.Select(_ => channels * banks[0].Count)).ToArray();
        using var output = new AtomicOutput(outPath);
        using (var outFile = H5File.Create(output.TempPath))
        {
            FileFormat.Scatter.Stamp(outFile);
            outFile.WriteAttribute("config", config.ConfigJson);
            outFile.WriteAttribute("source", $"{file}:{dataset}");
            outFile.WriteAttribute("seiscat_version", typeof(ScatterJob).Assembly.GetName().Version?.ToString() ?? "?");
            var layers = new H5Dataset[layerLengths.Length];
            for (var l = 0; l < banks.Count; l++)
            {
                var dims = new List<long> { n, channels };
                dims.AddRange(banks.Take(l + 1).Select(b => (long)b.Count));
                if (config.Pooling == Pooling.None) dims.Add(bins);
                layers[l] = outFile.CreateDataset<float>($"output/layer{l + 1}", dims.ToArray());
                WriteBank(outFile, banks[l], l);
            }
            for (var s = 0; s < stats.Count; s++)
                layers[banks.Count + s] = outFile.CreateDataset<float>($"output/statistics/layer1_{ScatteringConfig.Name(stats[s])}",
                    [n, channels, banks[0].Count]);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            const int batch = 16;
            var blocks = layerLengths.Select(len => new float[batch * len]).ToArray(); // reused by every batch (the consumer is one thread)
            OrderedPipeline.Run(n, batch, threads,
                () => new Worker(config.NewWorker(), channels * bins),
                () => new float[batch * perWindow],
                (w, first, count, buffer) =>
                {
                    for (var i = 0; i < count; i++)
                    {
                        segments.Read(first + i, w.Window);
                        w.Network.Transform(w.Window, channels, buffer.AsSpan(i * perWindow, perWindow));
                    }
                },
                (first, count, buffer) =>
                {
                    var offset = 0;
                    for (var l = 0; l < layers.Length; l++)
                    {
                        // Rows of this batch, this layer: gather the layer's block of each window.
                        var block = blocks[l].AsSpan(0, count * layerLengths[l]);
                        for (var i = 0; i < count; i++)
                            buffer.AsSpan(i * perWindow + offset, layerLengths[l]).CopyTo(block[(i * layerLengths[l])..]);
                        var start = new long[layers[l].Rank];
                        var cnt = (long[])layers[l].Dims.Clone();
                        start[0] = first;
                        cnt[0] = count;
                        layers[l].WriteHyperslab<float>(block, start, cnt);
                        offset += layerLengths[l];
                    }
                    progress?.Report(new StageProgress(first + count, n, clock.Elapsed));
                });
            foreach (var l in layers) l.Dispose();
        }
        output.Commit();
        return n;
    }

    private static void WriteBank(H5File f, IFilterBank bank, int l)
    {
        var g = $"bank/layer{l + 1}";
        f.WriteDataset<double>($"{g}/centers_hz", bank.CentersHz.ToArray(), [bank.Count]);
        f.WriteDataset<double>($"{g}/bandwidths_hz", bank.BandwidthsHz.ToArray(), [bank.Count]);
        if (bank is MorletFilterBank m) f.WriteDataset<double>($"{g}/widths_s", m.WidthsS.ToArray(), [bank.Count]);
        var n = bank.Length;
        var re = new double[bank.Count * n];
        var im = new double[bank.Count * n];
        for (var j = 0; j < bank.Count; j++)
        {
            var fr = bank.FrequencyResponse(j);
            for (var k = 0; k < n; k++) { re[j * n + k] = fr[k].Real; im[j * n + k] = fr[k].Imaginary; }
        }
        f.WriteDataset<double>($"{g}/filters_freq_re", re, [bank.Count, n]);
        f.WriteDataset<double>($"{g}/filters_freq_im", im, [bank.Count, n]);
    }

    private sealed class Worker(IWindowTransform network, int samples) : IDisposable
    {
        public readonly IWindowTransform Network = network;
        public readonly float[] Window = new float[samples];

        public void Dispose() => Network.Dispose();
    }
}
