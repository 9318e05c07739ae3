using System.Buffers.Binary;
using System.Runtime.Intrinsics.X86;
using Seiscat.Engine.Kernels;

namespace Seiscat.Engine.Io.Storage;

/// <summary>
/// HDF5's Fletcher-32 (H5_checksum_fletcher32): 16-bit big-endian words, sums folded every 360 words, an odd
/// trailing byte as the high byte of a last word. The filter stores the checksum little-endian after the data;
/// files from HDF5 before 1.6.3 stored it byte-swapped, which the library still accepts, and so do we.
/// </summary>
internal static partial class Fletcher32
{
    /// <summary>The path this machine takes, chosen once (AVX2 zero-extension and byte shuffles).</summary>
    public static KernelIsa Path { get; } = Avx2.IsSupported ? KernelPath.Choose(KernelIsa.Vector256) : KernelIsa.Scalar;

    public static uint Compute(ReadOnlySpan<byte> data) => Path == KernelIsa.Vector256 ? ComputeVector256(data) : ComputeScalar(data);

    public static uint ComputeScalar(ReadOnlySpan<byte> data)
    {
        uint sum1 = 0, sum2 = 0;
        var words = data.Length / 2;
        var i = 0;
        while (words > 0)
        {
            var block = Math.Min(words, 360);
            words -= block;
            for (var k = 0; k < block; k++, i += 2)
            {
                sum1 += (uint)((data[i] << 8) | data[i + 1]);
                sum2 += sum1;
            }
            sum1 = (sum1 & 0xffff) + (sum1 >> 16);
            sum2 = (sum2 & 0xffff) + (sum2 >> 16);
        }
        return Finish(data, sum1, sum2);
    }

    // After the whole words: an odd trailing byte as the high byte of a last word, then the final folds.
    private static uint Finish(ReadOnlySpan<byte> data, uint sum1, uint sum2)
    {
        if ((data.Length & 1) != 0)
        {
            sum1 += (uint)(data[^1] << 8);
            sum2 += sum1;
            sum1 = (sum1 & 0xffff) + (sum1 >> 16);
            sum2 = (sum2 & 0xffff) + (sum2 >> 16);
        }
        sum1 = (sum1 & 0xffff) + (sum1 >> 16);
        sum2 = (sum2 & 0xffff) + (sum2 >> 16);
        return (sum2 << 16) | sum1;
    }

    /// <summary>True when the last four bytes of <paramref name="chunk"/> are the checksum of the rest.</summary>
    public static bool Verify(ReadOnlySpan<byte> chunk)
    {
        if (chunk.Length < 4) return false;
        var stored = BinaryPrimitives.ReadUInt32LittleEndian(chunk[^4..]);
        var computed = Compute(chunk[..^4]);
        if (stored == computed) return true;
        // Pre-1.6.3 byte order: bytes (0,1,2,3) → (1,0,3,2).
        var reversed = ((computed & 0x00ff00ff) << 8) | ((computed & 0xff00ff00) >> 8);
        return stored == reversed;
    }
}
