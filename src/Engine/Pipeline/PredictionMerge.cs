using Seiscat.Engine.Common.Parts;
using Seiscat.Engine.Io.Writers;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Pipeline;

/// <summary>
/// Joins prediction .h5 shards (`predict --shard i --num-shards N`) or checkpoint parts into any of the .h5, .parquet
/// and .csv outputs one process would have written, byte for byte. Refuses shards that disagree, overlap, or leave
/// rows out.
/// </summary>
public static class PredictionMerge
{
    private const int BlockRows = 4096;

    /// <summary>Joins the shards into the outputs; <paramref name="asShard"/> marks the result as a shard of a larger run
    /// itself (a checkpointed shard assembling its parts, whose rows start at its First).</summary>
    public static long Run(IReadOnlyList<string> shardPaths, IReadOnlyList<string> outPaths, ShardPlace? asShard = null, IReadOnlyList<string>? vet = null)
    {
        PredictionOutputs.Classify(outPaths);
        // Shards of one run have the same optional columns and station names, beyond the kind's attributes.
        static string Signature(H5File f) => string.Join(",", new[] { "window_start_ns", "station_index", "gap_fraction", "stations", "label_names" }
            .Select(n => f.KindOf(n) == H5ObjectKind.Dataset ? n : "-"))
            + "|" + (f.KindOf("stations") == H5ObjectKind.Dataset ? string.Join("\n", f.ReadStringDataset("stations")) : "")
            + "|" + (f.KindOf("label_names") == H5ObjectKind.Dataset ? string.Join(",", f.ReadStringDataset("label_names")) : "");
        using var set = ShardSet.Open(shardPaths, PredictionWriter.Kind, PredictionWriter.IsPrediction, Signature, vet);
        var first = set.First;
        var total = set.Total;
        var k = (int)first.ReadInt64Attribute("n_clusters");
        var layout = new PredictionLayout(k, first.KindOf("window_start_ns") == H5ObjectKind.Dataset, first.KindOf("station_index") == H5ObjectKind.Dataset,
            first.KindOf("gap_fraction") == H5ObjectKind.Dataset,
                first.KindOf("stations") == H5ObjectKind.Dataset ? first.ReadStringDataset("stations") : [],
            first.ReadInt64Attribute("window_ns"), first.ReadStringAttribute("model_source"), first.ReadStringAttribute("features"))
        {
            StationDistanceM = first.KindOf("station_distance_m") == H5ObjectKind.Dataset ? first.ReadDataset<double>("station_distance_m") : null,
            LabelNames = first.KindOf("label_names") == H5ObjectKind.Dataset ? first.ReadStringDataset("label_names") : null,
        };
        using var outputs = new PredictionOutputs(outPaths, layout, asShard);
        var rowOffset = asShard?.First ?? 0;
        var block = new PredictionBlock(BlockRows, k);
        var proba = new float[BlockRows * k];
        foreach (var f in set.Files)
        {
            var n = f.ReadInt64Attribute("n_windows");
            var start = rowOffset + f.ReadInt64Attribute(PredictionWriter.Kind.FirstAttribute);
            using var cluster = f.OpenDataset("cluster");
            using var probability = f.OpenDataset("probability");
            using var logLikelihood = f.OpenDataset("log_likelihood");
            using var distance = f.OpenDataset("distance");
            using var probaDs = f.OpenDataset("proba");
            using var starts = layout.HasTimes ? f.OpenDataset("window_start_ns") : null;
            using var station = layout.HasStations ? f.OpenDataset("station_index") : null;
            using var gap = layout.HasGaps ? f.OpenDataset("gap_fraction") : null;
            foreach (var ds in new[] { cluster, probability, logLikelihood, distance, probaDs, starts, station, gap })
                if (ds is not null && ds.Dims[0] != n)
                    throw SeiscatException.For(f.FilePath, ds.ObjectPath, $"has {ds.Dims[0]} rows, the file says {n}", "the shard is corrupt; rerun it");
            for (long i = 0; i < n; i += BlockRows)
            {
                var c = (int)Math.Min(BlockRows, n - i);
                block.First = start + i;
                block.Count = c;
                cluster.ReadHyperslab<int>(block.Cluster.AsSpan(0, c), [i], [c]);
                probability.ReadHyperslab<double>(block.Probability.AsSpan(0, c), [i], [c]);
                logLikelihood.ReadHyperslab<double>(block.LogLikelihood.AsSpan(0, c), [i], [c]);
                distance.ReadHyperslab<double>(block.Distance.AsSpan(0, c), [i], [c]);
                probaDs.ReadHyperslab<float>(proba.AsSpan(0, c * k), [i, 0], [c, k]);
                for (var j = 0; j < c * k; j++) block.Proba[j] = proba[j];
                if (starts is not null) starts.ReadHyperslab<long>(block.StartNs.AsSpan(0, c), [i], [c]);
                else for (var j = 0; j < c; j++) block.StartNs[j] = block.First + j;
                if (station is not null) station.ReadHyperslab<int>(block.Station.AsSpan(0, c), [i], [c]);
                if (gap is not null) gap.ReadHyperslab<float>(block.Gap.AsSpan(0, c), [i], [c]);
                if (layout.HasStations)
                    foreach (var s in block.Station.AsSpan(0, c))
                        if ((uint)s >= (uint)layout.Stations.Length)
                            throw SeiscatException.For(f.FilePath, "/station_index",
                                $"holds {s}, but /stations has {layout.Stations.Length} names", "the shard is corrupt; rerun it");
                outputs.Add(block);
            }
        }
        outputs.Complete();
        return total;
    }
}
