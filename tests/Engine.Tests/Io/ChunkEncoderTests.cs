using System.Runtime.InteropServices;
using Seiscat.Engine.Io.Storage;
using Seiscat.Engine.Io.Writers;
using Seiscat.Engine.Kernels;
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
    public void Encoded_chunks_are_read_by_hdf5_through_its_own_filters_and_hdf5_chunks_by_the_decoder()
    {
        using var dir = TestPaths.NewTempDir();
        const int d = 37, chunkRows = FeaturesWriter.RowsPerChunk, n = 2 * chunkRows + 21; // two whole chunks and an edge chunk
        var x = Rows(n, d, 5);
        var options = new H5DatasetOptions { ChunkDims = [chunkRows, d], Shuffle = true, DeflateLevel = FeaturesWriter.DeflateLevel };
        using (var f = H5File.Create(dir.File("hdf5.h5")))
        {
            using var ds = f.CreateDataset<float>("x", [n, d], options);
            ds.Write<float>(x);
        }
        using var encoder = FeaturesWriter.NewEncoder(d);
        var chunk = new float[chunkRows * d];
        var raw = new byte[16];
        var decoder = new ChunkDecoder();
        var decoded = new byte[chunk.Length * 4];
        using (var read = H5File.OpenRead(dir.File("hdf5.h5")))
        using (var hdf5 = read.OpenDataset("x"))
        using (var f = H5File.Create(dir.File("mine.h5")))
        using (var mine = f.CreateDataset<float>("x", [n, d], options))
            for (var c = 0; c * chunkRows < n; c++)
            {
                var count = Math.Min(chunkRows, n - c * chunkRows);
                Array.Fill(chunk, float.NaN); // what a reused buffer may hold past the rows: must not leak into the chunk
                x.AsSpan(c * chunkRows * d, count * d).CopyTo(chunk);
                var encoded = FeaturesWriter.EncodeChunk(encoder, chunk, count);
                mine.WriteChunk([c * chunkRows, 0], 0, encoded);
                var size = hdf5.ReadChunk([c * chunkRows, 0], long.MaxValue, ref raw, out var mask);
                Assert.Equal(0u, mask);
                // libdeflate at HDF5's level stays within 5 % of the system zlib's stream (measured: 1 % smaller on real feature
                // rows, 2.4 % larger on these smooth ones).
                Assert.True(encoded.Length <= size * 1.05, $"chunk {c}: {encoded.Length} bytes vs HDF5's {size}");
                decoder.Decode(raw.AsSpan(0, (int)size), hdf5.Filters, mask, sizeof(float), decoded);
                Assert.True(decoded.AsSpan(0, count * d * 4).SequenceEqual(MemoryMarshal.AsBytes(x.AsSpan(c * chunkRows * d, count * d))),
                    $"HDF5's chunk {c} decoded by seiscat differs from the rows");
            }
        using var back = H5File.OpenRead(dir.File("mine.h5"));
        Assert.Equal(x, back.ReadDataset<float>("x"));
    }

    [Fact]
    public void A_corrupt_or_mis_sized_deflate_stream_is_refused_as_invalid_data()
    {
        var x = MemoryMarshal.AsBytes(Rows(FeaturesWriter.RowsPerChunk, 5, 1).AsSpan()).ToArray();
        using var encoder = new ChunkEncoder(x.Length, 4, 1);
        var stored = encoder.Encode(x).ToArray();
        IReadOnlyList<H5Filter> filters = [new H5Filter(H5Filter.Shuffle, "shuffle", 0, [4]), new H5Filter(H5Filter.Deflate, "deflate", 0, [1])];
        var decoder = new ChunkDecoder();
        var output = new byte[x.Length];
        decoder.Decode(stored, filters, 0, 4, output);
        Assert.Equal(x, output);
        var flipped = (byte[])stored.Clone();
        flipped[stored.Length / 2] ^= 0x5a;
        Assert.Throws<InvalidDataException>(() => decoder.Decode(flipped, filters, 0, 4, output));
        Assert.Throws<InvalidDataException>(() => decoder.Decode(stored, filters, 0, 4, new byte[x.Length - 4]));
        Assert.Throws<InvalidDataException>(() => decoder.Decode(stored, filters, 0, 4, new byte[x.Length + 4]));
        Assert.Throws<InvalidDataException>(() => decoder.Decode(stored.AsSpan(0, stored.Length - 9), filters, 0, 4, output));
    }

    [Theory]
    [InlineData(4, 1000)]
    [InlineData(4, 64 * 16 + 12)] // vector steps, then elements, then nothing
    [InlineData(4, 65539)] // a tail of 3 bytes that belongs to no element
    [InlineData(8, 1003)]
    [InlineData(1, 17)]
    public void Shuffle_is_undone_by_unshuffle_and_the_vector_path_gives_the_scalar_bytes(int elementSize, int bytes)
    {
        var input = new byte[bytes];
        new Random(elementSize + bytes).NextBytes(input);
        var shuffled = new byte[bytes];
        var scalar = new byte[bytes];
        var back = new byte[bytes];
        ByteShuffle.Shuffle(input, shuffled, elementSize);
        ByteShuffle.ShuffleScalar(input, scalar, elementSize);
        Assert.Equal(scalar, shuffled);
        ByteShuffle.Unshuffle(shuffled, back, elementSize);
        Assert.Equal(input, back);
        ByteShuffle.UnshuffleScalar(shuffled, back, elementSize);
        Assert.Equal(input, back);
        if (elementSize > 1) Assert.Equal(input[elementSize], shuffled[1]); // byte 0 of element 1 is second in the first plane
    }

    [Fact]
    public void Fletcher32_vector_path_gives_the_scalar_checksum_for_every_length()
    {
        var rng = new Random(3);
        var data = new byte[3 * 720 + 40];
        for (var length = 0; length <= data.Length; length += length < 760 ? 1 : 37)
        {
            rng.NextBytes(data);
            if (length % 5 == 0) data.AsSpan(0, length).Fill(0xff); // the largest words: sums wrap and fold the most
            var span = data.AsSpan(0, length);
            Assert.Equal(Fletcher32.ComputeScalar(span), Fletcher32.Compute(span));
        }
        var big = new byte[1 << 16];
        rng.NextBytes(big);
        Assert.Equal(Fletcher32.ComputeScalar(big), Fletcher32.Compute(big));
    }
}
