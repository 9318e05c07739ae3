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

    /// <summary>True when libhdf5 can run filter <paramref name="id"/>: built in, or a plugin found on its search path
    /// (which loads the plugin on first ask).</summary>
    public static bool FilterAvailable(int id)
    {
        _ = H5Native.G;
        lock (H5Lock.Gate)
        {
            var r = Interop.H5Zfilter_avail(id);
            if (r < 0) Interop.H5Eclear2(Interop.H5E_DEFAULT);
            return r > 0;
        }
    }

    /// <summary>The folders libhdf5 searches for filter plugins (HDF5_PLUGIN_PATH, else its built-in default).</summary>
    public static IReadOnlyList<string> PluginPaths
    {
        get
        {
            _ = H5Native.G;
            var paths = new List<string>();
            lock (H5Lock.Gate)
            {
                uint n;
                if (Interop.H5PLsize(&n) < 0) { Interop.H5Eclear2(Interop.H5E_DEFAULT); return paths; }
                var buffer = stackalloc byte[4096];
                for (uint i = 0; i < n; i++)
                {
                    var length = Interop.H5PLget(i, buffer, 4096);
                    if (length > 0) paths.Add(System.Text.Encoding.UTF8.GetString(buffer, (int)Math.Min(length, 4095)));
                }
            }
            return paths;
        }
    }
}
