using System.Runtime.InteropServices;
using Seiscat.Engine.Kernels;

namespace Seiscat.Engine.Tests.Kernels;

/// <summary>The transposing reader's kernel: the tiled AVX path equals the element-by-element reference to the bit, and
/// both equal the stored values converted to float, for every shape around the 8 × 8 tile (edges in both directions).</summary>
public class TransposeTests
{
    public static TheoryData<StoredSample, int, int, int> Shapes()
    {
        var d = new TheoryData<StoredSample, int, int, int>();
        foreach (var kind in Enum.GetValues<StoredSample>())
            foreach (var (rows, columns, extra) in new[] { (1, 1, 0), (8, 8, 0), (9, 7, 3), (16, 24, 5), (37, 65, 11), (64, 3, 0), (5, 40, 1) })
                d.Add(kind, rows, columns, extra);
        return d;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Tiles_equal_the_scalar_reference_and_the_converted_values(StoredSample kind, int rows, int columns, int extra)
    {
        var rowStride = columns + extra; // the block is part of wider rows (a channel subset of the matrix)
        var rng = new Random(rows * 1000 + columns);
        var n = rows * rowStride;
        var src = kind switch
        {
            StoredSample.Int16 => MemoryMarshal.AsBytes(Enumerable.Range(0, n).Select(_ => (short)rng.Next(short.MinValue, short.MaxValue)).ToArray().AsSpan())
                .ToArray(),
            // Large int32 values round when converted: both paths must round the same way (to nearest even).
            StoredSample.Int32 => MemoryMarshal.AsBytes(Enumerable.Range(0, n).Select(_ => rng.Next(int.MinValue, int.MaxValue)).ToArray().AsSpan()).ToArray(),
            _ => MemoryMarshal.AsBytes(Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2e4 - 1e4)).ToArray().AsSpan()).ToArray(),
        };
        var dstStride = rows + 3;
        var fast = new float[columns * dstStride];
        var reference = new float[columns * dstStride];
        Transpose.ToColumns(src, kind, rowStride, rows, columns, fast, dstStride);
        Transpose.ToColumnsScalar(src, kind, rowStride, rows, columns, reference, dstStride);
        Assert.Equal(reference, fast);
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++)
            {
                var i = r * rowStride + c;
                float expected = kind switch
                {
                    StoredSample.Int16 => BitConverter.ToInt16(src, 2 * i),
                    StoredSample.Int32 => BitConverter.ToInt32(src, 4 * i),
                    _ => BitConverter.ToSingle(src, 4 * i),
                };
                Assert.Equal(expected, fast[c * dstStride + r]);
            }
    }

    [Fact]
    public void A_source_or_destination_too_short_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Transpose.ToColumns(new byte[2 * 15], StoredSample.Int16, 4, 4, 4, new float[16], 4));
        Assert.Throws<ArgumentException>(() => Transpose.ToColumns(new byte[2 * 16], StoredSample.Int16, 4, 4, 4, new float[15], 4));
    }
}
