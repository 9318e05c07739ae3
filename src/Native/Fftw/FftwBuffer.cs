using System.Runtime.InteropServices;

namespace Seiscat.Native.Fftw;

/// <summary>
/// Float memory from fftwf_malloc, 64-byte aligned (we allocate 64 extra bytes and align ourselves: fftwf_malloc
/// only promises the SIMD alignment FFTW was built for). Complex values are interleaved (re, im).
/// Owned by one thread's workspace; freed on Dispose.
/// </summary>
public sealed unsafe class FftwBuffer : SafeHandle
{
    private readonly float* _aligned;

    public int Length { get; }

    public FftwBuffer(int floats) : base(0, ownsHandle: true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(floats);
        Length = floats;
        var raw = Interop.fftwf_malloc((nuint)(Math.Max(floats, 1) * sizeof(float) + 64));
        if (raw is null) throw new OutOfMemoryException($"fftwf_malloc of {floats} floats failed");
        SetHandle((nint)raw);
        _aligned = (float*)(((nint)raw + 63) & ~(nint)63);
        new Span<float>(_aligned, floats).Clear();
    }

    public override bool IsInvalid => handle == 0;

    public Span<float> Span => new(_aligned, Length);

    internal float* Pointer => _aligned;

    /// <summary>FFTW's alignment class of a pointer: plans made on one class must execute on the same class.</summary>
    internal static int AlignmentOf(float* p) => Interop.fftwf_alignment_of(p);

    protected override bool ReleaseHandle()
    {
        Interop.fftwf_free((void*)handle);
        return true;
    }
}
