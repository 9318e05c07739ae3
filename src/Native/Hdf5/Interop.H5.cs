using System.Runtime.InteropServices;

namespace Seiscat.Native.Hdf5;

// hid_t is int64_t and hsize_t/haddr_t uint64_t in HDF5 >= 1.10; herr_t/htri_t are int.
// Every function here must be called under H5Lock.Gate (the facade does so).
internal static unsafe partial class Interop
{
    private const string Lib = NativeLibraryNames.Hdf5;
    public const long H5P_DEFAULT = 0;
    public const long H5E_DEFAULT = 0;
    public const long H5S_ALL = 0;
    public const ulong HADDR_UNDEF = ulong.MaxValue;
    public static readonly nuint H5T_VARIABLE = nuint.MaxValue;

    [LibraryImport(Lib)] public static partial int H5open();
    [LibraryImport(Lib)] public static partial int H5dont_atexit();
    [LibraryImport(Lib)] public static partial int H5get_libversion(uint* majnum, uint* minnum, uint* relnum);
    [LibraryImport(Lib)] public static partial int H5is_library_threadsafe(byte* isTs);
    [LibraryImport(Lib)] public static partial int H5free_memory(void* mem);
}
