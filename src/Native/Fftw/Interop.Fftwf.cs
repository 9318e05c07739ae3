using System.Runtime.InteropServices;

namespace Seiscat.Native.Fftw;

// FFTW 3 single precision (libfftw3f). Planner, destroy and wisdom functions are not thread-safe and must be
// called under FftwPlan's PlannerGate; fftwf_execute_* on distinct buffers are thread-safe and called without a lock.
internal static unsafe partial class Interop
{
    private const string Lib = NativeLibraryNames.Fftw;
    public const int FFTW_FORWARD = -1;
    public const int FFTW_BACKWARD = 1;

    [LibraryImport(Lib)]
    public static partial nint fftwf_plan_many_dft(int rank, int* n, int howmany, float* input, int* inembed, int istride,
        int idist, float* output, int* onembed, int ostride, int odist, int sign, uint flags);
    [LibraryImport(Lib)]
    public static partial nint fftwf_plan_many_dft_r2c(int rank, int* n, int howmany, float* input, int* inembed, int istride,
        int idist, float* output, int* onembed, int ostride, int odist, uint flags);
    [LibraryImport(Lib)]
    public static partial nint fftwf_plan_many_dft_c2r(int rank, int* n, int howmany, float* input, int* inembed, int istride,
        int idist, float* output, int* onembed, int ostride, int odist, uint flags);
    [LibraryImport(Lib)] public static partial void fftwf_execute_dft(nint plan, float* input, float* output);
    [LibraryImport(Lib)] public static partial void fftwf_execute_dft_r2c(nint plan, float* input, float* output);
    [LibraryImport(Lib)] public static partial void fftwf_execute_dft_c2r(nint plan, float* input, float* output);
    [LibraryImport(Lib)] public static partial void fftwf_destroy_plan(nint plan);
    [LibraryImport(Lib)] public static partial void* fftwf_malloc(nuint n);
    [LibraryImport(Lib)] public static partial void fftwf_free(void* p);
    [LibraryImport(Lib)] public static partial int fftwf_alignment_of(float* p);
    [LibraryImport(Lib)] public static partial int fftwf_export_wisdom_to_filename(byte* filename);
    [LibraryImport(Lib)] public static partial int fftwf_import_wisdom_from_filename(byte* filename);
}
