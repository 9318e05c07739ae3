namespace Seiscat.Native.Hdf5;

/// <summary>An open HDF5 file; also its root group.</summary>
public sealed class H5File : H5Group
{
    private H5File(SafeH5FileHandle handle, string path) : base(handle, path, "/") { }

    public static H5File OpenRead(string path) => Open(path, Interop.H5F_ACC_RDONLY);

    /// <summary>Opens an existing file to change it in place (attributes of a file seiscat wrote, in tests and tools).</summary>
    public static H5File OpenReadWrite(string path) => Open(path, Interop.H5F_ACC_RDWR);

    /// <summary>Creates (truncating) a file.</summary>
    public static H5File Create(string path)
    {
        _ = H5Native.G;
        lock (H5Lock.Gate)
        {
            using var fcpl = Untimed(H5Native.G.ClsFileCreate);
            var id = H5Error.Check(Interop.H5Fcreate(path, Interop.H5F_ACC_TRUNC, fcpl.Id, Interop.H5P_DEFAULT), "creating HDF5 file", path);
            var file = new H5File(new SafeH5FileHandle(id), path);
            CloseOnExec(id);
            return file;
        }
    }

    /// <summary>True when the file exists and carries the HDF5 signature; never throws for unreadable files.</summary>
    public static bool IsHdf5(string path)
    {
        if (!File.Exists(path)) return false;
        _ = H5Native.G;
        lock (H5Lock.Gate)
        {
            var r = Interop.H5Fis_hdf5(path);
            if (r < 0) Interop.H5Eclear2(Interop.H5E_DEFAULT);
            return r > 0;
        }
    }

    private static H5File Open(string path, uint flags)
    {
        _ = H5Native.G;
        lock (H5Lock.Gate)
        {
            var id = H5Error.Check(Interop.H5Fopen(path, flags, Interop.H5P_DEFAULT), "opening HDF5 file", path);
            var file = new H5File(new SafeH5FileHandle(id), path);
            CloseOnExec(id);
            return file;
        }
    }

    /// <summary>
    /// libhdf5 opens files without O_CLOEXEC, so every child process started while a file is open (the metadata vetting
    /// child, a browser, a scheduler's helper) inherits its descriptor — and with it HDF5's flock: an output could not be
    /// renamed into place ("used by another process") until that child exited. The sec2 driver's handle is the fd.
    /// </summary>
    private static unsafe void CloseOnExec(long id)
    {
        void* handle = null;
        if (Interop.H5Fget_vfd_handle(id, Interop.H5P_DEFAULT, &handle) < 0)
        {
            Interop.H5Eclear2(Interop.H5E_DEFAULT); // another driver: nothing to mark
            return;
        }
        if (handle != null) Posix.Interop.fcntl(*(int*)handle, Posix.Interop.F_SETFD, Posix.Interop.FD_CLOEXEC);
    }

    public void Flush()
    {
        lock (H5Lock.Gate) Check(Interop.H5Fflush(Id, Interop.H5F_SCOPE_LOCAL), "H5Fflush");
    }
}
