using System.Runtime.InteropServices;
using System.Text;

namespace Seiscat.Native.Hdf5;

/// <summary>A group (or, as <see cref="H5File"/>, the root group of a file): navigation and dataset creation.</summary>
public unsafe class H5Group : H5Object
{
    private protected H5Group(SafeH5Handle handle, string filePath, string objectPath) : base(handle, filePath, objectPath) { }

    /// <summary>True when every link along the path exists (a missing intermediate is not an error).</summary>
    public bool Exists(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var prefix = path.StartsWith('/') ? "/" : "";
        lock (H5Lock.Gate)
        {
            for (var i = 0; i < parts.Length; i++)
            {
                prefix += (i == 0 ? "" : "/") + parts[i];
                var r = Interop.H5Lexists(Id, prefix, Interop.H5P_DEFAULT);
                if (r < 0) { Interop.H5Eclear2(Interop.H5E_DEFAULT); return false; }
                if (r == 0) return false;
            }
        }
        return true;
    }

    public H5ObjectKind KindOf(string path)
    {
        if (!Exists(path)) return H5ObjectKind.Missing;
        lock (H5Lock.Gate)
        {
            var id = Interop.H5Oopen(Id, path, Interop.H5P_DEFAULT);
            if (id < 0) { Interop.H5Eclear2(Interop.H5E_DEFAULT); return H5ObjectKind.Other; }
            using var obj = new SafeH5ObjectHandle(id);
            return Interop.H5Iget_type(obj.Id) switch
            {
                Interop.H5I_GROUP => H5ObjectKind.Group,
                Interop.H5I_DATASET => H5ObjectKind.Dataset,
                _ => H5ObjectKind.Other,
            };
        }
    }

    /// <summary>Link names of this group's children, in name order.</summary>
    public IReadOnlyList<string> ChildNames() => ChildLinks().Select(l => l.Name).ToList();

    /// <summary>This group's child links with their kinds, in name order.</summary>
    public IReadOnlyList<H5Link> ChildLinks()
    {
        var links = new List<H5Link>();
        var gc = GCHandle.Alloc(links);
        try
        {
            lock (H5Lock.Gate)
            {
                ulong idx = 0;
                Check(Interop.H5Literate(Id, Interop.H5_INDEX_NAME, Interop.H5_ITER_INC, &idx, &CollectLink, (void*)GCHandle.ToIntPtr(gc)), "H5Literate");
            }
        }
        finally { gc.Free(); }
        return links;
    }

    /// <summary>Paths (relative to this group) of every external link below it, in one recursive visit by libhdf5 — no
    /// object header is read, so surveying a file of thousands of datasets costs one pass over its link tables.</summary>
    public IReadOnlyList<string> ExternalLinkPaths()
    {
        var links = new List<H5Link>();
        var gc = GCHandle.Alloc(links);
        try
        {
            lock (H5Lock.Gate)
                Check(Interop.H5Lvisit(Id, Interop.H5_INDEX_NAME, Interop.H5_ITER_INC, &CollectLink, (void*)GCHandle.ToIntPtr(gc)), "H5Lvisit");
        }
        finally { gc.Free(); }
        return links.Where(l => l.Kind == H5LinkKind.External).Select(l => l.Name).ToList();
    }

    [UnmanagedCallersOnly]
    private static int CollectLink(long location, byte* name, void* info, void* opData)
    {
        var kind = *(int*)info switch
        {
            Interop.H5L_TYPE_HARD => H5LinkKind.Hard,
            Interop.H5L_TYPE_SOFT => H5LinkKind.Soft,
            Interop.H5L_TYPE_EXTERNAL => H5LinkKind.External,
            _ => H5LinkKind.Other,
        };
        ((List<H5Link>)GCHandle.FromIntPtr((nint)opData).Target!).Add(new H5Link(Marshal.PtrToStringUTF8((nint)name) ?? "", kind));
        return 0;
    }

    /// <summary>The object a path leads to (links followed), or null when it leads nowhere (a dangling soft or external
    /// link, a missing name).</summary>
    public H5ObjectAddress? AddressOf(string path) => InfoOf(path)?.Address;

    /// <summary>Where the object a path leads to lives and what it is (one header read, no object opened); null when
    /// the path leads nowhere.</summary>
    public (H5ObjectAddress Address, H5ObjectKind Kind)? InfoOf(string path)
    {
        lock (H5Lock.Gate)
        {
            var info = stackalloc byte[Interop.H5OInfoSize];
            if (Interop.H5Oget_info_by_name2(Id, path, info, Interop.H5O_INFO_BASIC, Interop.H5P_DEFAULT) < 0)
            {
                Interop.H5Eclear2(Interop.H5E_DEFAULT);
                return null;
            }
            var kind = *(int*)(info + 16) switch
            {
                Interop.H5O_TYPE_GROUP => H5ObjectKind.Group,
                Interop.H5O_TYPE_DATASET => H5ObjectKind.Dataset,
                _ => H5ObjectKind.Other,
            };
            return (new H5ObjectAddress(*(ulong*)info, *(ulong*)(info + 8)), kind);
        }
    }

