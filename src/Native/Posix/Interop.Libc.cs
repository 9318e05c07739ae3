using System.Runtime.InteropServices;

namespace Seiscat.Native.Posix;

// glibc's madvise: the only POSIX call .NET does not wrap that seiscat needs (dropping mapped pages from the
// process's resident set without unmapping them).
internal static unsafe partial class Interop
{
    private const string Lib = "libc.so.6";
    public const int MADV_DONTNEED = 4;

    [LibraryImport(Lib, SetLastError = true)] public static partial int madvise(void* addr, nuint length, int advice);
}
