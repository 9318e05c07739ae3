using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Seiscat.Engine.Kernels;

public static partial class Median
{
    /// <summary>
    /// The band pass with AVX2, which has no compress instruction: 8 lanes compared against lo and hi, the in-band
    /// lanes packed to the front of the register by VPERMPS with a permutation looked up by the lane mask (256 × 8
    /// indices, 8 KB, L1-resident), all 8 lanes stored and the write position advanced by the mask's popcount. Tail:
    /// scalar, in order. Same outputs as <see cref="PartitionScalar"/> (the band's contents and order are identical;
    /// NaN is neither below nor above, as there). Benchmarked against the scalar pass in KernelBench
    /// (MedianPartition*).
    /// </summary>
    internal static class Vector256Partition
    {
        public static bool IsSupported => Path >= KernelIsa.Vector256 && Avx2.IsSupported;

        // Row m: the indices of m's set lanes in lane order, then zeros (those lanes are stored past the band's end).
        private static readonly int[] Packing = BuildPacking();

        private static int[] BuildPacking()
        {
            var table = new int[256 * 8];
            for (var mask = 0; mask < 256; mask++)
            {
                var k = 0;
                for (var lane = 0; lane < 8; lane++)
                    if ((mask >> lane & 1) != 0) table[mask * 8 + k++] = lane;
            }
            return table;
        }

        public static unsafe void Run(ReadOnlySpan<float> src, float lo, float hi, Span<float> band, out int below, out int above, out int m)
        {
            if (band.Length < src.Length + 8) { PartitionScalar(src, lo, hi, band, out below, out above, out m); return; }
            var vlo = Vector256.Create(lo);
            var vhi = Vector256.Create(hi);
            int b = 0, a = 0, k = 0, i = 0;
            fixed (float* ps = src)
            fixed (float* pb = band)
            fixed (int* pt = Packing)
            {
                for (; i + 8 <= src.Length; i += 8)
                {
                    var v = Vector256.Load(ps + i);
                    var belowMask = Vector256.LessThan(v, vlo).ExtractMostSignificantBits();
                    var aboveMask = Vector256.GreaterThan(v, vhi).ExtractMostSignificantBits();
                    var inside = ~(belowMask | aboveMask) & 0xFFu;
                    // Lanes past the band are overwritten by the next store or ignored; band has 8 floats of slack.
                    Avx2.PermuteVar8x32(v, Vector256.Load(pt + inside * 8)).Store(pb + k);
                    b += BitOperations.PopCount(belowMask);
                    a += BitOperations.PopCount(aboveMask);
                    k += BitOperations.PopCount(inside);
                }
            }
            PartitionScalar(src[i..], lo, hi, band[k..], out var tb, out var ta, out var tk);
            below = b + tb; above = a + ta; m = k + tk;
        }
    }
}
