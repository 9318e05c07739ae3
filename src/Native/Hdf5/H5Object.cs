using System.Runtime.InteropServices;
using System.Text;

namespace Seiscat.Native.Hdf5;

/// <summary>
/// A group, file or dataset, with its attributes. Every call takes the HDF5 lock, so an object may be shared
/// between threads, but bulk sample reads should go through memory-mapped storage instead (see Engine/Io).
/// </summary>
public abstract unsafe class H5Object : IDisposable
{
    private protected readonly SafeH5Handle Handle;

    private protected H5Object(SafeH5Handle handle, string filePath, string objectPath)
    {
        Handle = handle;
        FilePath = filePath;
        ObjectPath = objectPath;
        handle.Description = $"{filePath}:{objectPath}";
    }

    public string FilePath { get; }
    public string ObjectPath { get; }

    public void Dispose()
    {
        Handle.Dispose();
        GC.SuppressFinalize(this);
    }

    private protected long Id => Handle.Id;

    private protected long Check(long status, string operation, string? objectPath = null)
        => H5Error.Check(status, operation, FilePath, objectPath ?? ObjectPath);

    private protected string Child(string path)
        => path.StartsWith('/') ? path : ObjectPath == "/" ? "/" + path : ObjectPath + "/" + path;

    public bool HasAttribute(string name)
    {
        lock (H5Lock.Gate) return Check(Interop.H5Aexists(Id, name), $"H5Aexists({name})") > 0;
    }

    public IReadOnlyList<string> AttributeNames()
    {
        var names = new List<string>();
        var gc = GCHandle.Alloc(names);
        try
        {
            lock (H5Lock.Gate)
            {
                ulong idx = 0;
                Check(Interop.H5Aiterate2(Id, Interop.H5_INDEX_NAME, Interop.H5_ITER_INC, &idx, &CollectName, (void*)GCHandle.ToIntPtr(gc)), "H5Aiterate2");
            }
        }
        finally { gc.Free(); }
        return names;
    }

    [UnmanagedCallersOnly]
    internal static int CollectName(long location, byte* name, void* info, void* opData)
    {
        ((List<string>)GCHandle.FromIntPtr((nint)opData).Target!).Add(Marshal.PtrToStringUTF8((nint)name) ?? "");
        return 0;
    }

    public H5TypeInfo AttributeType(string name)
    {
        lock (H5Lock.Gate)
        {
            using var attr = OpenAttribute(name);
            using var type = new SafeH5TypeHandle(Check(Interop.H5Aget_type(attr.Id), $"H5Aget_type({name})"));
            return H5TypeDescription.Describe(type.Id);
        }
    }

    /// <summary>Fixed-length (padding and NULs after the first NUL stripped) or variable-length string attribute.</summary>
    public string ReadStringAttribute(string name)
    {
        lock (H5Lock.Gate)
        {
            using var attr = OpenAttribute(name);
            using var fileType = new SafeH5TypeHandle(Check(Interop.H5Aget_type(attr.Id), $"H5Aget_type({name})"));
            if (Interop.H5Tget_class(fileType.Id) != Interop.H5T_STRING)
                throw new Hdf5Exception($"reading attribute '{name}' as a string", FilePath, ObjectPath, $"attribute '{name}' is not a string");
            using var space = new SafeH5DataspaceHandle(Check(Interop.H5Aget_space(attr.Id), "H5Aget_space"));
            var points = Interop.H5Sget_simple_extent_npoints(space.Id);
            // A null dataspace (PyTables writes empty TITLE attributes so) holds no string: reading it fails in libhdf5.
            if (points == 0) return "";
            var count = Math.Max(1, points);
            if (Interop.H5Tis_variable_str(fileType.Id) > 0)
            {
                using var mem = H5TypeDescription.VariableString(fileType.Id);
                var ptrs = new nint[count];
                fixed (nint* p = ptrs)
                {
                    Check(Interop.H5Aread(attr.Id, mem.Id, p), $"H5Aread({name})");
                    var text = Marshal.PtrToStringUTF8(ptrs[0]) ?? "";
                    for (var i = 0; i < count; i++) if (ptrs[i] != 0) Interop.H5free_memory((void*)ptrs[i]);
                    return text;
                }
            }
            var size = (int)Interop.H5Tget_size(fileType.Id);
            using var fixedMem = H5TypeDescription.FixedString(size, fileType.Id);
            var bytes = new byte[size * count];
            fixed (byte* b = bytes) Check(Interop.H5Aread(attr.Id, fixedMem.Id, b), $"H5Aread({name})");
            return H5TypeDescription.DecodeFixed(bytes.AsSpan(0, size));
        }
    }

