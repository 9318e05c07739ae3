using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Storage;
using Seiscat.Engine.Synthetic;
using Seiscat.Engine.Templates;
using Seiscat.Engine.Windows;
using Seiscat.Tests.Shared;

namespace Seiscat.Engine.Tests.Templates;

[Collection("native-hdf5-engine")]
public class TemplateBuilderTests
{
    [Fact]
    public void A_cluster_of_repeats_and_unrelated_events_gives_the_repeating_family_as_the_template()
    {
        using var dir = TestPaths.NewTempDir();
        var synth = SyntheticArchive.Generate(dir.Path, new SynthOptions { Stations = 1, Hours = 6, Rate = 50, Seed = 4 });
        var station = ArchiveScanner.Open([dir.Path]).Units[0];
        const long WindowNs = 40_000_000_000;
        // Candidates as a cluster would hold them: windows starting 10 s before each repeat and each earthquake, the
        // earthquakes nearer the cluster centre (listed first), so picking the nearest windows would stack them.
        var repeats = synth.Truth.Where(t => t.Class == "repeater").Select(t => t.StartNs).ToList();
        var quakes = synth.Truth.Where(t => t.Class == "earthquake").Select(t => t.StartNs).Take(12).ToList();
        Assert.True(repeats.Count >= 6, $"{repeats.Count} repeats");
        var candidates = quakes.Select((t, i) => new TemplateBuilder.Candidate(t - 10_000_000_000, i))
            .Concat(repeats.Select((t, i) => new TemplateBuilder.Candidate(t - 10_000_000_000, 100 + i))).ToList();
        using var storage = new ArchiveStorage();
        var options = new TemplateOptions { PerCluster = 5, LengthSeconds = 10 };
        var template = TemplateBuilder.Build(new StretchReader(station, storage), 3, candidates, WindowNs, options, "T000", out var reason);
        Assert.True(template is not null, reason);
        Assert.Equal(5, template.Members.Length);
        // Every member is a planted repeat (onset within 3 s of one), and they correlate with the stack near 1.
        Assert.All(template.MemberOnsetNs, onset => Assert.Contains(repeats, r => Math.Abs(r - onset) < 3_000_000_000));
        Assert.True(template.MemberCorrelation.Min() > 0.9, string.Join(", ", template.MemberCorrelation));
        Assert.Equal((3, "T000", 500), (template.Cluster, template.Name, template.Samples));
        Assert.InRange(template.OnsetSample, 1, 250); // about a fifth in: the stack's own onset, picked after trimming
        Assert.True(template.LowHz > 0 && template.HighHz > template.LowHz && template.HighHz < 25);
    }
}
