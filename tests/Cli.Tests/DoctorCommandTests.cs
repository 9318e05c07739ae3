namespace Seiscat.Cli.Tests;

public class DoctorCommandTests
{
    [Fact]
    public void Doctor_names_both_native_libraries_with_versions_and_paths()
    {
        var (exit, output, err) = CliHarness.Run("doctor");
        Assert.True(exit == 0, err + output);
        Assert.Matches(@"FFTW\s+fftw-3\.\d+\.\d+.*loaded from /\S*libfftw3f", output);
        Assert.Matches(@"HDF5\s+1\.\d+\.\d+\s+loaded from /\S*hdf5\S*\s+thread-safe build: (yes|no)", output);
        Assert.Contains("kernel path", output);
    }
}
