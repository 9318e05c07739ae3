using System.Runtime.InteropServices;

namespace Seiscat.Native.Hdf5;

/// <summary>
/// One-time library initialisation and the predefined ids (H5T_NATIVE_*, H5P_CLS_*), which libhdf5 exports as
/// global variables that only hold valid ids after H5open.
/// </summary>
internal static unsafe class H5Native
{
    private static readonly Lazy<Globals> Ids = new(Initialise, LazyThreadSafetyMode.ExecutionAndPublication);

    public static Globals G => Ids.Value;

    public sealed class Globals
    {
        public long NativeFloat, NativeDouble, NativeSChar, NativeUChar, NativeShort, NativeUShort, NativeInt, NativeUInt, NativeLLong, NativeULLong;
        public long CString;
        public long ClsDatasetCreate, ClsLinkCreate, ClsGroupCreate, ClsFileCreate;
        public nint Handle;
        public string Path = "";
    }

    private static Globals Initialise()
    {
        var lib = NativeLibraryResolver.Load(NativeLibraryNames.Hdf5);
        lock (H5Lock.Raw)
        {
            // No atexit teardown: after a failed write (disk full) H5Fclose fails and leaves the file id open, and
            // HDF5's exit-time close of it crashes (SIGSEGV in H5F__close_cb). Every output is closed explicitly
            // before it is renamed into place, so the teardown has nothing to save. Must precede any other call.
            Interop.H5dont_atexit();
            if (Interop.H5open() < 0) throw new Hdf5Exception("H5open failed", null, null, "");
            // Errors are collected by walking the stack after a failure; HDF5's default printer would write to stderr.
            Interop.H5Eset_auto2(Interop.H5E_DEFAULT, null, null);
            long Read(string name) => *(long*)NativeLibrary.GetExport(lib.Handle, name);
            return new Globals
            {
                Handle = lib.Handle,
                Path = lib.Path,
                NativeFloat = Read("H5T_NATIVE_FLOAT_g"),
                NativeDouble = Read("H5T_NATIVE_DOUBLE_g"),
                NativeSChar = Read("H5T_NATIVE_SCHAR_g"),
                NativeUChar = Read("H5T_NATIVE_UCHAR_g"),
                NativeShort = Read("H5T_NATIVE_SHORT_g"),
                NativeUShort = Read("H5T_NATIVE_USHORT_g"),
                NativeInt = Read("H5T_NATIVE_INT_g"),
                NativeUInt = Read("H5T_NATIVE_UINT_g"),
                NativeLLong = Read("H5T_NATIVE_LLONG_g"),
                NativeULLong = Read("H5T_NATIVE_ULLONG_g"),
                CString = Read("H5T_C_S1_g"),
                ClsDatasetCreate = Read("H5P_CLS_DATASET_CREATE_ID_g"),
                ClsLinkCreate = Read("H5P_CLS_LINK_CREATE_ID_g"),
                ClsGroupCreate = Read("H5P_CLS_GROUP_CREATE_ID_g"),
                ClsFileCreate = Read("H5P_CLS_FILE_CREATE_ID_g"),
            };
        }
    }

    /// <summary>The native memory type for T; HDF5 converts from the file type on read and to it on write.</summary>
    public static long MemoryType<T>() where T : unmanaged
    {
        var g = G;
        if (typeof(T) == typeof(float)) return g.NativeFloat;
        if (typeof(T) == typeof(double)) return g.NativeDouble;
        if (typeof(T) == typeof(sbyte)) return g.NativeSChar;
        if (typeof(T) == typeof(byte)) return g.NativeUChar;
        if (typeof(T) == typeof(short)) return g.NativeShort;
        if (typeof(T) == typeof(ushort)) return g.NativeUShort;
        if (typeof(T) == typeof(int)) return g.NativeInt;
        if (typeof(T) == typeof(uint)) return g.NativeUInt;
        if (typeof(T) == typeof(long)) return g.NativeLLong;
        if (typeof(T) == typeof(ulong)) return g.NativeULLong;
        throw new NotSupportedException($"HDF5 element type {typeof(T).Name} is not supported");
    }
}
