using System.Runtime.InteropServices;

namespace Seiscat.Native;

/// <summary>Version strings the native libraries export as data symbols (read without calling into them).</summary>
public static class NativeVersions
{
    /// <summary>FFTW's exported <c>fftwf_version</c> string, e.g. "fftw-3.3.10-sse2-avx".</summary>
    public static string Fftw()
    {
        var lib = NativeLibraryResolver.Load(NativeLibraryNames.Fftw);
        return NativeLibrary.TryGetExport(lib.Handle, "fftwf_version", out var p) ? Marshal.PtrToStringUTF8(p) ?? "?" : "?";
    }
}
