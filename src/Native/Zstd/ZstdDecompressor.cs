using System.Runtime.InteropServices;

namespace Seiscat.Native.Zstd;

/// <summary>
/// One libzstd decompression context: whole frames into whole buffers. libzstd checks its input (it is fuzzed
/// upstream), so a corrupt chunk comes back as an error, never a crash. Not thread-safe: one per thread.
/// </summary>
public sealed unsafe class ZstdDecompressor : SafeHandle
{
    public ZstdDecompressor() : base(0, ownsHandle: true)
    {
        SetHandle(Interop.ZSTD_createDCtx());
        if (IsInvalid) throw new OutOfMemoryException("libzstd could not allocate a decompression context");
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>libzstd's version, e.g. 1.5.4.</summary>
    public static string Version
    {
        get
        {
            var v = Interop.ZSTD_versionNumber();
            return $"{v / 10000}.{v / 100 % 100}.{v % 100}";
        }
    }

    /// <summary>
    /// Decompresses the frames in <paramref name="input"/> into <paramref name="output"/>; returns the bytes written, or
    /// null with <paramref name="error"/> set when the input is not valid zstd or holds more than the output takes.
    /// </summary>
    public int? Decompress(ReadOnlySpan<byte> input, Span<byte> output, out string? error)
    {
        nuint written;
        fixed (byte* i = input)
        fixed (byte* o = output)
            written = Interop.ZSTD_decompressDCtx(handle, o, (nuint)output.Length, i, (nuint)input.Length);
        if (Interop.ZSTD_isError(written) != 0)
        {
            error = Marshal.PtrToStringUTF8((nint)Interop.ZSTD_getErrorName(written)) ?? "zstd error";
            return null;
        }
        error = null;
        return (int)written;
    }

    protected override bool ReleaseHandle()
    {
        Interop.ZSTD_freeDCtx(handle);
        return true;
    }
}
