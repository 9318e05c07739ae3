using System.Runtime.InteropServices;

namespace Seiscat.Native.Zlib;

/// <summary>One-shot zlib compression (the format HDF5's deflate filter stores), through the system libz.</summary>
public static unsafe class Zlib
{
    /// <summary>The most bytes <see cref="Compress"/> can produce from <paramref name="sourceLength"/> bytes.</summary>
    public static int Bound(int sourceLength) => checked((int)Interop.compressBound((nuint)sourceLength));

    /// <summary>Compresses <paramref name="source"/> at <paramref name="level"/> (0–9) into <paramref name="destination"/>
    /// (at least <see cref="Bound"/> bytes); returns the compressed length.</summary>
    public static int Compress(ReadOnlySpan<byte> source, Span<byte> destination, int level)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Bound(source.Length), nameof(destination));
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)level, 9u, nameof(level));
        var length = (nuint)destination.Length;
        int status;
        fixed (byte* d = destination)
        fixed (byte* s = source)
            status = Interop.compress2(d, &length, s, (nuint)source.Length, level);
        if (status != Interop.Z_OK) throw new InvalidOperationException($"zlib compress2 failed with status {status}");
        return (int)length;
    }

    /// <summary>The loaded libz's version, e.g. "1.2.13".</summary>
    public static string Version => Marshal.PtrToStringUTF8((nint)Interop.zlibVersion()) ?? "?";
}
