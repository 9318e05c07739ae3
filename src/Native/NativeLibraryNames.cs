namespace Seiscat.Native;

/// <summary>
/// Logical names used in every [LibraryImport]; <see cref="NativeLibraryResolver"/> maps them to real files.
/// </summary>
public static class NativeLibraryNames
{
    public const string Fftw = "seiscat-fftw3f";
    public const string Hdf5 = "seiscat-hdf5";
    public const string Deflate = "seiscat-deflate";
    public const string Zstd = "seiscat-zstd";
}
