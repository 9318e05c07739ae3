using Seiscat.Tests.Shared;

namespace Seiscat.Cli.Tests;

/// <summary>The cluster tree through the commands: what fit prints, what predict writes, what the report draws.
/// In the CLI collection, as every CLI test that runs a pipeline.</summary>
[Collection("cli-native")]
public class ClusterTreeCommandTests
{
    [Fact]
    public void Run_fits_a_tree_names_its_leaves_in_every_output_and_draws_it()
    {
        using var dir = TestPaths.NewTempDir();
        var archive = dir.File("archive");
        // Rare events (≈ 1 % of 25 886 windows): the regime the tree is for.
        Assert.Equal(0, CliHarness.Run("synth", "--out", archive, "--stations", "3", "--hours", "48", "--rate", "20", "--seed", "4", "--event-rate",
            "0.1").Exit);
        var (exit, output, err) = CliHarness.Run("run", archive, "--fftw", "estimate", "--seed", "4", "--out", dir.File("out"));
        Assert.True(exit == 0, err);
        Assert.Contains("level 2: ", output);
        Assert.Matches(@"a tree of \d levels refines it into \d+ labels \(0, ", output);
        Assert.Contains("of noise in noise clusters", output);

        var csv = File.ReadAllLines(Path.Combine(dir.File("out"), "windows.csv"));
        Assert.EndsWith(",leaf,top_cluster", csv[0]);
        var rows = csv.Skip(1).Select(l => l.Split(',')).ToList();
        // A leaf's top-level cluster is the first number of its path, and its label is one per leaf.
        Assert.All(rows, r => Assert.Equal(r[^2].Split('.')[0], r[^1]));
        Assert.Equal(rows.Select(r => r[3]).Distinct().Count(), rows.Select(r => r[^2]).Distinct().Count());
        Assert.Contains(rows, r => r[^2].Contains('.'));

        var html = File.ReadAllText(Path.Combine(dir.File("out"), "report", "index.html"));
        Assert.Contains("Cluster tree", html);
        Assert.Contains("leaf of the tree", html);

        // A flat model on request: no tree columns.
        (exit, output, err) = CliHarness.Run("fit", Path.Combine(dir.File("out"), "features.h5"), "--levels", "1", "--out", dir.File("flat.h5"));
        Assert.True(exit == 0, err);
        Assert.DoesNotContain("a tree of", output);
        Assert.Equal(0, CliHarness.Run("predict", dir.File("flat.h5"), Path.Combine(dir.File("out"), "features.h5"), "--out", dir.File("flat.csv")).Exit);
        Assert.DoesNotContain("leaf", File.ReadLines(dir.File("flat.csv")).First());

        // Without the join across stations: same tree machinery, and no join reported.
        (exit, output, err) = CliHarness.Run("fit", Path.Combine(dir.File("out"), "features.h5"), "--join", "none", "--out", dir.File("nojoin.h5"));
        Assert.True(exit == 0, err);
        Assert.DoesNotContain("coincide across stations", output);
    }

    [Theory]
    [InlineData("stations:2")]
    [InlineData("stations:0")]
    [InlineData("nearby")]
    public void Impossible_joins_are_one_line_errors(string join)
    {
        using var dir = TestPaths.NewTempDir();
        File.WriteAllText(dir.File("f.h5"), "not used: the option is checked first");
        var (exit, _, err) = CliHarness.Run("fit", dir.File("f.h5"), "--join", join, "--out", dir.File("m.h5"));
        Assert.Equal(2, exit);
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--join " + join, line);
        Assert.False(File.Exists(dir.File("m.h5")));
    }

    [Theory]
    [InlineData("--levels", "0")]
    [InlineData("--levels", "9")]
    [InlineData("--join", "stations:2")]
    [InlineData("--join", "stations:0")]
    [InlineData("--join", "nearby")]
    [InlineData("--join-local", "2")]
    [InlineData("--join-local", "0")]
    [InlineData("--join-local", "glitches")]
    public void Impossible_tree_options_are_one_line_errors(string option, string value)
    {
        using var dir = TestPaths.NewTempDir();
        File.WriteAllText(dir.File("f.h5"), "not used: the option is checked first");
        var (exit, _, err) = CliHarness.Run("fit", dir.File("f.h5"), option, value, "--out", dir.File("m.h5"));
        Assert.Equal(2, exit);
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(option + " " + value, line);
        Assert.False(File.Exists(dir.File("m.h5")));
    }
}
