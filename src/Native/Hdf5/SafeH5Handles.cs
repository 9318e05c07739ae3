using System.Runtime.InteropServices;

namespace Seiscat.Native.Hdf5;

/// <summary>
/// An HDF5 identifier (hid_t, int64) owned by managed code. Closing takes the HDF5 lock, so handles can be
/// released from any thread. Valid ids are positive; HDF5 returns negative values on failure.
/// </summary>
internal abstract class SafeH5Handle : SafeHandle
{
    protected SafeH5Handle(long id) : base(-1, ownsHandle: true) => SetHandle((nint)id);

    /// <summary>What the handle opens (FILE:OBJECT), for the leak report; set by the object that owns it.</summary>
    public string? Description { get; set; }

    // A handle closed by the finalizer was never disposed: HDF5 keeps a file open (and a written file unfinished)
    // until the GC gets there. Counted so a test can fail on it (H5Handles.Leaked).
    protected override void Dispose(bool disposing)
    {
        if (!disposing && !IsInvalid && !IsClosed) H5Handles.NoteLeak(GetType().Name, Description);
        base.Dispose(disposing);
    }

    public override bool IsInvalid => handle <= 0;

    public long Id
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsClosed, this);
            return handle;
        }
    }

    protected abstract int Close(long id);

    protected override bool ReleaseHandle()
    {
        lock (H5Lock.Gate) return Close(handle) >= 0;
    }
}

internal sealed class SafeH5FileHandle(long id) : SafeH5Handle(id) { protected override int Close(long id) => Interop.H5Fclose(id); }
internal sealed class SafeH5GroupHandle(long id) : SafeH5Handle(id) { protected override int Close(long id) => Interop.H5Gclose(id); }
internal sealed class SafeH5DatasetHandle(long id) : SafeH5Handle(id) { protected override int Close(long id) => Interop.H5Dclose(id); }
internal sealed class SafeH5DataspaceHandle(long id) : SafeH5Handle(id) { protected override int Close(long id) => Interop.H5Sclose(id); }
internal sealed class SafeH5TypeHandle(long id) : SafeH5Handle(id) { protected override int Close(long id) => Interop.H5Tclose(id); }
internal sealed class SafeH5AttributeHandle(long id) : SafeH5Handle(id) { protected override int Close(long id) => Interop.H5Aclose(id); }
internal sealed class SafeH5PropertyListHandle(long id) : SafeH5Handle(id) { protected override int Close(long id) => Interop.H5Pclose(id); }
internal sealed class SafeH5ObjectHandle(long id) : SafeH5Handle(id) { protected override int Close(long id) => Interop.H5Oclose(id); }
