using System.Text;

namespace Seiscat.Native.Hdf5;

internal static class H5TypeDescription
{
    /// <summary>Call under H5Lock.</summary>
    public static H5TypeInfo Describe(long typeId)
    {
        var cls = Interop.H5Tget_class(typeId);
        var size = (int)Interop.H5Tget_size(typeId);
        var order = Interop.H5Tget_order(typeId) switch
        {
            Interop.H5T_ORDER_LE => H5ByteOrder.LittleEndian,
            Interop.H5T_ORDER_BE => H5ByteOrder.BigEndian,
            _ => H5ByteOrder.None,
        };
        return cls switch
        {
            Interop.H5T_INTEGER => new(H5TypeClass.Integer, size, order, Interop.H5Tget_sign(typeId) != Interop.H5T_SGN_NONE, false),
            Interop.H5T_FLOAT => new(H5TypeClass.Float, size, order, true, false),
            Interop.H5T_STRING => new(H5TypeClass.String, size, H5ByteOrder.None, false, Interop.H5Tis_variable_str(typeId) > 0),
            _ => new(H5TypeClass.Other, size, order, false, false),
        };
    }

    /// <summary>A variable-length memory string type in the character set of <paramref name="storedType"/>: libhdf5 1.10
    /// has no conversion between ASCII and UTF-8 variable-length strings (AP Sensing's files hold ASCII ones), and the
    /// bytes are the same for ASCII text either way. Call under H5Lock.</summary>
    public static SafeH5TypeHandle VariableString(long storedType)
    {
        var t = VariableUtf8String();
        var cset = Interop.H5Tget_cset(storedType);
        if (cset >= 0) H5Error.Check(Interop.H5Tset_cset(t.Id, cset), "H5Tset_cset");
        return t;
    }

    /// <summary>A variable-length UTF-8 C string type. Call under H5Lock.</summary>
    public static SafeH5TypeHandle VariableUtf8String()
    {
        var t = new SafeH5TypeHandle(H5Error.Check(Interop.H5Tcopy(H5Native.G.CString), "H5Tcopy"));
        H5Error.Check(Interop.H5Tset_size(t.Id, Interop.H5T_VARIABLE), "H5Tset_size");
        H5Error.Check(Interop.H5Tset_cset(t.Id, Interop.H5T_CSET_UTF8), "H5Tset_cset");
        return t;
    }

    /// <summary>A fixed-length string memory type in the stored type's character set: libhdf5 converts fixed strings
    /// between paddings but not between ASCII and UTF-8 (PyTables writes UTF-8 attributes: "no conversion path").</summary>
    public static SafeH5TypeHandle FixedString(int size, long storedType)
    {
        var t = FixedString(size);
        var cset = Interop.H5Tget_cset(storedType);
        if (cset >= 0) H5Error.Check(Interop.H5Tset_cset(t.Id, cset), "H5Tset_cset");
        return t;
    }

    /// <summary>
    /// A fixed-length memory string type of <paramref name="size"/> bytes. NULLPAD, not HDF5's default NULLTERM:
    /// converting a full-width NULLPAD file string ("ASDF" in 4 bytes) to NULLTERM of the same size drops its last
    /// character. Call under H5Lock.
    /// </summary>
    public static SafeH5TypeHandle FixedString(int size)
    {
        var t = new SafeH5TypeHandle(H5Error.Check(Interop.H5Tcopy(H5Native.G.CString), "H5Tcopy"));
        H5Error.Check(Interop.H5Tset_size(t.Id, (nuint)size), "H5Tset_size");
        H5Error.Check(Interop.H5Tset_strpad(t.Id, Interop.H5T_STR_NULLPAD), "H5Tset_strpad");
        return t;
    }

    /// <summary>Fixed-length strings may be NUL-terminated, NUL-padded (pyasdf puts the NUL inside the size) or space-padded.</summary>
    public static string DecodeFixed(ReadOnlySpan<byte> bytes)
    {
        var nul = bytes.IndexOf((byte)0);
        if (nul >= 0) bytes = bytes[..nul];
        return Encoding.UTF8.GetString(bytes).TrimEnd(' ');
    }
}
