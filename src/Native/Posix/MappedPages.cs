namespace Seiscat.Native.Posix;

/// <summary>
/// Residency control for read-only file mappings. A whole-file mapping that has been read end to end keeps every
/// touched page in the process's resident set (RSS) until unmapped; on a 20 GB file that defeats any memory bound.
/// <see cref="Release"/> drops them: the mapping stays valid and later reads fault the pages back from the page
/// cache (a minor fault) or the file, with the same bytes, so it is safe while other threads read.
/// </summary>
public static unsafe class MappedPages
{
    /// <summary>Drops the resident pages of [address, address + length); address must be page-aligned. Returns false
    /// (and changes nothing) on systems without madvise.</summary>
    public static bool Release(void* address, long length)
    {
        if (length <= 0 || !OperatingSystem.IsLinux()) return false;
        if (((nuint)address & (nuint)(Environment.SystemPageSize - 1)) != 0)
            throw new ArgumentException("madvise needs a page-aligned address", nameof(address));
        return Interop.madvise(address, (nuint)length, Interop.MADV_DONTNEED) == 0;
    }
}
