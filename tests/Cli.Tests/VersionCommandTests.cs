namespace Seiscat.Cli.Tests;

public class VersionCommandTests
{
    [Fact]
    public void Version_prints_name_and_exits_zero()
    {
        var (exit, output, _) = CliHarness.Run("version");
        Assert.Equal(0, exit);
        Assert.StartsWith("seiscat ", output);
    }

    [Fact]
    public void Unknown_command_fails()
    {
        var (exit, _, _) = CliHarness.Run("no-such-command");
        Assert.NotEqual(0, exit);
    }
}
