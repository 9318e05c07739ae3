namespace Seiscat.Native.Hdf5;

public enum H5TypeClass { Integer, Float, String, Other }

public enum H5ByteOrder { LittleEndian, BigEndian, None }

/// <summary>What a file stores per element: class, size in bytes, byte order, sign, variable-length string.</summary>
public readonly record struct H5TypeInfo(H5TypeClass Class, int Size, H5ByteOrder Order, bool IsSigned, bool IsVariableString)
{
    public override string ToString() => Class switch
    {
        H5TypeClass.Float => $"f{Size}{(Order == H5ByteOrder.BigEndian ? "be" : "")}",
        H5TypeClass.Integer => $"{(IsSigned ? "i" : "u")}{Size}{(Order == H5ByteOrder.BigEndian ? "be" : "")}",
        H5TypeClass.String => IsVariableString ? "vlen-str" : $"str{Size}",
        _ => "other",
    };
}

public enum H5Layout { Compact, Contiguous, Chunked, Virtual }

public enum H5ObjectKind { Missing, Group, Dataset, Other }

/// <summary>How a group names a child: a hard link (the object itself), a soft link (a path alias) or an external link
/// (an object in another file).</summary>
public enum H5LinkKind { Hard, Soft, External, Other }

/// <summary>One child link of a group, in name order.</summary>
public readonly record struct H5Link(string Name, H5LinkKind Kind);

/// <summary>Where an object lives: the same (file number, header address) is the same object, whatever path reached it.</summary>
public readonly record struct H5ObjectAddress(ulong FileNumber, ulong Address);

/// <summary>One filter of a dataset's pipeline. Ids: 1 deflate, 2 shuffle, 3 fletcher32, 4 szip, 5 nbit, 6 scaleoffset.</summary>
public sealed record H5Filter(int Id, string Name, uint Flags, uint[] ClientData)
{
    public const int Deflate = 1, Shuffle = 2, Fletcher32 = 3, Szip = 4;
}

/// <summary>One stored chunk: logical element offset, which filters were skipped (mask bits), file address and stored size.</summary>
public readonly record struct H5ChunkInfo(long[] Offset, uint FilterMask, long Address, long Size);

/// <summary>Storage choices when creating a dataset.</summary>
public sealed class H5DatasetOptions
{
    public long[]? ChunkDims { get; init; }
    /// <summary>0 = no deflate; 1..9 = zlib level.</summary>
    public int DeflateLevel { get; init; }
    public bool Shuffle { get; init; }
    public bool Fletcher32 { get; init; }
    /// <summary>Maximum dimensions; -1 = unlimited (requires ChunkDims).</summary>
    public long[]? MaxDims { get; init; }
    /// <summary>Store numeric elements big-endian in the file.</summary>
    public bool BigEndian { get; init; }
}
