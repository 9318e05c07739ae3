using System.Runtime.InteropServices;

namespace Seiscat.Native.Posix;

// glibc calls .NET does not wrap: madvise (dropping mapped pages from the process's resident set without unmapping
// them) and signal (ignoring SIGXFSZ, see FileSizeLimit).
internal static unsafe partial class Interop
{
    private const string Lib = "libc.so.6";
    public const int MADV_DONTNEED = 4;

    public const int SIGXFSZ = 25; // Linux, all architectures .NET runs on
    public static readonly nint SIG_IGN = 1;

    [LibraryImport(Lib, SetLastError = true)] public static partial int madvise(void* addr, nuint length, int advice);
    [LibraryImport(Lib, SetLastError = true)] public static partial nint signal(int signum, nint handler);
}
