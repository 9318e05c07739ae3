using System.Runtime.Intrinsics;

namespace Seiscat.Engine.Kernels;

/// <summary>Instruction-set paths a kernel can take, narrowest first.</summary>
public enum KernelIsa { Scalar = 0, Vector128 = 1, Vector256 = 2, Vector512 = 3 }

/// <summary>
/// The one place that decides which SIMD path every kernel uses. Widest hardware-accelerated width first,
/// capped by <c>SEISCAT_FORCE_KERNEL</c> (scalar | v128 | v256 | v512) so tests and benchmarks can pin a path.
/// Each kernel asks once, at type initialisation, with the paths it implements (<see cref="Choose(KernelIsa[])"/>) and
/// keeps the answer in a static readonly <c>Path</c> (a JIT-time constant); it never changes during a process.
/// </summary>
public static class KernelPath
{
    public const string EnvironmentVariable = "SEISCAT_FORCE_KERNEL";

    public static KernelIsa Active { get; } = Choose(Environment.GetEnvironmentVariable(EnvironmentVariable));

    public static KernelIsa Widest =>
        Vector512.IsHardwareAccelerated ? KernelIsa.Vector512
        : Vector256.IsHardwareAccelerated ? KernelIsa.Vector256
        : Vector128.IsHardwareAccelerated ? KernelIsa.Vector128
        : KernelIsa.Scalar;

    /// <summary>The widest of a kernel's implemented paths that this machine accelerates and the cap allows (scalar
    /// always qualifies).</summary>
    public static KernelIsa Choose(params KernelIsa[] implemented)
    {
        var best = KernelIsa.Scalar;
        foreach (var isa in implemented)
            if (isa <= Active && Accelerated(isa) && isa > best) best = isa;
        return best;
    }

    private static bool Accelerated(KernelIsa isa) => isa switch
    {
        KernelIsa.Vector128 => Vector128.IsHardwareAccelerated,
        KernelIsa.Vector256 => Vector256.IsHardwareAccelerated,
        KernelIsa.Vector512 => Vector512.IsHardwareAccelerated,
        _ => true,
    };

    internal static KernelIsa Choose(string? forced)
    {
        var widest = Widest;
        KernelIsa? cap = forced?.Trim().ToLowerInvariant() switch
        {
            null or "" => null,
            "scalar" => KernelIsa.Scalar,
            "v128" or "vector128" => KernelIsa.Vector128,
            "v256" or "vector256" => KernelIsa.Vector256,
            "v512" or "vector512" => KernelIsa.Vector512,
            _ => throw new SeiscatException($"{EnvironmentVariable}={forced} is not a kernel path; use scalar, v128, v256 or v512"),
        };
        return cap is { } c && c < widest ? c : widest;
    }
}
