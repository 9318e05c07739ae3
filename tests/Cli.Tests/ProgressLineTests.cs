using Seiscat.Engine.Common;

namespace Seiscat.Cli.Tests;

/// <summary>Progress rates in a time unit that shows them: a slow stage (match's day blocks) is not "0 blocks/s".</summary>
public class ProgressLineTests
{
    [Theory]
    [InlineData(2500.4, "windows", "2500 windows/s")]
    [InlineData(3.3, "blocks", "3.3 blocks/s")]
    [InlineData(0.05, "blocks", "3 blocks/min")]
    [InlineData(0.0001, "blocks", "0.4 blocks/h")]
    [InlineData(0, "blocks", "0 blocks/h")]
    public void Rates_read_in_a_unit_that_shows_them(double perSecond, string unit, string expected)
        => Assert.Equal(expected, ProgressLine.Rate(perSecond, unit));

    [Fact]
    public void A_slow_stage_shows_its_rate_per_minute()
    {
        using var log = new StringWriter();
        var line = new ProgressLine(log, "match", "blocks");
        line.Report(new StageProgress(1, 20, TimeSpan.FromSeconds(20)));
        line.Report(new StageProgress(20, 20, TimeSpan.FromSeconds(400)));
        Assert.Contains("match: 20/20 blocks (100%), 3 blocks/min", log.ToString());
        Assert.DoesNotContain("0 blocks/s", log.ToString());
    }
}
