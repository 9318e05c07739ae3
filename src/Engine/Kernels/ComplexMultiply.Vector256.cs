using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Seiscat.Engine.Kernels;

public static partial class ComplexMultiply
{
    // Lanes: 4 complex numbers per vector, [r0 i0 r1 i1 r2 i2 r3 i3].
    //   t1 = a · [br br …] = [ar·br, ai·br]; t2 = swap(a) · [bi bi …] = [ai·bi, ar·bi]; out = t1 + t2·[−1 +1 …].
    // Tail: the last vector is recomputed overlapping the previous one (element-wise, so idempotent); the loads
    // of that last vector happen before any store so aliasing output with a stays correct.
    // Rounding: products and the sum round like the scalar twin (no FMA contraction), so results are identical.
    private static void Vector256Path(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> output)
    {
        ref var pa = ref MemoryMarshal.GetReference(a);
        ref var pb = ref MemoryMarshal.GetReference(b);
        ref var po = ref MemoryMarshal.GetReference(output);
        var n = (nuint)a.Length;
        var w = (nuint)Vector256<float>.Count;
        var sign = Vector256.Create(-1f, 1f, -1f, 1f, -1f, 1f, -1f, 1f);
        var lastOffset = n - w;
        var lastA = Vector256.LoadUnsafe(ref pa, lastOffset);
        var lastB = Vector256.LoadUnsafe(ref pb, lastOffset);
        for (nuint i = 0; i < lastOffset; i += w)
            Product(Vector256.LoadUnsafe(ref pa, i), Vector256.LoadUnsafe(ref pb, i)).StoreUnsafe(ref po, i);
        Product(lastA, lastB).StoreUnsafe(ref po, lastOffset);

        Vector256<float> Product(Vector256<float> x, Vector256<float> y)
        {
            var re = Vector256.Shuffle(y, Vector256.Create(0, 0, 2, 2, 4, 4, 6, 6));
            var im = Vector256.Shuffle(y, Vector256.Create(1, 1, 3, 3, 5, 5, 7, 7));
            var swapped = Vector256.Shuffle(x, Vector256.Create(1, 0, 3, 2, 5, 4, 7, 6));
            return x * re + swapped * im * sign;
        }
    }
}
