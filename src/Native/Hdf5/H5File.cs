namespace Seiscat.Native.Hdf5;

/// <summary>An open HDF5 file; also its root group.</summary>
public sealed class H5File : H5Group
{
    private H5File(SafeH5FileHandle handle, string path) : base(handle, path, "/") { }

    public static H5File OpenRead(string path) => Open(path, Interop.H5F_ACC_RDONLY);

    public static H5File OpenReadWrite(string path) => Open(path, Interop.H5F_ACC_RDWR);

    /// <summary>Creates (truncating) a file.</summary>
    public static H5File Create(string path)
    {
        _ = H5Native.G;
        lock (H5Lock.Gate)
        {
            using var fcpl = Untimed(H5Native.G.ClsFileCreate);
            var id = H5Error.Check(Interop.H5Fcreate(path, Interop.H5F_ACC_TRUNC, fcpl.Id, Interop.H5P_DEFAULT), "creating HDF5 file", path);
            return new H5File(new SafeH5FileHandle(id), path);
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
            return new H5File(new SafeH5FileHandle(id), path);
        }
    }

    public void Flush()
    {
        lock (H5Lock.Gate) Check(Interop.H5Fflush(Id, Interop.H5F_SCOPE_LOCAL), "H5Fflush");
    }
}
