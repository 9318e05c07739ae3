using Seiscat.Tests.Shared;

namespace Seiscat.Cli.Tests;

/// <summary>--memory: plans that cannot fit are refused up front with the figure to change; nothing is written.</summary>
[Collection("cli-native")]
public class MemoryOptionTests
{
    [Fact]
    public void Plans_that_cannot_fit_the_budget_are_refused_before_any_work()
    {
        using var dir = TestPaths.NewTempDir();
        var archive = dir.File("a");
        Assert.Equal(0, CliHarness.Run("synth", "--out", archive, "--hours", "1", "--rate", "20").Exit);

        var (exit, _, err) = CliHarness.Run("features", archive, "--fftw", "estimate", "--threads", "2000", "--memory", "256M", "--out", dir.File("f.h5"));
        Assert.Equal(2, exit);
        Assert.Contains("--memory is 256 MiB", err);
        Assert.Contains("lower --threads or raise --memory", err);
        Assert.False(File.Exists(dir.File("f.h5")));

        (exit, _, err) = CliHarness.Run("features", archive, "--fftw", "estimate", "--memory", "100M", "--out", dir.File("f.h5"));
        Assert.Equal(2, exit);
        Assert.Contains("use --memory 256M or more", err);

        (exit, _, err) = CliHarness.Run("features", archive, "--fftw", "estimate", "--memory", "plenty", "--out", dir.File("f.h5"));
        Assert.Equal(2, exit);
        Assert.Contains("is not a size", err);

        // The same run fits in 256 MiB on two threads (fit's sample cap and refusal: MemoryBudgetTests).
        Assert.Equal(0, CliHarness.Run("features", archive, "--fftw", "estimate", "--threads", "2", "--memory", "256M", "--out", dir.File("f.h5")).Exit);
    }
}
