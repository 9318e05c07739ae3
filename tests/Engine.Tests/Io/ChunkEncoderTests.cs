using Seiscat.Engine.Io.Storage;
using Seiscat.Engine.Io.Writers;
using Seiscat.Native.Hdf5;
using Seiscat.Tests.Shared;

namespace Seiscat.Engine.Tests.Io;

[Collection("native-hdf5-engine")]
public class ChunkEncoderTests
{
    // Feature-like rows: positive, smooth along the row, a few decades of range (what shuffle + deflate meet in practice).
    private static float[] Rows(int rows, int d, int seed)
    {
        var rng = new Random(seed);
        var x = new float[rows * d];
        for (var i = 0; i < rows; i++)
            for (var j = 0; j < d; j++)
                x[i * d + j] = (float)(Math.Exp(-0.05 * j) * (1 + 0.1 * rng.NextDouble()) * (i % 7 == 0 ? 30 : 1));
        return x;
    }

    [Fact]
    public void Encoded_chunks_are_the_bytes_hdf5_stores_through_its_own_filters()
    {
        using var dir = TestPaths.NewTempDir();
        const int d = 37, chunkRows = FeaturesWriter.RowsPerChunk, n = 2 * chunkRows + 21; // two whole chunks and an edge chunk
        var x = Rows(n, d, 5);
        using (var f = H5File.Create(dir.File("hdf5.h5")))
        {
            using var ds = f.CreateDataset<float>("x", [n, d], new H5DatasetOptions
            {
                ChunkDims = [chunkRows, d],
                Shuffle = true,
                DeflateLevel = FeaturesWriter.DeflateLevel
            });
            ds.Write<float>(x);
        }
        using var read = H5File.OpenRead(dir.File("hdf5.h5"));
        using var stored = read.OpenDataset("x");
        var encoder = FeaturesWriter.NewEncoder(d);
        var chunk = new float[chunkRows * d];
        var raw = new byte[16];
        for (var c = 0; c * chunkRows < n; c++)
        {
            var count = Math.Min(chunkRows, n - c * chunkRows);
            Array.Fill(chunk, float.NaN); // what a reused buffer may hold past the rows: must not leak into the chunk
            x.AsSpan(c * chunkRows * d, count * d).CopyTo(chunk);
            var mine = FeaturesWriter.EncodeChunk(encoder, chunk, count).ToArray();
            var size = stored.ReadChunk([c * chunkRows, 0], long.MaxValue, ref raw, out var mask);
            Assert.Equal(0u, mask);
            Assert.True(raw.AsSpan(0, (int)size).SequenceEqual(mine), $"chunk {c} ({count} rows): {mine.Length} bytes vs HDF5's {size}");
            Assert.True(mine.Length < chunk.Length * 4, "the rows compress");
        }
    }

    [Theory]
    [InlineData(4, 1000)]
    [InlineData(8, 1003)] // a tail of 3 bytes that belongs to no element
    [InlineData(1, 17)]
    public void Shuffle_is_undone_by_the_readers_unshuffle(int elementSize, int bytes)
    {
        var input = new byte[bytes];
        new Random(elementSize).NextBytes(input);
        var shuffled = new byte[bytes];
        var back = new byte[bytes];
        ChunkEncoder.Shuffle(input, shuffled, elementSize);
        ChunkDecoder.Unshuffle(shuffled, back, elementSize);
        Assert.Equal(input, back);
        if (elementSize > 1) Assert.Equal(input[elementSize], shuffled[1]); // byte 0 of element 1 is second in the first plane
    }
}
