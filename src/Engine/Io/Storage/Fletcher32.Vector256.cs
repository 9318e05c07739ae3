using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Seiscat.Engine.Io.Storage;

internal static partial class Fletcher32
{
    // Eight words per step, one per uint lane. Within a block of the scalar loop (sums folded only at its end), after L
    // words sum1 = s1 + Σ w_k and sum2 = s2 + L·s1 + Σ (L − k)·w_k. With k = 8u + m over U whole steps,
    // Σ (L − k)·w_k = 8·Σ_m P_m − Σ_m m·S_m, where S is each lane's running sum and P the sum of S after every step.
    // All of it is uint arithmetic modulo 2³², as the scalar sums are, so the result is the scalar twin's bits; the
    // block's leftover words (fewer than 8) continue in scalar code before the same folding.
    [SkipLocalsInit]
    private static uint ComputeVector256(ReadOnlySpan<byte> data)
    {
        ref var p = ref MemoryMarshal.GetReference(data);
        var swap = Vector128.Create((byte)1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14);
        var laneIndex = Vector256.Create(0u, 1, 2, 3, 4, 5, 6, 7);
        uint sum1 = 0, sum2 = 0;
        var words = data.Length / 2;
        nuint at = 0;
        while (words > 0)
        {
            var block = Math.Min(words, 360);
            words -= block;
            var steps = block / 8;
            var s = Vector256<uint>.Zero;
            var prefix = Vector256<uint>.Zero;
            for (var u = 0; u < steps; u++, at += 16)
            {
                var w = Avx2.ConvertToVector256Int32(Ssse3.Shuffle(Vector128.LoadUnsafe(ref p, at), swap).AsUInt16()).AsUInt32();
                s += w;
                prefix += s;
            }
            var length = (uint)(8 * steps);
            sum2 += length * sum1 + 8 * Vector256.Sum(prefix) - Vector256.Sum(s * laneIndex);
            sum1 += Vector256.Sum(s);
            for (var k = 8 * steps; k < block; k++, at += 2)
            {
                sum1 += (uint)((Unsafe.Add(ref p, at) << 8) | Unsafe.Add(ref p, at + 1));
                sum2 += sum1;
            }
            sum1 = (sum1 & 0xffff) + (sum1 >> 16);
            sum2 = (sum2 & 0xffff) + (sum2 >> 16);
        }
        return Finish(data, sum1, sum2);
    }
}
