using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Seiscat.Engine.Kernels;

/// <summary>
/// In-place row accumulations of the mixture's M-step (tied and diagonal covariances): y[j] += a·x[j] and
/// y[j] += (r·x[j])·x[j]. Each element's sum over rows keeps the scalar formula and order, so the vector path gives the
/// scalar twin's bits exactly.
/// </summary>
[SkipLocalsInit]
public static partial class Accumulate
{
    /// <summary>The path this machine takes, chosen once.</summary>
    public static KernelIsa Path { get; } = KernelPath.Choose(KernelIsa.Vector256);

    /// <summary>y[j] += a·x[j].</summary>
    public static void Scaled(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        if (y.Length < x.Length) throw new ArgumentException("y is shorter than x");
        if (Path == KernelIsa.Vector256 && x.Length >= Vector256<double>.Count) ScaledVector256(a, x, y);
        else ScaledScalar(a, x, y);
    }

    public static void ScaledScalar(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        for (var j = 0; j < x.Length; j++) y[j] += a * x[j];
    }

    /// <summary>y[j] += (r·x[j])·x[j].</summary>
    public static void WeightedSquares(double r, ReadOnlySpan<double> x, Span<double> y)
    {
        if (y.Length < x.Length) throw new ArgumentException("y is shorter than x");
        if (Path == KernelIsa.Vector256 && x.Length >= Vector256<double>.Count) WeightedSquaresVector256(r, x, y);
        else WeightedSquaresScalar(r, x, y);
    }

    public static void WeightedSquaresScalar(double r, ReadOnlySpan<double> x, Span<double> y)
    {
        for (var j = 0; j < x.Length; j++) y[j] += r * x[j] * x[j];
    }
}
