namespace Seiscat.Native.Hdf5;

internal static unsafe class H5Dataspace
{
    /// <summary>A simple dataspace; maxDims entries of -1 mean unlimited. Call under H5Lock.</summary>
    public static SafeH5DataspaceHandle Simple(ReadOnlySpan<long> dims, long[]? maxDims, string file, string obj)
    {
        if (dims.Length == 0)
            return new(H5Error.Check(Interop.H5Screate(Interop.H5S_SCALAR), "H5Screate", file, obj));
        Span<ulong> d = stackalloc ulong[dims.Length];
        Span<ulong> m = stackalloc ulong[dims.Length];
        for (var i = 0; i < dims.Length; i++)
        {
            if (dims[i] < 0) throw new ArgumentOutOfRangeException(nameof(dims), $"negative dimension {dims[i]} for {file}:{obj}");
            d[i] = (ulong)dims[i];
            m[i] = maxDims is null ? d[i] : maxDims[i] < 0 ? Interop.H5S_UNLIMITED : (ulong)maxDims[i];
        }
        fixed (ulong* pd = d)
        fixed (ulong* pm = m)
            return new(H5Error.Check(Interop.H5Screate_simple(dims.Length, pd, pm), "H5Screate_simple", file, obj));
    }

    /// <summary>Selects start/count (unit stride) in a file dataspace. Call under H5Lock.</summary>
    public static void SelectHyperslab(SafeH5DataspaceHandle space, ReadOnlySpan<long> start, ReadOnlySpan<long> count, string file, string obj)
    {
        Span<ulong> s = stackalloc ulong[start.Length];
        Span<ulong> c = stackalloc ulong[count.Length];
        for (var i = 0; i < s.Length; i++) { s[i] = (ulong)start[i]; c[i] = (ulong)count[i]; }
        fixed (ulong* ps = s)
        fixed (ulong* pc = c)
            H5Error.Check(Interop.H5Sselect_hyperslab(space.Id, Interop.H5S_SELECT_SET, ps, null, pc, null), "H5Sselect_hyperslab", file, obj);
    }
}
