namespace Seiscat.Native.Hdf5;

/// <summary>
/// The one process-wide, reentrant lock around every H5* call (closes included). Even the thread-safe build of
/// libhdf5 serialises internally with a global mutex, and our error-stack walk must see the stack of the call that
/// just failed, so one managed lock keeps the contract simple: metadata under the lock, bulk bytes via mmap outside it.
/// </summary>
internal static class H5Lock
{
    public static readonly Lock Gate = new();
}