    /// <summary>The file and object path an external link of this group names (whether or not they exist).</summary>
    public (string File, string ObjectPath) ExternalTarget(string name)
    {
        lock (H5Lock.Gate)
        {
            var info = stackalloc byte[Interop.H5LInfoSize];
            Check(Interop.H5Lget_info(Id, name, info, Interop.H5P_DEFAULT), $"H5Lget_info({name})");
            if (*(int*)info != Interop.H5L_TYPE_EXTERNAL)
                throw new Hdf5Exception($"reading link '{name}'", FilePath, Child(name), "not an external link");
            var size = *(nuint*)(info + Interop.H5LInfoValSizeOffset);
            var value = new byte[(int)size];
            fixed (byte* v = value)
            {
                Check(Interop.H5Lget_val(Id, name, v, size, Interop.H5P_DEFAULT), $"H5Lget_val({name})");
                uint flags;
                byte* file, obj;
                Check(Interop.H5Lunpack_elink_val(v, size, &flags, &file, &obj), $"H5Lunpack_elink_val({name})");
                return (Marshal.PtrToStringUTF8((nint)file) ?? "", Marshal.PtrToStringUTF8((nint)obj) ?? "");
            }
        }
    }

    public H5Group OpenGroup(string path)
    {
        lock (H5Lock.Gate)
            return new H5Group(new SafeH5GroupHandle(Check(Interop.H5Gopen2(Id, path, Interop.H5P_DEFAULT), "opening group", Child(path))), FilePath,
                Child(path));
    }

    /// <summary>Creates the group and any missing intermediate groups; opens it if it already exists.</summary>
    public H5Group CreateGroup(string path)
    {
        if (KindOf(path) == H5ObjectKind.Group) return OpenGroup(path);
        lock (H5Lock.Gate)
        {
            using var lcpl = IntermediateGroups();
            using var gcpl = Untimed(H5Native.G.ClsGroupCreate);
            return new H5Group(new SafeH5GroupHandle(Check(Interop.H5Gcreate2(Id, path, lcpl.Id, gcpl.Id, Interop.H5P_DEFAULT), "creating group",
                Child(path))), FilePath, Child(path));
        }
    }

    public H5Dataset OpenDataset(string path)
    {
        lock (H5Lock.Gate)
            return new H5Dataset(new SafeH5DatasetHandle(Check(Interop.H5Dopen2(Id, path, Interop.H5P_DEFAULT), "opening dataset", Child(path))),
                FilePath, Child(path));
    }

    /// <summary>A whole dataset converted to <typeparamref name="T"/>; the dataset is closed before returning.</summary>
    public T[] ReadDataset<T>(string path) where T : unmanaged
    {
        using var ds = OpenDataset(path);
        return ds.ReadAll<T>();
    }

    /// <summary>A whole 1-D string dataset; the dataset is closed before returning.</summary>
    public string[] ReadStringDataset(string path)
    {
        using var ds = OpenDataset(path);
        return ds.ReadStrings();
    }

    public H5Dataset CreateDataset<T>(string path, ReadOnlySpan<long> dims, H5DatasetOptions? options = null) where T : unmanaged
    {
        options ??= new H5DatasetOptions();
        lock (H5Lock.Gate)
        {
            using var space = H5Dataspace.Simple(dims, options.MaxDims, FilePath, Child(path));
            using var dcpl = Untimed(H5Native.G.ClsDatasetCreate);
            if (options.ChunkDims is { } chunk)
            {
                var c = chunk.Select(x => (ulong)x).ToArray();
                fixed (ulong* pc = c) Check(Interop.H5Pset_chunk(dcpl.Id, c.Length, pc), "H5Pset_chunk", Child(path));
                // Filter order is the pipeline order: shuffle must precede deflate to help it; checksum covers the stored bytes.
                if (options.Shuffle) Check(Interop.H5Pset_shuffle(dcpl.Id), "H5Pset_shuffle");
                if (options.DeflateLevel > 0) Check(Interop.H5Pset_deflate(dcpl.Id, (uint)options.DeflateLevel), "H5Pset_deflate");
                if (options.Fletcher32) Check(Interop.H5Pset_fletcher32(dcpl.Id), "H5Pset_fletcher32");
            }
            else if (options.Shuffle || options.DeflateLevel > 0 || options.Fletcher32)
            {
                throw new Hdf5Exception("creating dataset", FilePath, Child(path), "filters need ChunkDims");
            }
            using var fileType = new SafeH5TypeHandle(Check(Interop.H5Tcopy(H5Native.MemoryType<T>()), "H5Tcopy"));
            if (options.BigEndian) Check(Interop.H5Tset_order(fileType.Id, Interop.H5T_ORDER_BE), "H5Tset_order");
            using var lcpl = IntermediateGroups();
            var id = Check(Interop.H5Dcreate2(Id, path, fileType.Id, space.Id, lcpl.Id, dcpl.Id, Interop.H5P_DEFAULT), "creating dataset", Child(path));
            return new H5Dataset(new SafeH5DatasetHandle(id), FilePath, Child(path));
        }
    }

