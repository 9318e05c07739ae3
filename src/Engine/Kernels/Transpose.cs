using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Seiscat.Engine.Kernels;

/// <summary>Little-endian stored sample types the transposing reader converts in registers (DAS matrices are int16,
/// int32 or float32; anything else goes through the general strided conversion).</summary>
public enum StoredSample { Int16, Int32, Float32 }

/// <summary>
/// Rows of a time × channel matrix → one contiguous float32 series per channel (DAS: a channel is a strided column,
/// but the FFT wants it contiguous). Element (r, c) at <c>src[r·rowStride + c]</c> goes to <c>dst[c·dstStride + r]</c>,
/// converted on the way. The vector path transposes 8 × 8 tiles in AVX registers, with the integer → float conversion
/// fused into the loads, so each source cache line is read once and each destination line written once; edges are
/// scalar. Both paths convert exactly as H5Dread does (int16 and float32 are exact; int32 rounds to nearest even in
/// both), so they agree to the bit.
/// </summary>
[SkipLocalsInit]
public static class Transpose
{
    /// <summary>The path this machine takes, chosen once (the tile needs AVX2's integer widening).</summary>
    public static KernelIsa Path { get; } = Avx2.IsSupported ? KernelPath.Choose(KernelIsa.Vector256) : KernelIsa.Scalar;

    public static void ToColumns(ReadOnlySpan<byte> src, StoredSample kind, int rowStride, int rows, int columns, Span<float> dst, int dstStride)
    {
        Check(src, kind, rowStride, rows, columns, dst, dstStride);
        if (Path == KernelIsa.Vector256) ToColumnsVector256(src, kind, rowStride, rows, columns, dst, dstStride);
        else ToColumnsScalar(src, kind, rowStride, rows, columns, dst, dstStride);
    }

    /// <summary>Reference: element by element, rows outer.</summary>
    public static void ToColumnsScalar(ReadOnlySpan<byte> src, StoredSample kind, int rowStride, int rows, int columns, Span<float> dst, int dstStride)
    {
        Check(src, kind, rowStride, rows, columns, dst, dstStride);
        Scalar(src, kind, rowStride, 0, rows, 0, columns, dst, dstStride);
    }

    private static void Check(ReadOnlySpan<byte> src, StoredSample kind, int rowStride, int rows, int columns, Span<float> dst, int dstStride)
    {
        if (rows < 0 || columns < 0 || rowStride < columns || dstStride < rows) throw new ArgumentException("impossible transpose shape");
        if (rows == 0 || columns == 0) return;
        if (((long)(rows - 1) * rowStride + columns) * Size(kind) > src.Length) throw new ArgumentException("source too short", nameof(src));
        if ((long)(columns - 1) * dstStride + rows > dst.Length) throw new ArgumentException("destination too short", nameof(dst));
    }

    public static int Size(StoredSample kind) => kind == StoredSample.Int16 ? 2 : 4;

    private static void Scalar(ReadOnlySpan<byte> src, StoredSample kind, int rowStride, int r0, int r1, int c0, int c1, Span<float> dst, int dstStride)
    {
        switch (kind)
        {
            case StoredSample.Int16:
                var s16 = MemoryMarshal.Cast<byte, short>(src);
                for (var r = r0; r < r1; r++)
                    for (var c = c0; c < c1; c++) dst[c * dstStride + r] = s16[r * rowStride + c];
                break;
            case StoredSample.Int32:
                var s32 = MemoryMarshal.Cast<byte, int>(src);
                for (var r = r0; r < r1; r++)
                    for (var c = c0; c < c1; c++) dst[c * dstStride + r] = s32[r * rowStride + c];
                break;
            default:
                var f32 = MemoryMarshal.Cast<byte, float>(src);
                for (var r = r0; r < r1; r++)
                    for (var c = c0; c < c1; c++) dst[c * dstStride + r] = f32[r * rowStride + c];
                break;
        }
    }

    private static void ToColumnsVector256(ReadOnlySpan<byte> src, StoredSample kind, int rowStride, int rows, int columns, Span<float> dst, int dstStride)
    {
        var fullRows = rows & ~7;
        var fullColumns = columns & ~7;
        ref var s = ref MemoryMarshal.GetReference(src);
        ref var d = ref MemoryMarshal.GetReference(dst);
        var size = Size(kind);
        Span<Vector256<float>> v = stackalloc Vector256<float>[8];
        for (var r = 0; r < fullRows; r += 8)
            for (var c = 0; c < fullColumns; c += 8)
            {
                for (var k = 0; k < 8; k++)
                {
                    ref var at = ref Unsafe.Add(ref s, ((nint)(r + k) * rowStride + c) * size);
                    v[k] = kind switch
                    {
                        StoredSample.Int16 => Avx.ConvertToVector256Single(
                            Avx2.ConvertToVector256Int32(Vector128.LoadUnsafe(ref Unsafe.As<byte, short>(ref at)))),
                        StoredSample.Int32 => Avx.ConvertToVector256Single(Vector256.LoadUnsafe(ref Unsafe.As<byte, int>(ref at))),
                        _ => Vector256.LoadUnsafe(ref Unsafe.As<byte, float>(ref at)),
                    };
                }
                Transpose8(v);
                for (var k = 0; k < 8; k++) v[k].StoreUnsafe(ref d, (nuint)((nint)(c + k) * dstStride + r));
            }
        // Edges: the last columns of every full row block, then the last rows of every column.
        if (fullColumns < columns) Scalar(src, kind, rowStride, 0, fullRows, fullColumns, columns, dst, dstStride);
        if (fullRows < rows) Scalar(src, kind, rowStride, fullRows, rows, 0, columns, dst, dstStride);
    }

    // 8 rows of 8 floats in, 8 columns out: unpack pairs, shuffle quads, swap 128-bit halves.
    private static void Transpose8(Span<Vector256<float>> v)
    {
        var t0 = Avx.UnpackLow(v[0], v[1]);
        var t1 = Avx.UnpackHigh(v[0], v[1]);
        var t2 = Avx.UnpackLow(v[2], v[3]);
        var t3 = Avx.UnpackHigh(v[2], v[3]);
        var t4 = Avx.UnpackLow(v[4], v[5]);
        var t5 = Avx.UnpackHigh(v[4], v[5]);
        var t6 = Avx.UnpackLow(v[6], v[7]);
        var t7 = Avx.UnpackHigh(v[6], v[7]);
        var u0 = Avx.Shuffle(t0, t2, 0x44);
        var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44);
        var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44);
        var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44);
        var u7 = Avx.Shuffle(t5, t7, 0xEE);
        v[0] = Avx.Permute2x128(u0, u4, 0x20);
        v[1] = Avx.Permute2x128(u1, u5, 0x20);
        v[2] = Avx.Permute2x128(u2, u6, 0x20);
        v[3] = Avx.Permute2x128(u3, u7, 0x20);
        v[4] = Avx.Permute2x128(u0, u4, 0x31);
        v[5] = Avx.Permute2x128(u1, u5, 0x31);
        v[6] = Avx.Permute2x128(u2, u6, 0x31);
        v[7] = Avx.Permute2x128(u3, u7, 0x31);
    }
}
