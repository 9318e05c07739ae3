using Seiscat.Engine.Common.Parts;
using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Writers;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Pipeline;

/// <summary>
/// Joins the features.h5 files of `features --shard i --num-shards N` (or a run's checkpoint parts) into the file one
/// process would have written, byte for byte: same configuration and provenance, windows appended in the same
/// <see cref="FeaturesWriter.AppendBatch"/>-window batches. The checks are <see cref="ShardSet"/>'s.
/// </summary>
public static class FeaturesMerge
{
    public static bool IsFeatures(H5File f) => f.KindOf("features") == H5ObjectKind.Dataset && f.KindOf("coefficients/order") == H5ObjectKind.Dataset;

    /// <summary>Joins the shards into <paramref name="outPath"/>; <paramref name="asShard"/> marks the result as a shard of
    /// a larger run itself (a checkpointed shard assembling its parts).</summary>
    public static long Run(IReadOnlyList<string> shardPaths, string outPath, ShardPlace? asShard = null)
    {
        using var set = ShardSet.Open(shardPaths, FeaturesWriter.Kind, IsFeatures);
        var first = set.First;
        var order = first.ReadDataset<int>("coefficients/order");
        var columns = new FeatureColumns(order, first.ReadDataset<int>("coefficients/channel"),
            first.ReadDataset<int>("coefficients/j1"), first.ReadDataset<int>("coefficients/j2"),
            first.ReadDataset<double>("coefficients/f1_hz"), first.ReadDataset<double>("coefficients/f2_hz"),
            first.Exists("coefficients/statistic") ? first.ReadDataset<int>("coefficients/statistic") : Enumerable.Repeat(-1, order.Length).ToArray(),
            first.Exists("coefficients/computed") ? first.ReadDataset<int>("coefficients/computed") : null);
        using var writer = new FeaturesWriter(outPath, columns, first.ReadStringDataset("stations"), first.ReadStringAttribute("config"),
            first.ReadInt64Attribute("window_ns"), first.ReadInt64Attribute("step_ns"));
        writer.SetProvenance(new FeaturesProvenance(first.ReadStringAttribute("preprocess"), first.ReadStringAttribute("gap_policy"),
            first.ReadStringAttribute("layout"), first.ReadStringAttribute("inputs"), first.ReadStringDataset("station_components"),
            first.ReadStringAttribute("fftw_effort")));
        const int batch = FeaturesWriter.AppendBatch;
        var d = columns.Count;
        var rows = new float[batch * d];
        foreach (var f in set.Files)
        {
            using var features = f.OpenDataset("features");
            var starts = f.ReadDataset<long>("window_start_ns");
            var stations = f.ReadDataset<int>("station_index");
            var gaps = f.ReadDataset<float>("gap_fraction");
            var n = starts.Length;
            for (var i = 0; i < n; i += batch)
            {
                var c = Math.Min(batch, n - i);
                features.ReadHyperslab<float>(rows.AsSpan(0, c * d), [i, 0], [c, d]);
                writer.Append(rows.AsSpan(0, c * d), starts.AsSpan(i, c), stations.AsSpan(i, c), gaps.AsSpan(i, c));
            }
        }
        if (asShard is { } at) writer.SetPlace(at);
        writer.Complete();
        return set.Total;
    }
}