    /// <summary>A virtual dataset (HDF5 VDS, as Terra15 v5 writes) whose whole extent maps the whole of
    /// <paramref name="sourcePath"/> in <paramref name="sourceFile"/> (a name relative to this file's folder is found
    /// there by libhdf5).</summary>
    public void CreateVirtualDataset<T>(string path, ReadOnlySpan<long> dims, string sourceFile, string sourcePath) where T : unmanaged
    {
        lock (H5Lock.Gate)
        {
            using var space = H5Dataspace.Simple(dims, null, FilePath, Child(path));
            using var sourceSpace = H5Dataspace.Simple(dims, null, sourceFile, sourcePath);
            using var dcpl = Untimed(H5Native.G.ClsDatasetCreate);
            Check(Interop.H5Pset_virtual(dcpl.Id, space.Id, sourceFile, sourcePath, sourceSpace.Id), "H5Pset_virtual", Child(path));
            using var fileType = new SafeH5TypeHandle(Check(Interop.H5Tcopy(H5Native.MemoryType<T>()), "H5Tcopy"));
            using var lcpl = IntermediateGroups();
            using var ds = new SafeH5DatasetHandle(Check(Interop.H5Dcreate2(Id, path, fileType.Id, space.Id, lcpl.Id, dcpl.Id, Interop.H5P_DEFAULT),
                "creating virtual dataset", Child(path)));
        }
    }

    public void WriteDataset<T>(string path, ReadOnlySpan<T> data, ReadOnlySpan<long> dims, H5DatasetOptions? options = null) where T : unmanaged
    {
        using var ds = CreateDataset<T>(path, dims, options);
        ds.Write(data);
    }

    /// <summary>A 1-D dataset of variable-length UTF-8 strings.</summary>
    public void WriteStringDataset(string path, IReadOnlyList<string> values)
    {
        var offsets = new int[values.Count];
        var blob = new List<byte>();
        for (var i = 0; i < values.Count; i++)
        {
            offsets[i] = blob.Count;
            blob.AddRange(Encoding.UTF8.GetBytes(values[i]));
            blob.Add(0);
        }
        var bytes = blob.ToArray();
        lock (H5Lock.Gate)
        {
            using var type = H5TypeDescription.VariableUtf8String();
            using var space = H5Dataspace.Simple([values.Count], null, FilePath, Child(path));
            using var lcpl = IntermediateGroups();
            using var dcpl = Untimed(H5Native.G.ClsDatasetCreate);
            using var ds = new SafeH5DatasetHandle(Check(Interop.H5Dcreate2(Id, path, type.Id, space.Id, lcpl.Id, dcpl.Id, Interop.H5P_DEFAULT),
                "creating dataset", Child(path)));
            fixed (byte* b = bytes)
            {
                var ptrs = new nint[values.Count];
                for (var i = 0; i < ptrs.Length; i++) ptrs[i] = (nint)(b + offsets[i]);
                fixed (nint* p = ptrs)
                    if (ptrs.Length > 0) Check(Interop.H5Dwrite(ds.Id, type.Id, Interop.H5S_ALL, Interop.H5S_ALL, Interop.H5P_DEFAULT, p), "H5Dwrite",
                        Child(path));
            }
        }
    }

    /// <summary>
    /// A creation property list with object time stamps off: HDF5 otherwise stores creation/modification times in
    /// every object header, and the same inputs would not give the same bytes. Call under H5Lock.
    /// </summary>
    internal static SafeH5PropertyListHandle Untimed(long propertyClass)
    {
        var plist = new SafeH5PropertyListHandle(H5Error.Check(Interop.H5Pcreate(propertyClass), "H5Pcreate"));
        H5Error.Check(Interop.H5Pset_obj_track_times(plist.Id, 0), "H5Pset_obj_track_times");
        return plist;
    }

    private SafeH5PropertyListHandle IntermediateGroups()
    {
        var lcpl = new SafeH5PropertyListHandle(Check(Interop.H5Pcreate(H5Native.G.ClsLinkCreate), "H5Pcreate"));
        Check(Interop.H5Pset_create_intermediate_group(lcpl.Id, 1), "H5Pset_create_intermediate_group");
        return lcpl;
    }
}
