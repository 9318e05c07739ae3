using System.Runtime.InteropServices;

namespace Seiscat.Native.Hdf5;

internal static unsafe partial class Interop
{
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial long H5Dopen2(long locId, string name, long daplId);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial long H5Dcreate2(long locId, string name, long typeId,
        long spaceId, long lcplId, long dcplId, long daplId);
    [LibraryImport(Lib)] public static partial int H5Dclose(long datasetId);
    [LibraryImport(Lib)] public static partial long H5Dget_space(long datasetId);
    [LibraryImport(Lib)] public static partial long H5Dget_type(long datasetId);
    [LibraryImport(Lib)] public static partial long H5Dget_create_plist(long datasetId);
    [LibraryImport(Lib)] public static partial int H5Dread(long datasetId, long memTypeId, long memSpaceId, long fileSpaceId, long xferPlistId, void* buf);
    [LibraryImport(Lib)] public static partial int H5Dwrite(long datasetId, long memTypeId, long memSpaceId, long fileSpaceId, long xferPlistId, void* buf);
    [LibraryImport(Lib)] public static partial ulong H5Dget_offset(long datasetId);
    [LibraryImport(Lib)] public static partial ulong H5Dget_storage_size(long datasetId);
    [LibraryImport(Lib)] public static partial int H5Dset_extent(long datasetId, ulong* size);
    [LibraryImport(Lib)] public static partial int H5Dget_num_chunks(long datasetId, long fspaceId, ulong* nchunks);
    [LibraryImport(Lib)]
    public static partial int H5Dget_chunk_info(long datasetId, long fspaceId, ulong index, ulong* offset, uint* filterMask,
        ulong* addr, ulong* size);
    // Direct chunk access by coordinate: both look the chunk up in the index (a B-tree search), where H5Dget_chunk_info(i)
    // walks the index from its start on every call (HDF5 1.10.8: quadratic over a dataset's chunks).
    [LibraryImport(Lib)] public static partial int H5Dget_chunk_storage_size(long datasetId, ulong* offset, ulong* chunkBytes);
    [LibraryImport(Lib)] public static partial int H5Dwrite_chunk(long datasetId, long dxplId, uint filters, ulong* offset, nuint dataSize, void* buf);
    [LibraryImport(Lib)] public static partial int H5Dread_chunk(long datasetId, long dxplId, ulong* offset, uint* filters, void* buf);
    [LibraryImport(Lib)] public static partial int H5Dvlen_reclaim(long typeId, long spaceId, long plistId, void* buf);
}
