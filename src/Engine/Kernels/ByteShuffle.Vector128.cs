using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Seiscat.Engine.Kernels;

public static partial class ByteShuffle
{
    // 16 elements per step. Each 16-byte vector holds 4 elements; pshufb gathers byte b of its 4 elements into dword b,
    // then a 4 × 4 dword transpose gives 16 bytes of each plane. Elements after the last multiple of 16: scalar.
    private static void ShuffleVector128(ReadOnlySpan<byte> input, Span<byte> shuffled)
    {
        var n = input.Length / 4;
        ref var src = ref MemoryMarshal.GetReference(input);
        ref var dst = ref MemoryMarshal.GetReference(shuffled);
        var gather = Vector128.Create((byte)0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
        var i = 0;
        for (; i + 16 <= n; i += 16)
        {
            var x0 = Ssse3.Shuffle(Vector128.LoadUnsafe(ref src, (nuint)(4 * i)), gather).AsUInt32();
            var x1 = Ssse3.Shuffle(Vector128.LoadUnsafe(ref src, (nuint)(4 * i + 16)), gather).AsUInt32();
            var x2 = Ssse3.Shuffle(Vector128.LoadUnsafe(ref src, (nuint)(4 * i + 32)), gather).AsUInt32();
            var x3 = Ssse3.Shuffle(Vector128.LoadUnsafe(ref src, (nuint)(4 * i + 48)), gather).AsUInt32();
            var t0 = Sse2.UnpackLow(x0, x1).AsUInt64();  // planes 0,1 of elements 0-7 (x0, x1 interleaved)
            var t1 = Sse2.UnpackHigh(x0, x1).AsUInt64(); // planes 2,3
            var t2 = Sse2.UnpackLow(x2, x3).AsUInt64();
            var t3 = Sse2.UnpackHigh(x2, x3).AsUInt64();
            Sse2.UnpackLow(t0, t2).AsByte().StoreUnsafe(ref dst, (nuint)i);
            Sse2.UnpackHigh(t0, t2).AsByte().StoreUnsafe(ref dst, (nuint)(n + i));
            Sse2.UnpackLow(t1, t3).AsByte().StoreUnsafe(ref dst, (nuint)(2 * n + i));
            Sse2.UnpackHigh(t1, t3).AsByte().StoreUnsafe(ref dst, (nuint)(3 * n + i));
        }
        for (; i < n; i++)
            for (var b = 0; b < 4; b++) Unsafe.Add(ref dst, b * n + i) = Unsafe.Add(ref src, 4 * i + b);
        input[(4 * n)..].CopyTo(shuffled[(4 * n)..input.Length]);
    }

    // The inverse: 16 bytes of each plane interleaved bytewise (planes 0/1 and 2/3), then wordwise, give 16 elements.
    private static void UnshuffleVector128(ReadOnlySpan<byte> shuffled, Span<byte> output)
    {
        var n = shuffled.Length / 4;
        ref var src = ref MemoryMarshal.GetReference(shuffled);
        ref var dst = ref MemoryMarshal.GetReference(output);
        var i = 0;
        for (; i + 16 <= n; i += 16)
        {
            var p0 = Vector128.LoadUnsafe(ref src, (nuint)i);
            var p1 = Vector128.LoadUnsafe(ref src, (nuint)(n + i));
            var p2 = Vector128.LoadUnsafe(ref src, (nuint)(2 * n + i));
            var p3 = Vector128.LoadUnsafe(ref src, (nuint)(3 * n + i));
            var lo01 = Sse2.UnpackLow(p0, p1).AsUInt16();
            var hi01 = Sse2.UnpackHigh(p0, p1).AsUInt16();
            var lo23 = Sse2.UnpackLow(p2, p3).AsUInt16();
            var hi23 = Sse2.UnpackHigh(p2, p3).AsUInt16();
            Sse2.UnpackLow(lo01, lo23).AsByte().StoreUnsafe(ref dst, (nuint)(4 * i));
            Sse2.UnpackHigh(lo01, lo23).AsByte().StoreUnsafe(ref dst, (nuint)(4 * i + 16));
            Sse2.UnpackLow(hi01, hi23).AsByte().StoreUnsafe(ref dst, (nuint)(4 * i + 32));
            Sse2.UnpackHigh(hi01, hi23).AsByte().StoreUnsafe(ref dst, (nuint)(4 * i + 48));
        }
        for (; i < n; i++)
            for (var b = 0; b < 4; b++) Unsafe.Add(ref dst, 4 * i + b) = Unsafe.Add(ref src, b * n + i);
        shuffled[(4 * n)..].CopyTo(output[(4 * n)..shuffled.Length]);
    }
}
