using Seiscat.Cli.Commands;
using Seiscat.Engine;
using Seiscat.Tests.Shared;

namespace Seiscat.Cli.Tests;

/// <summary>Engine messages name settings (<see cref="Setting"/>); the CLI names them by its flags. No setting may point
/// at a flag that no command has (the drift the review found: messages said --channels, the option is --components).</summary>
public class CliSettingsTests
{
    [Fact]
    public void Every_setting_maps_to_an_option_some_command_has()
    {
        var options = CommandCatalog.All().SelectMany(c => c.Options).Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var s in Enum.GetValues<Setting>())
            Assert.True(options.Contains(CliSettings.Flag(s)), $"{s} → {CliSettings.Flag(s)}, which no command has");
    }

    [Fact]
    public void Engine_messages_reach_the_user_with_flags_and_library_callers_with_words()
    {
        using var dir = TestPaths.NewTempDir();
        var archive = CliHarness.SyntheticArchive(dir, hours: 0.5, stations: 1);
        var (exit, _, err) = CliHarness.Run("features", archive, "--config", dir.File("cfg.json"), "--window", "33s", "--out", dir.File("f.h5"));
        Assert.Equal(2, exit);
        Assert.Contains("change --window or the config's bins", err);
        Assert.DoesNotContain("\u27E8", err); // no token left unrendered
        var e = new SeiscatException($"lower {Setting.Threads.Ref()} or raise {Setting.Memory.Ref()}");
        Assert.Equal("lower the thread count or raise the memory budget", e.Message);
        Assert.Equal("lower --threads or raise --memory", e.Render(CliSettings.Flag));
    }

    [Fact]
    public void A_failure_that_keeps_checkpoint_parts_says_where_in_its_one_line()
    {
        using var dir = TestPaths.NewTempDir();
        var folder = dir.File("features.h5.parts-ABCDEF");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "part-000000.h5"), "");
        var e = new IOException("Input/output error");
        e.Data[Seiscat.Engine.Common.Parts.PartedOutput.KeptPartsKey] = folder;
        var line = CliErrors.OneLine(e);
        Assert.Contains($"1 finished checkpoint part is kept in {folder}", line);
        Assert.Contains($"seiscat clean {dir.File("features.h5")}", line);
        Assert.DoesNotContain("\n", line);
        var (exit, output, _) = CliHarness.Run("clean", dir.File("features.h5"));
        Assert.Equal(0, exit);
        Assert.Contains("removed", output);
        Assert.False(Directory.Exists(folder));
    }
}