    public double ReadDoubleAttribute(string name) => ReadScalar<double>(name);

    public long ReadInt64Attribute(string name) => ReadScalar<long>(name);

    private T ReadScalar<T>(string name) where T : unmanaged
    {
        var values = ReadAttribute<T>(name);
        if (values.Length == 0)
            throw new Hdf5Exception($"reading attribute '{name}'", FilePath, ObjectPath, $"attribute '{name}' is empty");
        return values[0];
    }

    public T[] ReadAttribute<T>(string name) where T : unmanaged
    {
        lock (H5Lock.Gate)
        {
            using var attr = OpenAttribute(name);
            using var fileType = new SafeH5TypeHandle(Check(Interop.H5Aget_type(attr.Id), $"H5Aget_type({name})"));
            var cls = Interop.H5Tget_class(fileType.Id);
            if (cls != Interop.H5T_INTEGER && cls != Interop.H5T_FLOAT)
                throw new Hdf5Exception($"reading attribute '{name}' as {typeof(T).Name}", FilePath, ObjectPath, $"attribute '{name}' is not numeric");
            using var space = new SafeH5DataspaceHandle(Check(Interop.H5Aget_space(attr.Id), "H5Aget_space"));
            var count = Interop.H5Sget_simple_extent_npoints(space.Id);
            // Zero-length and null dataspaces are valid (Terra15 writes SIMPLE (0) attributes, h5py.Empty a null one):
            // there is nothing to read, and H5Aread refuses the null buffer an empty array pins.
            if (count <= 0) return [];
            var values = new T[count];
            fixed (T* p = values) Check(Interop.H5Aread(attr.Id, H5Native.MemoryType<T>(), p), $"H5Aread({name})");
            return values;
        }
    }

    public void WriteAttribute(string name, string value)
    {
        var utf8 = Encoding.UTF8.GetBytes(value + "\0");
        lock (H5Lock.Gate)
        {
            using var type = H5TypeDescription.VariableUtf8String();
            using var space = new SafeH5DataspaceHandle(Check(Interop.H5Screate(Interop.H5S_SCALAR), "H5Screate"));
            using var attr = CreateAttribute(name, type.Id, space.Id);
            fixed (byte* b = utf8)
            {
                var ptr = (nint)b;
                Check(Interop.H5Awrite(attr.Id, type.Id, &ptr), $"H5Awrite({name})");
            }
        }
    }

    public void WriteAttribute(string name, double value) => WriteScalar(name, value);

    public void WriteAttribute(string name, long value) => WriteScalar(name, value);

    private void WriteScalar<T>(string name, T value) where T : unmanaged
    {
        lock (H5Lock.Gate)
        {
            using var space = new SafeH5DataspaceHandle(Check(Interop.H5Screate(Interop.H5S_SCALAR), "H5Screate"));
            var type = H5Native.MemoryType<T>();
            using var attr = CreateAttribute(name, type, space.Id);
            Check(Interop.H5Awrite(attr.Id, type, &value), $"H5Awrite({name})");
        }
    }

    public void WriteAttribute<T>(string name, ReadOnlySpan<T> values) where T : unmanaged
    {
        lock (H5Lock.Gate)
        {
            var dims = (ulong)values.Length;
            using var space = new SafeH5DataspaceHandle(Check(Interop.H5Screate_simple(1, &dims, null), "H5Screate_simple"));
            var type = H5Native.MemoryType<T>();
            using var attr = CreateAttribute(name, type, space.Id);
            fixed (T* p = values) Check(Interop.H5Awrite(attr.Id, type, p), $"H5Awrite({name})");
        }
    }

    private SafeH5AttributeHandle OpenAttribute(string name)
        => new(Check(Interop.H5Aopen(Id, name, Interop.H5P_DEFAULT), $"opening attribute '{name}'"));

    /// <summary>Removes an attribute; nothing when there is none.</summary>
    public void DeleteAttribute(string name)
    {
        lock (H5Lock.Gate)
            if (Check(Interop.H5Aexists(Id, name), $"H5Aexists({name})") > 0) Check(Interop.H5Adelete(Id, name), $"H5Adelete({name})");
    }

    private SafeH5AttributeHandle CreateAttribute(string name, long type, long space)
    {
        if (Check(Interop.H5Aexists(Id, name), $"H5Aexists({name})") > 0)
            Check(Interop.H5Adelete(Id, name), $"H5Adelete({name})");
        return new(Check(Interop.H5Acreate2(Id, name, type, space, Interop.H5P_DEFAULT, Interop.H5P_DEFAULT), $"creating attribute '{name}'"));
    }
}
