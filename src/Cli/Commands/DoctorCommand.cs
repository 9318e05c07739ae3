using System.CommandLine;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Seiscat.Engine.Kernels;
using Seiscat.Native;
using Seiscat.Native.Hdf5;
using Seiscat.Native.Zstd;
using Seiscat.Engine.Io.Storage;

namespace Seiscat.Cli.Commands;

/// <summary>`seiscat doctor`: which native libraries were loaded from where, their versions, and the SIMD paths.</summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var command = new Command("doctor",
            "Show the native libraries (FFTW, HDF5, libdeflate) in use, their versions, HDF5 thread safety and the SIMD paths of this machine.");
        command.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            var ok = true;
            o.WriteLine($"seiscat      {typeof(DoctorCommand).Assembly.GetName().Version}  (.NET {Environment.Version}, " +
                $"{RuntimeInformation.RuntimeIdentifier}, {Environment.ProcessorCount} logical cores)");

            if (NativeLibraryResolver.TryLoad(NativeLibraryNames.Fftw, out var fftw, out var fftwError))
                o.WriteLine($"FFTW         {NativeVersions.Fftw()}  loaded from {fftw!.Path}");
            else { ok = false; o.WriteLine($"FFTW         MISSING: {fftwError}"); }

            if (NativeLibraryResolver.TryLoad(NativeLibraryNames.Hdf5, out _, out var hdf5Error))
                o.WriteLine($"HDF5         {H5Library.Version}  loaded from {H5Library.LibraryPath}  thread-safe build: " +
                    $"{(H5Library.IsThreadSafe ? "yes" : "no")} (seiscat serialises H5 calls itself and reads sample bytes via mmap)");
            else { ok = false; o.WriteLine($"HDF5         MISSING: {hdf5Error}"); }

            if (hdf5Error is null)
            {
                // libhdf5 loads a plugin the first time a filter is asked for: this lists what each filtered archive would find.
                var plugins = Hdf5Filters.Plugins.Select(f => $"{f.Name} {(H5Library.FilterAvailable(f.Id) ? "yes" : $"no ({f.Package})")}");
                o.WriteLine($"HDF5 plugins {string.Join(":", H5Library.PluginPaths)} (HDF5_PLUGIN_PATH " +
                    $"{(Environment.GetEnvironmentVariable("HDF5_PLUGIN_PATH") is { Length: > 0 } pp ? "= " + pp : "unset: libhdf5's default")}): " +
                    string.Join(", ", plugins));
            }
            if (NativeLibraryResolver.TryLoad(NativeLibraryNames.Zstd, out var zstd, out var zstdError))
                o.WriteLine($"libzstd      {ZstdDecompressor.Version}  loaded from {zstd!.Path}  (decodes chunks of HDF5's Zstandard filter 32015 itself)");
            else o.WriteLine($"libzstd      missing ({zstdError}): files written with the Zstandard filter cannot be read");

            // libdeflate exports no version string; the soname says the ABI.
            if (NativeLibraryResolver.TryLoad(NativeLibraryNames.Deflate, out var deflate, out var deflateError))
                o.WriteLine($"libdeflate   loaded from {deflate!.Path}  (deflates features.h5 chunks, inflates archive chunks)");
            else { ok = false; o.WriteLine($"libdeflate   MISSING: {deflateError}"); }

            o.WriteLine($"SIMD         Vector128 {Yes(Vector128.IsHardwareAccelerated)}, Vector256 {Yes(Vector256.IsHardwareAccelerated)}, " +
                $"Vector512 {Yes(Vector512.IsHardwareAccelerated)}; AVX2 {Yes(Avx2.IsSupported)}, FMA {Yes(Fma.IsSupported)}, AVX-512F " +
                    $"{Yes(Avx512F.IsSupported)}");
            var forced = Environment.GetEnvironmentVariable(KernelPath.EnvironmentVariable);
            o.WriteLine($"kernel path  {KernelPath.Active}{(string.IsNullOrEmpty(forced) ? "" : $" ({KernelPath.EnvironmentVariable}={forced})")}");
            o.WriteLine($"kernels      ComplexMultiply {ComplexMultiply.Path}, Modulus {Modulus.Path}, Reductions {Reductions.Path}, Median {Median.Path}, " +
                $"MahalanobisDistance {MahalanobisDistance.Path}, WeightedScatter {WeightedScatter.Path}, Accumulate {Accumulate.Path}, " +
                $"Exponential {Exponential.Path}, ByteShuffle {ByteShuffle.Path}");
            return ok ? 0 : 1;
        });
        return command;
    }

    private static string Yes(bool b) => b ? "yes" : "no";
}
