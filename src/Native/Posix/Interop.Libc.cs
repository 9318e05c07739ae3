using System.Runtime.InteropServices;

namespace Seiscat.Native.Posix;

// glibc calls .NET does not wrap: madvise (dropping mapped pages from the process's resident set without unmapping
// them), signal (ignoring SIGXFSZ, see FileSizeLimit) and fcntl (close-on-exec for libhdf5's descriptors).
internal static unsafe partial class Interop
{
    private const string Lib = "libc.so.6";
    public const int MADV_DONTNEED = 4;

    public const int SIGXFSZ = 25; // Linux, all architectures .NET runs on
    public static readonly nint SIG_IGN = 1;

    [LibraryImport(Lib, SetLastError = true)] public static partial int madvise(void* addr, nuint length, int advice);
    [LibraryImport(Lib, SetLastError = true)] public static partial nint signal(int signum, nint handler);

    public const int F_SETFD = 2;
    public const int FD_CLOEXEC = 1;

    // fcntl is variadic; its third argument is an int, passed in a register as for a fixed int parameter on x86-64/arm64.
    [LibraryImport(Lib, SetLastError = true)] public static partial int fcntl(int fd, int cmd, int arg);
}
