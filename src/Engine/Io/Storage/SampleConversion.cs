using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Io.Storage;

/// <summary>
/// Raw stored elements → float32, exactly as H5Dread converts them (round to nearest for f8 and wide integers).
/// A stride is in elements (2-D samples × channels arrays read one column).
/// </summary>
internal static class SampleConversion
{
    public static void ToFloat(ReadOnlySpan<byte> src, H5TypeInfo type, Span<float> dst, int stride = 1)
    {
        var be = type.Order == H5ByteOrder.BigEndian;
        var size = type.Size;
        if (type.Class == H5TypeClass.Float && size == 4 && !be && stride == 1)
        {
            MemoryMarshal.Cast<byte, float>(src[..(dst.Length * 4)]).CopyTo(dst);
            return;
        }
        for (var i = 0; i < dst.Length; i++)
        {
            var e = src.Slice(i * stride * size, size);
            dst[i] = (type.Class, size, type.IsSigned) switch
            {
                (H5TypeClass.Float, 4, _) => be ? BinaryPrimitives.ReadSingleBigEndian(e) : BinaryPrimitives.ReadSingleLittleEndian(e),
                (H5TypeClass.Float, 8, _) => (float)(be ? BinaryPrimitives.ReadDoubleBigEndian(e) : BinaryPrimitives.ReadDoubleLittleEndian(e)),
                (H5TypeClass.Integer, 1, true) => (sbyte)e[0],
                (H5TypeClass.Integer, 1, false) => e[0],
                (H5TypeClass.Integer, 2, true) => be ? BinaryPrimitives.ReadInt16BigEndian(e) : BinaryPrimitives.ReadInt16LittleEndian(e),
                (H5TypeClass.Integer, 2, false) => be ? BinaryPrimitives.ReadUInt16BigEndian(e) : BinaryPrimitives.ReadUInt16LittleEndian(e),
                (H5TypeClass.Integer, 4, true) => be ? BinaryPrimitives.ReadInt32BigEndian(e) : BinaryPrimitives.ReadInt32LittleEndian(e),
                (H5TypeClass.Integer, 4, false) => be ? BinaryPrimitives.ReadUInt32BigEndian(e) : BinaryPrimitives.ReadUInt32LittleEndian(e),
                (H5TypeClass.Integer, 8, true) => be ? BinaryPrimitives.ReadInt64BigEndian(e) : BinaryPrimitives.ReadInt64LittleEndian(e),
                (H5TypeClass.Integer, 8, false) => be ? BinaryPrimitives.ReadUInt64BigEndian(e) : BinaryPrimitives.ReadUInt64LittleEndian(e),
                _ => throw new NotSupportedException(type.ToString()),
            };
        }
    }
}
