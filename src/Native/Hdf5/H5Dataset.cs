using System.Runtime.InteropServices;
using System.Text;

namespace Seiscat.Native.Hdf5;

/// <summary>
/// A dataset: its shape, element type and storage (layout, chunks, filters, raw file offsets) read once at open,
/// and whole or hyperslab reads/writes converted by HDF5 to/from T. Engine/Io reads raw bytes via mmap using
/// <see cref="ContiguousOffset"/> and <see cref="GetChunkInfo"/>; H5Dread here remains the reference.
/// </summary>
public sealed unsafe class H5Dataset : H5Object
{
    internal H5Dataset(SafeH5DatasetHandle handle, string filePath, string objectPath) : base(handle, filePath, objectPath)
    {
        lock (H5Lock.Gate)
        {
            using var space = FileSpace();
            var rank = Interop.H5Sget_simple_extent_ndims(space.Id);
            Check(rank, "H5Sget_simple_extent_ndims");
            var dims = new ulong[rank];
            var max = new ulong[rank];
            fixed (ulong* pd = dims)
            fixed (ulong* pm = max)
                if (rank > 0) Check(Interop.H5Sget_simple_extent_dims(space.Id, pd, pm), "H5Sget_simple_extent_dims");
            Dims = dims.Select(d => (long)d).ToArray();
            MaxDims = max.Select(m => m == Interop.H5S_UNLIMITED ? -1L : (long)m).ToArray();
            ElementCount = Check(Interop.H5Sget_simple_extent_npoints(space.Id), "H5Sget_simple_extent_npoints");

            using var type = new SafeH5TypeHandle(Check(Interop.H5Dget_type(Id), "H5Dget_type"));
            Type = H5TypeDescription.Describe(type.Id);

            using var dcpl = new SafeH5PropertyListHandle(Check(Interop.H5Dget_create_plist(Id), "H5Dget_create_plist"));
            Layout = Check(Interop.H5Pget_layout(dcpl.Id), "H5Pget_layout") switch
            {
                Interop.H5D_COMPACT => H5Layout.Compact,
                Interop.H5D_CONTIGUOUS => H5Layout.Contiguous,
                Interop.H5D_CHUNKED => H5Layout.Chunked,
                _ => H5Layout.Virtual,
            };
            if (Layout == H5Layout.Chunked)
            {
                var chunk = new ulong[Math.Max(rank, 1)];
                fixed (ulong* pc = chunk) Check(Interop.H5Pget_chunk(dcpl.Id, chunk.Length, pc), "H5Pget_chunk");
                ChunkDims = chunk.Take(rank).Select(c => (long)c).ToArray();
            }
            Filters = ReadFilters(dcpl.Id);
            double fill = 0;
            if (Interop.H5Pget_fill_value(dcpl.Id, H5Native.G.NativeDouble, &fill) < 0) Interop.H5Eclear2(Interop.H5E_DEFAULT);
            else FillValue = fill;
            StorageSize = (long)Interop.H5Dget_storage_size(Id);
            if (Layout == H5Layout.Contiguous)
            {
                var offset = Interop.H5Dget_offset(Id);
                if (offset == Interop.HADDR_UNDEF) Interop.H5Eclear2(Interop.H5E_DEFAULT);
                else ContiguousOffset = (long)offset;
            }
        }
    }

    public long[] Dims { get; private set; }
    public int Rank => Dims.Length;
    public long ElementCount { get; private set; }
    /// <summary>-1 = unlimited.</summary>
    public long[] MaxDims { get; }
    public H5TypeInfo Type { get; }
    public H5Layout Layout { get; }
    public long[]? ChunkDims { get; }
    public IReadOnlyList<H5Filter> Filters { get; }
    /// <summary>The value of elements never written (a chunk that was never stored reads as this); 0 unless the writer set one.</summary>
    public double FillValue { get; }
    /// <summary>Bytes allocated in the file (compressed size for filtered chunks).</summary>
    public long StorageSize { get; }
    /// <summary>File offset of the raw data of a contiguous dataset (H5Dget_offset); null when unallocated or not contiguous.</summary>
    public long? ContiguousOffset { get; }

