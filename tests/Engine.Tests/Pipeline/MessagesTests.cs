using Seiscat.Engine.Mixture;
using Seiscat.Engine.Pipeline;

namespace Seiscat.Engine.Tests.Pipeline;

/// <summary>Messages a person reads: counts in the singular for one, and a warning when the BIC's choice sits at the top
/// of the range it searched.</summary>
public class MessagesTests
{
    [Theory]
    [InlineData(0, "template", null, "0 templates")]
    [InlineData(1, "template", null, "1 template")]
    [InlineData(2, "template group", null, "2 template groups")]
    [InlineData(1, "stretch", "stretches", "1 stretch")]
    [InlineData(3, "stretch", "stretches", "3 stretches")]
    [InlineData(1, "DAS channel", null, "1 DAS channel")]
    public void Counts_read_as_words(long n, string singular, string? plural, string expected)
        => Assert.Equal(expected, Plural.Of(n, singular, plural));

    private static FitReport Report(int chosen, params int[] tried)
        => new(1000, 1000, 0, chosen, tried.Select(k => (k, 100.0 - k)).ToList(), 1.0) { Components = chosen };

    [Fact]
    public void The_BIC_at_the_top_of_its_range_is_a_warning_naming_a_wider_range()
    {
        var warning = FitJob.BicWarning(Report(12, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
        Assert.Equal("the BIC chose K = 12, the top of the range it searched (2–12): a larger K may fit better; widen it with " +
            "\u27E8Clusters\u27E9 auto:2-24", warning);
        Assert.Null(FitJob.BicWarning(Report(5, 2, 3, 4, 5, 6, 7, 8)));   // stopped past its best: no warning
        Assert.Null(FitJob.BicWarning(Report(4, 4)));                     // a fixed K: nothing was searched
    }
}
