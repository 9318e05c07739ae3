using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Writers;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Pipeline;

/// <summary>
/// `seiscat merge`: joins the features.h5 files of `features --shard i --num-shards N` into the file one process would
/// have written, byte for byte: same configuration and provenance, windows appended in the same 32-window batches.
/// Refuses shards that disagree, overlap, or leave windows out.
/// </summary>
public static class FeaturesMerge
{
    /// <summary>Joins the shards into <paramref name="outPath"/>; <paramref name="asShard"/> marks the result as a shard of
    /// a larger run itself (a checkpointed shard assembling its parts).</summary>
    public static long Run(IReadOnlyList<string> shardPaths, string outPath, (int Index, int Count, long First, long Total)? asShard = null)
    {
        if (shardPaths.Count == 0) throw new SeiscatException("merge needs the shard files");
        var shards = shardPaths.Select(p =>
        {
            if (!File.Exists(p)) throw SeiscatException.For(p, null, "no such shard file", "pass the features.h5 files written with --shard");
            return H5File.OpenRead(p);
        }).ToList();
        try
        {
            string Attr(H5File f, string name) => f.HasAttribute(name) ? (f.AttributeType(name).Class == H5TypeClass.String ? f.ReadStringAttribute(name) : f.ReadInt64Attribute(name).ToString(System.Globalization.CultureInfo.InvariantCulture)) : "";
            foreach (var f in shards)
                if (!f.HasAttribute("shard_index") || Attr(f, "complete") != "1")
                    throw SeiscatException.For(f.FilePath, null, "is not a complete shard of `seiscat features --shard`", "rerun that shard");
            var ordered = shards.OrderBy(f => f.ReadInt64Attribute("shard_index")).ToList();
            var first = ordered[0];
            string[] same = ["config", "window_ns", "step_ns", "preprocess", "gap_policy", "layout", "inputs", "fftw_effort", "shard_count", "total_windows"];
            foreach (var f in ordered.Skip(1))
                foreach (var name in same)
                    if (Attr(f, name) != Attr(first, name))
                        throw SeiscatException.For(f.FilePath, name, $"differs from {first.FilePath}", "merge only shards of the same features run");
            var total = first.ReadInt64Attribute("total_windows");
            var count = (int)first.ReadInt64Attribute("shard_count");
            if (ordered.Count != count) throw new SeiscatException($"merge got {ordered.Count} shard(s) of {count}; pass all of them");
            long expected = 0;
            foreach (var f in ordered)
            {
                if (f.ReadInt64Attribute("shard_first_window") != expected)
                    throw SeiscatException.For(f.FilePath, null, $"starts at window {f.ReadInt64Attribute("shard_first_window")}, expected {expected} (a shard is missing or repeated)", "pass each shard once");
                expected += f.ReadInt64Attribute("n_windows");
            }
            if (expected != total) throw new SeiscatException($"shards hold {expected} windows of {total}; a shard is incomplete");

            var columns = new FeatureColumns(first.OpenDataset("coefficients/order").ReadAll<int>(), first.OpenDataset("coefficients/channel").ReadAll<int>(),
                first.OpenDataset("coefficients/j1").ReadAll<int>(), first.OpenDataset("coefficients/j2").ReadAll<int>(),
                first.OpenDataset("coefficients/f1_hz").ReadAll<double>(), first.OpenDataset("coefficients/f2_hz").ReadAll<double>());
            using var writer = new FeaturesWriter(outPath, columns, first.OpenDataset("stations").ReadStrings(), first.ReadStringAttribute("config"),
                first.ReadInt64Attribute("window_ns"), first.ReadInt64Attribute("step_ns"));
            writer.SetProvenance(first.ReadStringAttribute("preprocess"), first.ReadStringAttribute("gap_policy"), first.ReadStringAttribute("layout"),
                first.ReadStringAttribute("inputs"), first.OpenDataset("station_components").ReadStrings(), first.ReadStringAttribute("fftw_effort"));
            const int batch = 32;
            var d = columns.Count;
            var rows = new float[batch * d];
            foreach (var f in ordered)
            {
                using var features = f.OpenDataset("features");
                var starts = f.OpenDataset("window_start_ns").ReadAll<long>();
                var stations = f.OpenDataset("station_index").ReadAll<int>();
                var gaps = f.OpenDataset("gap_fraction").ReadAll<float>();
                var n = starts.Length;
                for (var i = 0; i < n; i += batch)
                {
                    var c = Math.Min(batch, n - i);
                    features.ReadHyperslab<float>(rows.AsSpan(0, c * d), [i, 0], [c, d]);
                    writer.Append(rows.AsSpan(0, c * d), starts.AsSpan(i, c), stations.AsSpan(i, c), gaps.AsSpan(i, c));
                }
            }
            if (asShard is { } at) writer.SetShard(at.Index, at.Count, at.First, at.Total);
            writer.Complete();
            return total;
        }
        finally
        {
            foreach (var f in shards) f.Dispose();
        }
    }
}
