using Seiscat.Engine.Common.Parts;
using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Writers;
using Seiscat.Engine.Pipeline;
using Seiscat.Native.Hdf5;
using Seiscat.Tests.Shared;

namespace Seiscat.Engine.Tests.Pipeline;

[Collection("native-hdf5-engine")]
public class FeaturesMergeTests
{
    private const int D = 29, Rows = 5 * FeaturesWriter.RowsPerChunk + 11;

    private static readonly FeatureColumns Columns = new(new int[D], new int[D], Enumerable.Range(0, D).ToArray(), Enumerable.Repeat(-1, D).ToArray(),
        Enumerable.Range(0, D).Select(j => 1.0 + j).ToArray(), Enumerable.Repeat(double.NaN, D).ToArray(), Enumerable.Repeat(-1, D).ToArray());

    private static readonly float[] X = Enumerable.Range(0, Rows * D).Select(i => (float)Math.Exp(Math.Sin(i * 0.37) * 3)).ToArray();

    private static void Write(string path, long first, long count, ShardPlace? place, int batch)
    {
        using var w = new FeaturesWriter(path, Columns, ["XX.A", "XX.B"], "{}", 20_000_000_000L, 10_000_000_000L);
        w.SetProvenance(new FeaturesProvenance("p", "zero-fill", "asdf", "[]", ["BHZ", "BHZ"], "estimate"));
        for (var i = first; i < first + count; i += batch)
        {
            var c = (int)Math.Min(batch, first + count - i);
            w.Append(X.AsSpan((int)i * D, c * D), Enumerable.Range((int)i, c).Select(k => k * 10_000_000_000L).ToArray(),
                Enumerable.Range((int)i, c).Select(k => k % 2).ToArray(), new float[c]);
        }
        if (place is { } p) w.SetPlace(p);
        w.Complete();
    }

    private static string[] Parts(TestPaths.TempDir dir, string name, long[] borders)
    {
        var paths = new string[borders.Length - 1];
        for (var i = 0; i < paths.Length; i++)
        {
            paths[i] = dir.File($"{name}{i}.h5");
            Write(paths[i], borders[i], borders[i + 1] - borders[i], new ShardPlace(i, paths.Length, borders[i], Rows), batch: 13 + i);
        }
        return paths;
    }

    [Fact]
    public void Chunk_aligned_parts_are_joined_by_copying_stored_chunks_into_the_one_writer_bytes()
    {
        using var dir = TestPaths.NewTempDir();
        Write(dir.File("single.h5"), 0, Rows, null, batch: 50);
        var chunk = FeaturesWriter.RowsPerChunk;
        var outcome = FeaturesMerge.Run(Parts(dir, "aligned", [0, chunk, 3 * chunk, Rows]), dir.File("merged.h5"));
        Assert.Equal(new FeaturesMerge.Outcome(Rows, 6, 0), outcome);
        Assert.Equal(File.ReadAllBytes(dir.File("single.h5")), File.ReadAllBytes(dir.File("merged.h5")));
        using var f = H5File.OpenRead(dir.File("merged.h5"));
        Assert.Equal(X, f.OpenDataset("features").ReadAll<float>());
    }

    [Fact]
    public void Parts_off_the_chunk_grid_are_re_encoded_to_the_same_bytes()
    {
        using var dir = TestPaths.NewTempDir();
        Write(dir.File("single.h5"), 0, Rows, null, batch: 7);
        // The first border sits on the grid, the second does not: the chunks before it are copied, the rest re-encoded.
        var chunk = FeaturesWriter.RowsPerChunk;
        var outcome = FeaturesMerge.Run(Parts(dir, "odd", [0, 2 * chunk, 2 * chunk + 40, Rows]), dir.File("merged.h5"));
        Assert.Equal(Rows, outcome.Rows);
        Assert.Equal(2, outcome.CopiedChunks);
        Assert.True(outcome.EncodedChunks > 0);
        Assert.Equal(File.ReadAllBytes(dir.File("single.h5")), File.ReadAllBytes(dir.File("merged.h5")));
    }

    [Fact]
    public void Nothing_follows_a_short_chunk()
    {
        using var dir = TestPaths.NewTempDir();
        using var w = new FeaturesWriter(dir.File("f.h5"), Columns, ["XX.A"], "{}", 1, 1);
        var encoder = FeaturesWriter.NewEncoder(D);
        var rows = new float[FeaturesWriter.RowsPerChunk * D];
        var stored = FeaturesWriter.EncodeChunk(encoder, rows, 3).ToArray();
        w.AppendChunk(stored, [0L, 1, 2], [0, 0, 0], [0f, 0, 0]);
        Assert.Throws<InvalidOperationException>(() => w.Append(new float[D], [3L], [0], [0f]));
        Assert.Throws<InvalidOperationException>(() => w.AppendChunk(stored, [3L], [0], [0f]));
    }
}