    public long ChunkCount
    {
        get
        {
            if (Layout != H5Layout.Chunked) return 0;
            lock (H5Lock.Gate)
            {
                using var space = FileSpace();
                ulong n;
                Check(Interop.H5Dget_num_chunks(Id, space.Id, &n), "H5Dget_num_chunks");
                return (long)n;
            }
        }
    }

    /// <summary>
    /// Chunk counts above which <see cref="GetChunkInfo"/> is not called for every chunk: HDF5 1.10.8 walks the index from its
    /// start on each call, so visiting n chunks costs n²/2 steps; look chunks up by coordinate instead.
    /// </summary>
    public const int ChunkInfoWalkLimit = 4096;

    /// <summary>Every chunk's starting coordinate, in row-major order (whether or not it was written).</summary>
    public IEnumerable<long[]> ChunkCoordinates()
    {
        var chunk = ChunkDims ?? throw new InvalidOperationException($"{ObjectPath} is not chunked");
        var counts = Dims.Select((d, i) => (d + chunk[i] - 1) / chunk[i]).ToArray();
        if (counts.Any(c => c == 0)) yield break;
        var index = new long[Rank];
        while (true)
        {
            yield return index.Select((v, i) => v * chunk[i]).ToArray();
            var axis = Rank - 1;
            while (axis >= 0 && ++index[axis] == counts[axis]) index[axis--] = 0;
            if (axis < 0) yield break;
        }
    }

    /// <summary>Stored bytes of the chunk starting at <paramref name="offset"/> (0: never written), found by index lookup.</summary>
    public long ChunkStorageSize(ReadOnlySpan<long> offset)
    {
        lock (H5Lock.Gate)
        {
            var o = stackalloc ulong[Math.Max(Rank, 1)];
            for (var i = 0; i < Rank; i++) o[i] = (ulong)offset[i];
            ulong size;
            try { Check(Interop.H5Dget_chunk_storage_size(Id, o, &size), "H5Dget_chunk_storage_size"); }
            // HDF5 1.10.8 fails, rather than answering 0, for a chunk that was never written (its error stack says which way).
            catch (Hdf5Exception e) when (e.Hdf5Message.Contains("not allocated", StringComparison.Ordinal)
                || e.Hdf5Message.Contains("chunk address isn't defined", StringComparison.Ordinal))
            { return 0; }
            return (long)size;
        }
    }

    /// <summary>
    /// The stored (still filtered) bytes of the chunk starting at <paramref name="offset"/>, looked up once: returns
    /// their count (0: never written; above <paramref name="largest"/>: not read, the index is implausible) and, when
    /// read, puts them at the start of <paramref name="buffer"/> (grown when too short) with the chunk's filter mask.
    /// </summary>
    public long ReadChunk(ReadOnlySpan<long> offset, long largest, ref byte[] buffer, out uint filterMask)
    {
        filterMask = 0;
        lock (H5Lock.Gate)
        {
            var stored = ChunkStorageSize(offset);
            if (stored <= 0 || stored > largest) return stored;
            if (buffer.Length < stored) buffer = new byte[stored];
            var o = stackalloc ulong[Math.Max(Rank, 1)];
            for (var i = 0; i < Rank; i++) o[i] = (ulong)offset[i];
            uint mask;
            fixed (byte* p = buffer) Check(Interop.H5Dread_chunk(Id, Interop.H5P_DEFAULT, o, &mask, p), "H5Dread_chunk");
            filterMask = mask;
            return stored;
        }
    }

    /// <summary>
    /// Stores <paramref name="stored"/> as the chunk starting at <paramref name="offset"/> without running the filter
    /// pipeline: the bytes must already be what the pipeline would produce, minus the filters whose bit is set in
    /// <paramref name="filterMask"/>. The chunk must lie within the current extent (an edge chunk may reach past it).
    /// </summary>
    public void WriteChunk(ReadOnlySpan<long> offset, uint filterMask, ReadOnlySpan<byte> stored)
    {
        lock (H5Lock.Gate)
        {
            var o = stackalloc ulong[Math.Max(Rank, 1)];
            for (var i = 0; i < Rank; i++) o[i] = (ulong)offset[i];
            fixed (byte* p = stored) Check(Interop.H5Dwrite_chunk(Id, Interop.H5P_DEFAULT, filterMask, o, (nuint)stored.Length, p), "H5Dwrite_chunk");
        }
    }

