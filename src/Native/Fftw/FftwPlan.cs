using System.Collections.Concurrent;
using System.Text;

namespace Seiscat.Native.Fftw;

/// <summary>Transform kinds. ComplexToReal takes N/2+1 complex in and gives N reals (and, as FFTW's c2r, overwrites its input).</summary>
public enum FftKind { ComplexForward, ComplexBackward, RealToComplex, ComplexToReal }

/// <summary>Planner effort: Estimate (tests and one-off transforms: no timing), Measure (matching's correlation plans),
/// Patient (the features default: slow to plan, paid once per machine through the wisdom file).</summary>
public enum FftwEffort : uint { Measure = 0, Patient = 32, Estimate = 64 }

/// <summary>What identifies a plan in the cache: a batch of <c>HowMany</c> 1-D transforms of length N.</summary>
public readonly record struct PlanKey(FftKind Kind, int N, int HowMany, int InputDistance, int OutputDistance, FftwEffort Effort);

/// <summary>
/// An FFTW plan for a batch of 1-D transforms over contiguous rows (stride 1; rows InputDistance / OutputDistance
/// floats-or-complexes apart). Execution is lock-free and safe on any thread with its own buffers. Plans live in a
/// process-wide cache and are never destroyed (a handful per configuration), so there are no finalisers.
/// Unnormalised, as FFTW: backward(forward(x)) = N·x.
/// </summary>
public sealed unsafe class FftwPlan
{
    private static readonly Lock PlannerGate = new();
    private static readonly ConcurrentDictionary<PlanKey, Lazy<FftwPlan>> Cache = new();
    private readonly nint _plan;

    public PlanKey Key { get; }

    /// <summary>Floats the input buffer must hold: complex → 2·N per row, real → N per row.</summary>
    public int InputFloats => Key.Kind switch
    {
        FftKind.RealToComplex => Key.InputDistance * (Key.HowMany - 1) + Key.N,
        FftKind.ComplexToReal => 2 * (Key.InputDistance * (Key.HowMany - 1) + Key.N / 2 + 1),
        _ => 2 * (Key.InputDistance * (Key.HowMany - 1) + Key.N),
    };
    /// <summary>Floats of output: N complex per row, N/2+1 complex for real-to-complex, N reals for complex-to-real.</summary>
    public int OutputFloats => Key.Kind switch
    {
        FftKind.RealToComplex => 2 * (Key.OutputDistance * (Key.HowMany - 1) + Key.N / 2 + 1),
        FftKind.ComplexToReal => Key.OutputDistance * (Key.HowMany - 1) + Key.N,
        _ => 2 * (Key.OutputDistance * (Key.HowMany - 1) + Key.N),
    };

    private FftwPlan(PlanKey key, nint plan)
    {
        Key = key;
        _plan = plan;
    }

