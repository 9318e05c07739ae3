using System.Runtime.InteropServices;

namespace Seiscat.Native.Hdf5;

internal static unsafe partial class Interop
{
    [StructLayout(LayoutKind.Sequential)]
    public struct H5E_error2_t
    {
        public long cls_id;
        public long maj_num;
        public long min_num;
        public uint line;
        public byte* func_name;
        public byte* file_name;
        public byte* desc;
    }

    public const int H5E_WALK_DOWNWARD = 1;

    [LibraryImport(Lib)] public static partial int H5Eset_auto2(long estackId, void* func, void* clientData);
    [LibraryImport(Lib)] public static partial int H5Eget_auto2(long estackId, void** func, void** clientData);
    [LibraryImport(Lib)]
    public static partial int H5Ewalk2(long estackId, int direction, delegate* unmanaged<uint, H5E_error2_t*, void*, int> func,
        void* clientData);
    [LibraryImport(Lib)] public static partial int H5Eclear2(long estackId);
    [LibraryImport(Lib)] public static partial nint H5Eget_msg(long msgId, int* type, byte* msg, nuint size);
}
