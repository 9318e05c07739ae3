using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Seiscat.Engine.Kernels;

/// <summary>
/// Element-wise complex product of interleaved (re, im) float spans: out[k] = a[k]·b[k], the spectrum × filter
/// step of every scattering path. Spans hold 2·n floats; the output may alias the first input.
/// </summary>
[SkipLocalsInit]
public static partial class ComplexMultiply
{
    /// <summary>The path this machine takes, chosen once.</summary>
    public static KernelIsa Path { get; } = KernelPath.Choose(KernelIsa.Vector256);

    public static void Apply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> output)
    {
        if (a.Length != b.Length || output.Length < a.Length || (a.Length & 1) != 0)
            throw new ArgumentException("complex spans must have equal, even lengths");
        if (Path == KernelIsa.Vector256 && a.Length >= Vector256<float>.Count)
            Vector256Path(a, b, output);
        else
            Scalar(a, b, output);
    }

    /// <summary>The reference: (ar + i·ai)(br + i·bi) = (ar·br − ai·bi) + i·(ar·bi + ai·br).</summary>
    public static void Scalar(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> output)
    {
        for (var k = 0; k < a.Length; k += 2)
        {
            float ar = a[k], ai = a[k + 1], br = b[k], bi = b[k + 1];
            output[k] = ar * br - ai * bi;
            output[k + 1] = ar * bi + ai * br;
        }
    }
}
