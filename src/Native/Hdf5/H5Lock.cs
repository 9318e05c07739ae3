namespace Seiscat.Native.Hdf5;

/// <summary>
/// The one process-wide, reentrant lock around every H5* call (closes included). Even the thread-safe build of
/// libhdf5 serialises internally with a global mutex, and our error-stack walk must see the stack of the call that
/// just failed, so one managed lock keeps the contract simple: metadata under the lock, bulk bytes via mmap outside it.
/// </summary>
internal static unsafe class H5Lock
{
    private static readonly Lock Shared = new();

    [ThreadStatic] private static bool _quiet;

    /// <summary>
    /// Every H5 call takes this. The first time a thread takes it, HDF5's automatic error printing is switched off for
    /// that thread: the thread-safe build keeps one error stack (and printer) per thread, so switching it off once at
    /// start-up silenced only the first thread, and failures on worker threads printed HDF5-DIAG traces to stderr.
    /// </summary>
    public static Lock Gate
    {
        get
        {
            if (!_quiet) Quiet();
            return Shared;
        }
    }

    /// <summary>The lock without the per-thread set-up: for the library's own initialisation only.</summary>
    internal static Lock Raw => Shared;

    /// <summary>True when HDF5 would print errors of this thread's calls to stderr (tests).</summary>
    internal static bool PrintsErrors()
    {
        lock (Gate)
        {
            void* func = null, data = null;
            Interop.H5Eget_auto2(Interop.H5E_DEFAULT, &func, &data);
            return func != null;
        }
    }

    private static void Quiet()
    {
        _quiet = true; // first: initialising the library takes the lock too
        _ = H5Native.G;
        lock (Shared) Interop.H5Eset_auto2(Interop.H5E_DEFAULT, null, null);
    }
}
