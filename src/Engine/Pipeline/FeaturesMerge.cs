using Seiscat.Engine.Common;
using Seiscat.Engine.Common.Parts;
using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Writers;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Pipeline;

/// <summary>
/// Joins the features.h5 files of `features --shard i --num-shards N` (or a run's checkpoint parts) into the file one
/// process would have written, byte for byte: same configuration and provenance, the same chunks. A chunk that lies
/// whole in one input, on that input's chunk grid, is copied as stored (no inflate, no deflate: the join runs at disk
/// speed); any other (inputs from a route whose borders were not chunk-aligned) is decoded and re-encoded, which gives
/// the same bytes more slowly. The checks are <see cref="ShardSet"/>'s.
/// </summary>
public static class FeaturesMerge
{
    public static bool IsFeatures(H5File f) => FileFormat.Features.Mismatch(f) is null
        && f.KindOf("features") == H5ObjectKind.Dataset && f.KindOf("coefficients/order") == H5ObjectKind.Dataset;

    /// <summary>What a merge did: rows written, and chunks copied as stored versus re-encoded.</summary>
    public readonly record struct Outcome(long Rows, long CopiedChunks, long EncodedChunks);

    /// <summary>Joins the shards into <paramref name="outPath"/>; <paramref name="asShard"/> marks the result as a shard of
    /// a larger run itself (a checkpointed shard assembling its parts); <paramref name="vet"/>: see <see cref="ShardSet.Open"/>.</summary>
    public static Outcome Run(IReadOnlyList<string> shardPaths, string outPath, ShardPlace? asShard = null, IReadOnlyList<string>? vet = null)
    {
        using var set = ShardSet.Open(shardPaths, FeaturesWriter.Kind, IsFeatures, vet: vet);
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
            first.ReadStringAttribute("fftw_effort"))
        {
            StationDistanceM = first.KindOf("station_distance_m") == H5ObjectKind.Dataset ? first.ReadDataset<double>("station_distance_m") : null,
        });
        const int chunkRows = FeaturesWriter.RowsPerChunk;
        var d = columns.Count;
        var rows = new float[chunkRows * d];
        // A stored chunk is at most the deflate bound of its raw size; anything larger in an index is not ours to copy.
        long largest = FeaturesWriter.StoredChunkBound(d);
        var stored = new byte[1024];
        long copied = 0, encoded = 0;
        var files = set.Files.ToList();
        foreach (var f in files)
        {
            var last = ReferenceEquals(f, files[^1]);
            using var features = f.OpenDataset("features");
            var starts = f.ReadDataset<long>("window_start_ns");
            var stations = f.ReadDataset<int>("station_index");
            var gaps = f.ReadDataset<float>("gap_fraction");
            var n = starts.Length;
            var sameLayout = features.ChunkDims is [chunkRows, var cd] && cd == Math.Max(1, d) && SamePipeline(features.Filters);
            for (var i = 0; i < n; i += chunkRows)
            {
                var c = Math.Min(chunkRows, n - i);
                // Copyable: the writer is on a chunk border (it is, unless an earlier input ended off the grid), the input's
                // chunk holds exactly these rows (a short one only as the output's last), compressed by every filter.
                if (sameLayout && writer.Rows % chunkRows == 0 && (c == chunkRows || last)
                    && features.ReadChunk([i, 0], largest, ref stored, out var mask) is var size and > 0 && size <= largest && mask == 0)
                {
                    writer.AppendChunk(stored.AsSpan(0, (int)size), starts.AsSpan(i, c), stations.AsSpan(i, c), gaps.AsSpan(i, c));
                    copied++;
                    continue;
                }
                features.ReadHyperslab<float>(rows.AsSpan(0, c * d), [i, 0], [c, d]);
                writer.Append(rows.AsSpan(0, c * d), starts.AsSpan(i, c), stations.AsSpan(i, c), gaps.AsSpan(i, c));
                encoded++;
            }
        }
        if (asShard is { } at) writer.SetPlace(at);
        writer.Complete();
        return new Outcome(set.Total, copied, encoded);
    }

    private static bool SamePipeline(IReadOnlyList<H5Filter> filters)
        => filters is [{ Id: H5Filter.Shuffle }, { Id: H5Filter.Deflate } deflate] && deflate.ClientData is [FeaturesWriter.DeflateLevel];
}