    public H5ChunkInfo GetChunkInfo(long index)
    {
        lock (H5Lock.Gate)
        {
            using var space = FileSpace();
            var offset = stackalloc ulong[Math.Max(Rank, 1)];
            uint mask;
            ulong addr, size;
            Check(Interop.H5Dget_chunk_info(Id, space.Id, (ulong)index, offset, &mask, &addr, &size), $"H5Dget_chunk_info({index})");
            var off = new long[Rank];
            for (var i = 0; i < Rank; i++) off[i] = (long)offset[i];
            return new H5ChunkInfo(off, mask, (long)addr, (long)size);
        }
    }

    public void Read<T>(Span<T> destination) where T : unmanaged
    {
        if (destination.Length < ElementCount)
            throw new ArgumentException($"destination holds {destination.Length} elements, {FilePath}:{ObjectPath} has {ElementCount}", nameof(destination));
        if (ElementCount == 0) return;
        lock (H5Lock.Gate)
            fixed (T* p = destination)
                Check(Interop.H5Dread(Id, H5Native.MemoryType<T>(), Interop.H5S_ALL, Interop.H5S_ALL, Interop.H5P_DEFAULT, p), "H5Dread");
    }

    public T[] ReadAll<T>() where T : unmanaged
    {
        var values = new T[ElementCount];
        Read<T>(values);
        return values;
    }

    public void ReadHyperslab<T>(Span<T> destination, ReadOnlySpan<long> start, ReadOnlySpan<long> count) where T : unmanaged
    {
        var n = CheckSelection(start, count);
        if (destination.Length < n) throw new ArgumentException($"destination holds {destination.Length} elements, the selection {n}", nameof(destination));
        if (n == 0) return;
        lock (H5Lock.Gate)
        {
            using var fileSpace = FileSpace();
            H5Dataspace.SelectHyperslab(fileSpace, start, count, FilePath, ObjectPath);
            using var memSpace = H5Dataspace.Simple(count, null, FilePath, ObjectPath);
            fixed (T* p = destination)
                Check(Interop.H5Dread(Id, H5Native.MemoryType<T>(), memSpace.Id, fileSpace.Id, Interop.H5P_DEFAULT, p), "H5Dread (hyperslab)");
        }
    }

    public void Write<T>(ReadOnlySpan<T> source) where T : unmanaged
    {
        if (source.Length < ElementCount)
            throw new ArgumentException($"source holds {source.Length} elements, {FilePath}:{ObjectPath} has {ElementCount}", nameof(source));
        if (ElementCount == 0) return;
        lock (H5Lock.Gate)
            fixed (T* p = source)
                Check(Interop.H5Dwrite(Id, H5Native.MemoryType<T>(), Interop.H5S_ALL, Interop.H5S_ALL, Interop.H5P_DEFAULT, p), "H5Dwrite");
    }

    public void WriteHyperslab<T>(ReadOnlySpan<T> source, ReadOnlySpan<long> start, ReadOnlySpan<long> count) where T : unmanaged
    {
        var n = CheckSelection(start, count);
        if (source.Length < n) throw new ArgumentException($"source holds {source.Length} elements, the selection {n}", nameof(source));
        if (n == 0) return;
        lock (H5Lock.Gate)
        {
            using var fileSpace = FileSpace();
            H5Dataspace.SelectHyperslab(fileSpace, start, count, FilePath, ObjectPath);
            using var memSpace = H5Dataspace.Simple(count, null, FilePath, ObjectPath);
            fixed (T* p = source)
                Check(Interop.H5Dwrite(Id, H5Native.MemoryType<T>(), memSpace.Id, fileSpace.Id, Interop.H5P_DEFAULT, p), "H5Dwrite (hyperslab)");
        }
    }

