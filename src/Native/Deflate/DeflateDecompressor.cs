using System.Runtime.InteropServices;

namespace Seiscat.Native.Deflate;

/// <summary>What inflating one zlib stream into an exactly sized buffer found.</summary>
public enum InflateResult
{
    /// <summary>The stream filled the buffer exactly and its Adler-32 matched.</summary>
    Exact,
    /// <summary>Not a valid zlib stream (bad header, codes or checksum).</summary>
    BadData,
    /// <summary>The stream ended before the buffer was full.</summary>
    Short,
    /// <summary>The stream holds more bytes than the buffer.</summary>
    Long,
}

/// <summary>
/// One libdeflate decompressor: whole zlib streams into whole buffers. libdeflate is written for untrusted input (it is
/// fuzzed upstream), so corrupt chunks come back as <see cref="InflateResult.BadData"/>. Not thread-safe: one per thread.
/// </summary>
public sealed unsafe class DeflateDecompressor : SafeHandle
{
    public DeflateDecompressor() : base(0, ownsHandle: true)
    {
        SetHandle(Interop.libdeflate_alloc_decompressor());
        if (IsInvalid) throw new OutOfMemoryException("libdeflate could not allocate a decompressor");
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>Inflates <paramref name="input"/>, which must decode to exactly <paramref name="output"/>'s length.</summary>
    public InflateResult Inflate(ReadOnlySpan<byte> input, Span<byte> output)
    {
        int status;
        fixed (byte* i = input)
        fixed (byte* o = output)
            status = Interop.libdeflate_zlib_decompress(handle, i, (nuint)input.Length, o, (nuint)output.Length, null);
        return status switch
        {
            Interop.LIBDEFLATE_SUCCESS => InflateResult.Exact,
            Interop.LIBDEFLATE_SHORT_OUTPUT => InflateResult.Short,
            Interop.LIBDEFLATE_INSUFFICIENT_SPACE => InflateResult.Long,
            _ => InflateResult.BadData,
        };
    }

    protected override bool ReleaseHandle()
    {
        Interop.libdeflate_free_decompressor(handle);
        return true;
    }
}
