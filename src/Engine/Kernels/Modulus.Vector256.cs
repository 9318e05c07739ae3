using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Seiscat.Engine.Kernels;

public static partial class Modulus
{
    // Lanes: two input vectors [r0 i0 … r3 i3], [r4 i4 … r7 i7] → one output [|z0| … |z7|].
    // Deinterleave with two shuffles per input (re to the low half, im to the high half), then
    // sqrt(re² + im²) in the same rounding order as the scalar twin (square, square, add, sqrt).
    // Tail: overlapping last block of 8 outputs, inputs loaded before the store.
    private static void Vector256Path(ReadOnlySpan<float> complex, Span<float> output)
    {
        ref var pc = ref MemoryMarshal.GetReference(complex);
        ref var po = ref MemoryMarshal.GetReference(output);
        var n = (nuint)output.Length;
        const int W = 8;
        var last = n - W;
        var lastValue = Block(ref pc, last);
        for (nuint k = 0; k < last; k += W) Block(ref pc, k).StoreUnsafe(ref po, k);
        lastValue.StoreUnsafe(ref po, last);

        static Vector256<float> Block(ref float pc, nuint k)
        {
            var v0 = Vector256.LoadUnsafe(ref pc, 2 * k);
            var v1 = Vector256.LoadUnsafe(ref pc, 2 * k + 8);
            var evens = Vector256.Create(0, 2, 4, 6, 0, 2, 4, 6);
            var odds = Vector256.Create(1, 3, 5, 7, 1, 3, 5, 7);
            var re = Vector256.Create(Vector256.Shuffle(v0, evens).GetLower(), Vector256.Shuffle(v1, evens).GetLower());
            var im = Vector256.Create(Vector256.Shuffle(v0, odds).GetLower(), Vector256.Shuffle(v1, odds).GetLower());
            return Vector256.Sqrt(re * re + im * im);
        }
    }
}
