using System.Globalization;
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

    /// <summary>True when the file is a prediction .h5 (as opposed to a features shard).</summary>
    public static bool IsPrediction(H5File f) => f.KindOf("cluster") == H5ObjectKind.Dataset && f.KindOf("proba") == H5ObjectKind.Dataset;

    /// <summary>Joins the shards into the outputs; <paramref name="asShard"/> marks the result as a shard of a larger run
    /// itself (a checkpointed shard assembling its parts, whose rows start at its First).</summary>
    public static long Run(IReadOnlyList<string> shardPaths, IReadOnlyList<string> outPaths, (int Index, int Count, long First, long Total)? asShard = null)
    {
        if (shardPaths.Count == 0) throw new SeiscatException("merge needs the shard files");
        PredictionOutputs.Classify(outPaths);
        var shards = new List<H5File>();
        try
        {
            foreach (var p in shardPaths)
            {
                if (!File.Exists(p)) throw SeiscatException.For(p, null, "no such shard file", "pass the .h5 files written with predict --shard");
                try { shards.Add(H5File.OpenRead(p)); }
                catch (Hdf5Exception e) { throw SeiscatException.For(p, null, "cannot be opened: " + e.Hdf5Message, "the shard may be truncated; rerun it", e); }
            }
            string Attr(H5File f, string name) => f.HasAttribute(name)
                ? f.AttributeType(name).Class == H5TypeClass.String ? f.ReadStringAttribute(name) : f.ReadInt64Attribute(name).ToString(CultureInfo.InvariantCulture)
                : "";
            foreach (var f in shards)
                if (!IsPrediction(f) || !f.HasAttribute("shard_index") || Attr(f, "complete") != "1")
                    throw SeiscatException.For(f.FilePath, null, "is not a complete shard of `seiscat predict --shard`", "rerun that shard");
            var ordered = shards.OrderBy(f => f.ReadInt64Attribute("shard_index")).ToList();
            var first = ordered[0];
            string Shape(H5File f) => string.Join(",", new[] { "window_start_ns", "station_index", "gap_fraction", "stations" }.Select(n => f.KindOf(n) == H5ObjectKind.Dataset ? n : "-"));
            string Stations(H5File f) => f.KindOf("stations") == H5ObjectKind.Dataset ? string.Join("\n", f.OpenDataset("stations").ReadStrings()) : "";
            string[] same = ["n_clusters", "window_ns", "model_source", "features", "shard_count", "total_rows", "seiscat_version"];
            foreach (var f in ordered.Skip(1))
            {
                foreach (var name in same)
                    if (Attr(f, name) != Attr(first, name))
                        throw SeiscatException.For(f.FilePath, name, $"differs from {first.FilePath}", "merge only shards of the same predict run");
                if (Shape(f) != Shape(first) || Stations(f) != Stations(first))
                    throw SeiscatException.For(f.FilePath, null, $"has other columns or stations than {first.FilePath}", "merge only shards of the same predict run");
            }
            var total = first.ReadInt64Attribute("total_rows");
            var count = (int)first.ReadInt64Attribute("shard_count");
            if (ordered.Count != count) throw new SeiscatException($"merge got {ordered.Count} shard(s) of {count}; pass all of them");
            long expected = 0;
            foreach (var f in ordered)
            {
                if (f.ReadInt64Attribute("shard_first_row") != expected)
                    throw SeiscatException.For(f.FilePath, null, $"starts at row {f.ReadInt64Attribute("shard_first_row")}, expected {expected} (a shard is missing or repeated)", "pass each shard once");
                expected += f.ReadInt64Attribute("n_windows");
            }
            if (expected != total) throw new SeiscatException($"shards hold {expected} rows of {total}; a shard is incomplete");

            var k = (int)first.ReadInt64Attribute("n_clusters");
            var layout = new PredictionLayout(k, first.KindOf("window_start_ns") == H5ObjectKind.Dataset, first.KindOf("station_index") == H5ObjectKind.Dataset,
                first.KindOf("gap_fraction") == H5ObjectKind.Dataset, first.KindOf("stations") == H5ObjectKind.Dataset ? first.OpenDataset("stations").ReadStrings() : [],
                first.ReadInt64Attribute("window_ns"), first.ReadStringAttribute("model_source"), first.ReadStringAttribute("features"));
            using var outputs = new PredictionOutputs(outPaths, layout, asShard is { } at ? w => w.SetShard(at.Index, at.Count, at.First, at.Total) : null);
            var rowOffset = asShard?.First ?? 0;
            var block = new PredictionBlock(BlockRows, k);
            var proba = new float[BlockRows * k];
            foreach (var f in ordered)
            {
                var n = f.ReadInt64Attribute("n_windows");
                var start = rowOffset + f.ReadInt64Attribute("shard_first_row");
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
                                throw SeiscatException.For(f.FilePath, "/station_index", $"holds {s}, but /stations has {layout.Stations.Length} names", "the shard is corrupt; rerun it");
                    outputs.Add(block);
                }
            }
            outputs.Complete();
            return total;
        }
        finally
        {
            foreach (var f in shards) f.Dispose();
        }
    }
}
