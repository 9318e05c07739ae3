using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

[assembly: DisableRuntimeMarshalling]

namespace Seiscat.Native;

/// <summary>
/// The one DllImport resolver of the process: environment override, then the app's runtimes/&lt;rid&gt;/native
/// folder, then the distro sonames. A failure lists every path tried and the Debian package to install.
/// </summary>
public static class NativeLibraryResolver
{
    private sealed record Spec(string EnvVar, string Package, string[] Candidates);

    private static readonly Dictionary<string, Spec> Specs = new(StringComparer.Ordinal)
    {
        [NativeLibraryNames.Fftw] = new("SEISCAT_FFTW_LIB", "libfftw3-single3",
            ["libfftw3f.so.3", "libfftw3f.so", "/usr/lib/x86_64-linux-gnu/libfftw3f.so.3", "/usr/lib/aarch64-linux-gnu/libfftw3f.so.3",
                "libfftw3f.3.dylib", "libfftw3f-3.dll"]),
        [NativeLibraryNames.Hdf5] = new("SEISCAT_HDF5_LIB", "libhdf5-103-1",
            ["libhdf5_serial.so.103", "libhdf5.so.103", "/usr/lib/x86_64-linux-gnu/libhdf5_serial.so.103",
                "/usr/lib/aarch64-linux-gnu/libhdf5_serial.so.103", "libhdf5_serial.so", "libhdf5.so", "libhdf5.dylib", "hdf5.dll"]),
        // Deflates features.h5 chunks on the workers and inflates archive chunks read from the mapped file.
        [NativeLibraryNames.Deflate] = new("SEISCAT_DEFLATE_LIB", "libdeflate0",
            ["libdeflate.so.0", "/usr/lib/x86_64-linux-gnu/libdeflate.so.0", "/usr/lib/aarch64-linux-gnu/libdeflate.so.0", "libdeflate.so",
                "libdeflate.0.dylib", "libdeflate.dll"]),
        // Inflates archive chunks written with the HDF5 Zstandard filter (32015), for which Debian ships no plugin.
        [NativeLibraryNames.Zstd] = new("SEISCAT_ZSTD_LIB", "libzstd1",
            ["libzstd.so.1", "/usr/lib/x86_64-linux-gnu/libzstd.so.1", "/usr/lib/aarch64-linux-gnu/libzstd.so.1", "libzstd.so",
                "libzstd.1.dylib", "libzstd.dll"]),
    };

    private static readonly ConcurrentDictionary<string, LoadedLibrary> Loaded = new(StringComparer.Ordinal);

    /// <summary>What was loaded for a logical name: the handle and the path or soname that worked.</summary>
    public sealed record LoadedLibrary(nint Handle, string Path);

    // The resolver must be in place before the first P/Invoke of this assembly, whoever calls first.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Install() => NativeLibrary.SetDllImportResolver(typeof(NativeLibraryResolver).Assembly, Resolve);

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
        => Specs.ContainsKey(libraryName) ? Load(libraryName).Handle : 0;

    /// <summary>Loads (once) the library behind a logical name, or throws <see cref="DllNotFoundException"/> listing what was tried.</summary>
    public static LoadedLibrary Load(string logicalName)
    {
        if (Loaded.TryGetValue(logicalName, out var done)) return done;
        var spec = Specs[logicalName];
        var tried = new List<string>();
        foreach (var candidate in CandidatePaths(spec))
        {
            tried.Add(candidate);
            if (NativeLibrary.TryLoad(candidate, out var handle))
                return Loaded.GetOrAdd(logicalName, new LoadedLibrary(handle, ResolvedPath(candidate)));
        }
        throw new DllNotFoundException(
            $"cannot load the native library for {logicalName}: tried {string.Join(", ", tried)}; " +
            $"install the Debian/Ubuntu package {spec.Package} (apt-get install {spec.Package}) or set {spec.EnvVar} to the library's path");
    }

    /// <summary>True when the library loads; never throws.</summary>
    public static bool TryLoad(string logicalName, out LoadedLibrary? library, out string? error)
    {
        try { library = Load(logicalName); error = null; return true; }
        catch (DllNotFoundException e) { library = null; error = e.Message; return false; }
    }

    private static IEnumerable<string> CandidatePaths(Spec spec)
    {
        var env = Environment.GetEnvironmentVariable(spec.EnvVar);
        if (!string.IsNullOrWhiteSpace(env)) yield return env;
        var baseDir = AppContext.BaseDirectory;
        foreach (var c in spec.Candidates.Where(c => !c.Contains('/')))
        {
            var local = Path.Combine(baseDir, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", c);
            if (File.Exists(local)) yield return local;
        }
        foreach (var c in spec.Candidates) yield return c;
    }

    // dlopen by soname does not tell where the file was; /proc/self/maps does (Linux only).
    private static string ResolvedPath(string candidate)
    {
        if (candidate.Contains('/') || !File.Exists("/proc/self/maps")) return candidate;
        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                // The soname is usually a symlink to a fully versioned file (libfftw3f.so.3 -> libfftw3f.so.3.6.10).
                var slash = line.IndexOf('/');
                if (slash >= 0 && Path.GetFileName(line.AsSpan(slash)).StartsWith(candidate, StringComparison.Ordinal)) return line[slash..];
            }
        }
        catch (IOException) { }
        return candidate;
    }
}
