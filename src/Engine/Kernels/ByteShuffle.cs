using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Seiscat.Engine.Kernels;

/// <summary>
/// HDF5's shuffle filter: byte b of element i is stored at b·n + i (n whole elements; trailing bytes, when the size is
/// not a multiple, are copied as they are). A byte permutation, so the vector path gives the scalar twin's bytes.
/// Four-byte elements (float32/int32 samples and features) take the vector path; other sizes the scalar one.
/// </summary>
[SkipLocalsInit]
public static partial class ByteShuffle
{
    /// <summary>The path this machine takes, chosen once (SSSE3 byte shuffles: x86 only).</summary>
    public static KernelIsa Path { get; } = Ssse3.IsSupported ? KernelPath.Choose(KernelIsa.Vector128) : KernelIsa.Scalar;

    /// <summary>Elements → byte planes (what the filter stores before deflate).</summary>
    public static void Shuffle(ReadOnlySpan<byte> input, Span<byte> shuffled, int elementSize)
    {
        if (shuffled.Length < input.Length) throw new ArgumentException("the output is shorter than the input", nameof(shuffled));
        if (elementSize == 4 && Path == KernelIsa.Vector128) ShuffleVector128(input, shuffled);
        else ShuffleScalar(input, shuffled, elementSize);
    }

    /// <summary>Byte planes → elements (the inverse of <see cref="Shuffle"/>).</summary>
    public static void Unshuffle(ReadOnlySpan<byte> shuffled, Span<byte> output, int elementSize)
    {
        if (output.Length < shuffled.Length) throw new ArgumentException("the output is shorter than the input", nameof(output));
        if (elementSize == 4 && Path == KernelIsa.Vector128) UnshuffleVector128(shuffled, output);
        else UnshuffleScalar(shuffled, output, elementSize);
    }

    public static void ShuffleScalar(ReadOnlySpan<byte> input, Span<byte> shuffled, int elementSize)
    {
        if (elementSize <= 1) { input.CopyTo(shuffled); return; }
        var n = input.Length / elementSize;
        for (var b = 0; b < elementSize; b++)
        {
            var plane = shuffled.Slice(b * n, n);
            for (var i = 0; i < n; i++) plane[i] = input[i * elementSize + b];
        }
        var tail = n * elementSize;
        input[tail..].CopyTo(shuffled[tail..input.Length]);
    }

    public static void UnshuffleScalar(ReadOnlySpan<byte> shuffled, Span<byte> output, int elementSize)
    {
        if (elementSize <= 1) { shuffled.CopyTo(output); return; }
        var n = shuffled.Length / elementSize;
        for (var b = 0; b < elementSize; b++)
        {
            var plane = shuffled.Slice(b * n, n);
            for (var i = 0; i < n; i++) output[i * elementSize + b] = plane[i];
        }
        var tail = n * elementSize;
        shuffled[tail..].CopyTo(output[tail..shuffled.Length]);
    }
}
