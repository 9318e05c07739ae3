using System.Text.Json;
using Seiscat.Engine.Evaluation;
using Seiscat.Tests.Shared;

namespace Seiscat.Engine.Tests.Evaluation;

/// <summary>Partition scores against scikit-learn 1.2.1 (tests/fixtures/evaluation/make_reference.py), within 1e-12.</summary>
public class ContingencyTests
{
    public static TheoryData<string> Cases()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(TestPaths.Fixture("evaluation/metrics.json")));
        return new(doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("name").GetString()!));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Scores_equal_scikit_learns(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(TestPaths.Fixture("evaluation/metrics.json")));
        var c = doc.RootElement.GetProperty("cases").EnumerateArray().Single(x => x.GetProperty("name").GetString() == name);
        int[] Labels(string key) => c.GetProperty(key).EnumerateArray().Select(v => v.GetInt32()).ToArray();
        var table = Contingency.Of(Labels("classes"), Labels("clusters"));
        double Ref(string key) => c.GetProperty(key).GetDouble();
        Assert.Equal(Ref("adjusted_rand"), table.AdjustedRand(), 1e-12);
        Assert.Equal(Ref("normalized_mutual_info"), table.NormalizedMutualInformation(), 1e-12);
        Assert.Equal(Ref("homogeneity"), table.Homogeneity(), 1e-12);
        Assert.Equal(Ref("completeness"), table.Completeness(), 1e-12);
        Assert.Equal(Ref("v_measure"), table.VMeasure(), 1e-12);
    }

    [Fact]
    public void A_class_is_recovered_when_its_cluster_holds_most_of_it_and_little_else()
    {
        // noise 0 (90 windows), quake 1 (10), glitch 2 (10): quakes in cluster 1 with 2 noise windows (10 / 12 = 83 %),
        // glitches split 6 / 4 between clusters 2 and 0.
        var classes = new List<int>();
        var clusters = new List<int>();
        void Add(int cls, int cluster, int n) { for (var i = 0; i < n; i++) { classes.Add(cls); clusters.Add(cluster); } }
        Add(0, 0, 88); Add(0, 1, 2); Add(1, 1, 10); Add(2, 2, 6); Add(2, 0, 4);
        var r = EvaluationReport.Of(Contingency.Of(classes, clusters), ["noise", "quake", "glitch"]);
        Assert.Equal(2, r.EventClasses);
        Assert.Equal(1, r.RecoveredClasses);
        Assert.True(r.Classes.Single(c => c.Class == "quake").Recovered);
        var glitch = r.Classes.Single(c => c.Class == "glitch");
        Assert.False(glitch.Recovered);
        Assert.Equal(0.6, glitch.Purity, 1e-12);
        Assert.Equal(88 / 90.0, r.BackgroundInBackgroundClusters!.Value, 1e-12);
        Assert.Equal([88L, 2, 0], r.Confusion.Counts[0]);
    }
}