    /// <summary>The cached plan for a key, planned once under the planner lock.</summary>
    public static FftwPlan Get(PlanKey key)
    {
        if (key.N < 1 || key.HowMany < 1) throw new ArgumentOutOfRangeException(nameof(key), $"FFT of length {key.N} × {key.HowMany} is impossible");
        return Cache.GetOrAdd(key, k => new Lazy<FftwPlan>(() => Create(k), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    public static FftwPlan Get(FftKind kind, int n, int howMany = 1, FftwEffort effort = FftwEffort.Estimate)
        => Get(new PlanKey(kind, n, howMany, kind == FftKind.ComplexToReal ? n / 2 + 1 : n, kind == FftKind.RealToComplex ? n / 2 + 1 : n, effort));

    private static FftwPlan Create(PlanKey k)
    {
        // Plan on scratch buffers of the same (64-byte) alignment class as every FftwBuffer, so new-array execute is valid.
        var probe = new FftwPlan(k, 0);
        using var input = new FftwBuffer(probe.InputFloats);
        using var output = new FftwBuffer(probe.OutputFloats);
        var n = k.N;
        nint plan;
        lock (PlannerGate)
        {
            plan = k.Kind switch
            {
                FftKind.RealToComplex => Interop.fftwf_plan_many_dft_r2c(1, &n, k.HowMany, input.Pointer, null, 1, k.InputDistance, output.Pointer,
                    null, 1, k.OutputDistance, (uint)k.Effort),
                FftKind.ComplexToReal => Interop.fftwf_plan_many_dft_c2r(1, &n, k.HowMany, input.Pointer, null, 1, k.InputDistance, output.Pointer,
                    null, 1, k.OutputDistance, (uint)k.Effort),
                _ => Interop.fftwf_plan_many_dft(1, &n, k.HowMany, input.Pointer, null, 1, k.InputDistance, output.Pointer, null, 1, k.OutputDistance,
                    k.Kind == FftKind.ComplexForward ? Interop.FFTW_FORWARD : Interop.FFTW_BACKWARD, (uint)k.Effort),
            };
        }
        if (plan == 0) throw new InvalidOperationException($"FFTW could not plan {k}");
        return new FftwPlan(k, plan);
    }

    /// <summary>Runs the plan on caller buffers (must hold InputFloats / OutputFloats, 64-byte aligned FftwBuffers).</summary>
    public void Execute(FftwBuffer input, FftwBuffer output)
    {
        if (input.Length < InputFloats || output.Length < OutputFloats)
            throw new ArgumentException($"buffers of {input.Length}/{output.Length} floats for a plan needing {InputFloats}/{OutputFloats}");
        // An FftwBuffer's own pointer is 64-byte aligned by construction: no need to ask FFTW (two P/Invokes per
        // transform, 1.3 % of a fast-path `features` run in dotnet-trace).
        ExecuteAligned(input.Pointer, output.Pointer);
    }

    /// <summary>Same, at float offsets into the buffers (offsets must keep 64-byte alignment: multiples of 16 floats).</summary>
    public void Execute(FftwBuffer input, int inputOffset, FftwBuffer output, int outputOffset)
    {
        if ((inputOffset | outputOffset) % 16 != 0) throw new ArgumentException("offsets must be multiples of 16 floats to keep the plan's alignment");
        if (input.Length - inputOffset < InputFloats || output.Length - outputOffset < OutputFloats)
            throw new ArgumentException($"buffers too small for a plan needing {InputFloats}/{OutputFloats} floats");
        Execute(input.Pointer + inputOffset, output.Pointer + outputOffset);
    }

    private void Execute(float* input, float* output)
    {
        // New-array execute is only valid on the alignment class the plan was made for (ours: 64-byte aligned).
        if (FftwBuffer.AlignmentOf(input) != 0 || FftwBuffer.AlignmentOf(output) != 0)
            throw new ArgumentException("FFTW buffers must keep the plan's alignment (use FftwBuffer and offsets that are multiples of 16 floats)");
        ExecuteAligned(input, output);
    }

    private void ExecuteAligned(float* input, float* output)
    {
        switch (Key.Kind)
        {
            case FftKind.RealToComplex: Interop.fftwf_execute_dft_r2c(_plan, input, output); break;
            case FftKind.ComplexToReal: Interop.fftwf_execute_dft_c2r(_plan, input, output); break;
            default: Interop.fftwf_execute_dft(_plan, input, output); break;
        }
    }

    /// <summary>Loads accumulated planner wisdom (FFTW_MEASURE results) from a file; false if absent or unreadable.</summary>
    public static bool ImportWisdom(string path)
    {
        if (!File.Exists(path)) return false;
        var bytes = Encoding.UTF8.GetBytes(path + "\0");
        lock (PlannerGate)
            fixed (byte* p = bytes) return Interop.fftwf_import_wisdom_from_filename(p) != 0;
    }

    /// <summary>Writes wisdom under a temporary name then renames it, so concurrent processes never read a half-written file.</summary>
    public static bool ExportWisdom(string path)
    {
        var temp = $"{path}.tmp-{Environment.ProcessId}-{Environment.CurrentManagedThreadId}";
        var bytes = Encoding.UTF8.GetBytes(temp + "\0");
        bool ok;
        lock (PlannerGate)
            fixed (byte* p = bytes) ok = Interop.fftwf_export_wisdom_to_filename(p) != 0;
        try
        {
            if (ok) File.Move(temp, path, overwrite: true);
            else File.Delete(temp);
        }
        catch (IOException) { ok = false; }
        catch (UnauthorizedAccessException) { ok = false; }
        return ok;
    }

    /// <summary>Parses estimate | measure | patient.</summary>
    public static FftwEffort ParseEffort(string text) => text.ToLowerInvariant() switch
    {
        "estimate" => FftwEffort.Estimate,
        "measure" => FftwEffort.Measure,
        "patient" => FftwEffort.Patient,
        _ => throw new ArgumentException($"FFTW planner effort '{text}': use estimate, measure or patient"),
    };

    /// <summary>Loads the default wisdom file, runs <paramref name="plan"/>, saves wisdom back (best effort).</summary>
    public static T WithWisdom<T>(Func<T> plan)
    {
        var path = DefaultWisdomPath;
        ImportWisdom(path);
        var result = plan();
        try { Directory.CreateDirectory(Path.GetDirectoryName(path)!); ExportWisdom(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return result;
    }

    /// <summary>Where production runs keep wisdom: $SEISCAT_FFTW_WISDOM or ~/.cache/seiscat/fftwf-wisdom.</summary>
    public static string DefaultWisdomPath =>
        Environment.GetEnvironmentVariable("SEISCAT_FFTW_WISDOM")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "seiscat", "fftwf-wisdom");
}
