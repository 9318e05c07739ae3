using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Seiscat.Engine.Kernels;

public static partial class Median
{
    /// <summary>
    /// The band pass with AVX-512: 16 lanes compared against lo and hi, the in-band lanes compressed to the
    /// front of a register and stored contiguously (VCOMPRESSPS keeps their order), counts by popcount of the lane masks. Tail: scalar, in order.
    /// Same outputs as <see cref="PartitionScalar"/> (the band's contents and order are identical).
    /// Benchmarked against the scalar pass in MedianBench; used only when KernelPath allows 512-bit vectors.
    /// </summary>
    internal static class Vector512Partition
    {
        public static bool IsSupported => Path == KernelIsa.Vector512;

        public static unsafe void Run(ReadOnlySpan<float> src, float lo, float hi, Span<float> band, out int below, out int above, out int m)
        {
            var vlo = Vector512.Create(lo);
            var vhi = Vector512.Create(hi);
            int b = 0, a = 0, k = 0, i = 0;
            if (band.Length < src.Length + 16) { PartitionScalar(src, lo, hi, band, out below, out above, out m); return; }
            fixed (float* ps = src)
            fixed (float* pb = band)
            {
                for (; i + 16 <= src.Length; i += 16)
                {
                    var v = Vector512.Load(ps + i);
                    var isBelow = Vector512.LessThan(v, vlo);
                    var isAbove = Vector512.GreaterThan(v, vhi);
                    var inside = ~(isBelow | isAbove);
                    // Compress in a register, then store all 16 lanes: the memory form of VCOMPRESSPS is
                    // microcoded on AMD Zen 4 (tens of times slower). Lanes past the band are overwritten later
                    // or ignored; the caller's band buffer has 16 floats of slack beyond src.Length.
                    Avx512F.Compress(Vector512<float>.Zero, inside, v).Store(pb + k);
                    b += BitOperations.PopCount(isBelow.ExtractMostSignificantBits());
                    a += BitOperations.PopCount(isAbove.ExtractMostSignificantBits());
                    k += BitOperations.PopCount(inside.ExtractMostSignificantBits());
                }
            }
            PartitionScalar(src[i..], lo, hi, band[k..], out var tb, out var ta, out var tk);
            below = b + tb; above = a + ta; m = k + tk;
        }
    }
}
