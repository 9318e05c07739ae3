using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Seiscat.Engine.Kernels;

public static partial class Accumulate
{
    // Lanes: 4 consecutive elements j..j+3, each its own accumulator: multiply, then add (no FMA contraction: .NET does
    // not fuse a·b + c), the scalar formula per lane. Tail: scalar (an overlapping last vector would add twice).
    private static void ScaledVector256(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        ref var px = ref MemoryMarshal.GetReference(x);
        ref var py = ref MemoryMarshal.GetReference(y);
        var va = Vector256.Create(a);
        var n = (nuint)x.Length;
        nuint j = 0;
        for (; j + 4 <= n; j += 4)
            (Vector256.LoadUnsafe(ref py, j) + va * Vector256.LoadUnsafe(ref px, j)).StoreUnsafe(ref py, j);
        for (; j < n; j++) Unsafe.Add(ref py, j) += a * Unsafe.Add(ref px, j);
    }

    // Lanes as above; per lane (r·x)·x then add, the scalar formula's association.
    private static void WeightedSquaresVector256(double r, ReadOnlySpan<double> x, Span<double> y)
    {
        ref var px = ref MemoryMarshal.GetReference(x);
        ref var py = ref MemoryMarshal.GetReference(y);
        var vr = Vector256.Create(r);
        var n = (nuint)x.Length;
        nuint j = 0;
        for (; j + 4 <= n; j += 4)
        {
            var v = Vector256.LoadUnsafe(ref px, j);
            (Vector256.LoadUnsafe(ref py, j) + vr * v * v).StoreUnsafe(ref py, j);
        }
        for (; j < n; j++)
        {
            var v = Unsafe.Add(ref px, j);
            Unsafe.Add(ref py, j) += r * v * v;
        }
    }
}
