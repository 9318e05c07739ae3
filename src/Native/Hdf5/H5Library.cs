namespace Seiscat.Native.Hdf5;

/// <summary>Which libhdf5 is loaded, its version and whether it was built thread-safe (for `seiscat doctor`).</summary>
public static unsafe class H5Library
{
    public static string Version
    {
        get
        {
            _ = H5Native.G;
            uint major, minor, release;
            lock (H5Lock.Gate) H5Error.Check(Interop.H5get_libversion(&major, &minor, &release), "H5get_libversion");
            return $"{major}.{minor}.{release}";
        }
    }

    public static bool IsThreadSafe
    {
        get
        {
            _ = H5Native.G;
            byte ts;
            lock (H5Lock.Gate) H5Error.Check(Interop.H5is_library_threadsafe(&ts), "H5is_library_threadsafe");
            return ts != 0;
        }
    }

    public static string LibraryPath => H5Native.G.Path;
}