    /// <summary>Changes the current dimensions (within MaxDims; chunked datasets only) and updates <see cref="Dims"/>.</summary>
    public void SetExtent(ReadOnlySpan<long> dims)
    {
        if (dims.Length != Rank) throw new ArgumentException($"extent rank {dims.Length} does not match {FilePath}:{ObjectPath} rank {Rank}");
        var d = stackalloc ulong[dims.Length];
        long n = 1;
        for (var i = 0; i < dims.Length; i++) { d[i] = (ulong)dims[i]; n *= dims[i]; }
        lock (H5Lock.Gate) Check(Interop.H5Dset_extent(Id, d), "H5Dset_extent");
        Dims = dims.ToArray();
        ElementCount = n;
    }

    public string[] ReadStrings()
    {
        if (Type.Class != H5TypeClass.String)
            throw new Hdf5Exception("reading strings", FilePath, ObjectPath, $"dataset holds {Type}, not strings");
        var n = (int)ElementCount;
        var result = new string[n];
        if (n == 0) return result;
        lock (H5Lock.Gate)
        {
            if (Type.IsVariableString)
            {
                using var stored = new SafeH5TypeHandle(Check(Interop.H5Dget_type(Id), "H5Dget_type"));
                using var mem = H5TypeDescription.VariableString(stored.Id);
                using var space = FileSpace();
                var ptrs = new nint[n];
                fixed (nint* p = ptrs)
                {
                    Check(Interop.H5Dread(Id, mem.Id, Interop.H5S_ALL, Interop.H5S_ALL, Interop.H5P_DEFAULT, p), "H5Dread (strings)");
                    for (var i = 0; i < n; i++) result[i] = Marshal.PtrToStringUTF8(ptrs[i]) ?? "";
                    Interop.H5Dvlen_reclaim(mem.Id, space.Id, Interop.H5P_DEFAULT, p);
                }
            }
            else
            {
                using var stored = new SafeH5TypeHandle(Check(Interop.H5Dget_type(Id), "H5Dget_type"));
                using var mem = H5TypeDescription.FixedString(Type.Size, stored.Id);
                var bytes = new byte[Type.Size * n];
                fixed (byte* b = bytes) Check(Interop.H5Dread(Id, mem.Id, Interop.H5S_ALL, Interop.H5S_ALL, Interop.H5P_DEFAULT, b), "H5Dread (strings)");
                for (var i = 0; i < n; i++) result[i] = H5TypeDescription.DecodeFixed(bytes.AsSpan(i * Type.Size, Type.Size));
            }
        }
        return result;
    }

    private long CheckSelection(ReadOnlySpan<long> start, ReadOnlySpan<long> count)
    {
        if (start.Length != Rank || count.Length != Rank)
            throw new ArgumentException($"selection rank {start.Length}/{count.Length} does not match {FilePath}:{ObjectPath} rank {Rank}");
        long n = 1;
        for (var i = 0; i < Rank; i++)
        {
            if (start[i] < 0 || count[i] < 0 || start[i] + count[i] > Dims[i])
                throw new ArgumentOutOfRangeException(nameof(start),
                    $"selection [{start[i]}, +{count[i]}) outside dimension {i} of length {Dims[i]} in {FilePath}:{ObjectPath}");
            n *= count[i];
        }
        return n;
    }

    private SafeH5DataspaceHandle FileSpace() => new(Check(Interop.H5Dget_space(Id), "H5Dget_space"));

    private List<H5Filter> ReadFilters(long dcpl)
    {
        var n = Check(Interop.H5Pget_nfilters(dcpl), "H5Pget_nfilters");
        var filters = new List<H5Filter>((int)n);
        var name = stackalloc byte[256];
        var cd = stackalloc uint[32];
        for (uint i = 0; i < n; i++)
        {
            uint flags, config;
            nuint cdN = 32;
            var id = Check(Interop.H5Pget_filter2(dcpl, i, &flags, &cdN, cd, 256, name, &config), "H5Pget_filter2");
            var values = new uint[(int)Math.Min(cdN, 32)];
            for (var k = 0; k < values.Length; k++) values[k] = cd[k];
            filters.Add(new H5Filter((int)id, Encoding.UTF8.GetString(new ReadOnlySpan<byte>(name, 256)).Split('\0')[0], flags, values));
        }
        return filters;
    }
}
