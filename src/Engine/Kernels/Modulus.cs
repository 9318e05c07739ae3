using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Seiscat.Engine.Kernels;

/// <summary>|z| of interleaved complex floats: output[k] = sqrt(re² + im²), n = output.Length values.</summary>
[SkipLocalsInit]
public static partial class Modulus
{
    /// <summary>The path this machine takes, chosen once.</summary>
    public static KernelIsa Path { get; } = KernelPath.Choose(KernelIsa.Vector256);

    public static void Apply(ReadOnlySpan<float> complex, Span<float> output)
    {
        if (complex.Length < 2 * output.Length) throw new ArgumentException("complex span too short");
        if (Path == KernelIsa.Vector256 && output.Length >= Vector256<float>.Count)
            Vector256Path(complex, output);
        else
            Scalar(complex, output);
    }

    public static void Scalar(ReadOnlySpan<float> complex, Span<float> output)
    {
        for (var k = 0; k < output.Length; k++)
        {
            float re = complex[2 * k], im = complex[2 * k + 1];
            output[k] = MathF.Sqrt(re * re + im * im);
        }
    }
}
