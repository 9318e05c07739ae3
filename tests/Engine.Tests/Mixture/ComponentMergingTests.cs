using Seiscat.Engine.Mixture;

namespace Seiscat.Engine.Tests.Mixture;

public class ComponentMergingTests
{
    // Posteriors of n windows over k0 components, each window given as (component, share) pairs.
    private static double[] Tau(int k0, params (int Windows, (int Component, double Share)[] Split)[] groups)
    {
        var rows = new List<double[]>();
        foreach (var (windows, split) in groups)
            for (var i = 0; i < windows; i++)
            {
                var row = new double[k0];
                foreach (var (c, share) in split) row[c] = share;
                rows.Add(row);
            }
        return rows.SelectMany(r => r).ToArray();
    }

    [Fact]
    public void Overlapping_components_are_joined_and_a_small_separate_one_is_kept()
    {
        // Components 0 and 1 share 300 windows half and half (one non-Gaussian cluster); 2 holds 10 windows alone
        // (a rare event class); 3 holds 200 windows alone.
        var tau = Tau(4, (300, [(0, 0.5), (1, 0.5)]), (10, [(2, 1.0)]), (200, [(3, 1.0)]));
        var (map, clusters, steps) = ComponentMerging.Merge(tau, 510, 4, ComponentMerging.DefaultThreshold);
        Assert.Equal(3, clusters);
        Assert.Equal(map[0], map[1]);
        Assert.Equal([0, 0, 1, 2], map);
        // The whole hierarchy is kept: k0 − 1 joins, the first one the overlapping pair at log 2 per window.
        Assert.Equal(3, steps.Count);
        Assert.Equal(4, steps[0].Groups);
        Assert.Equal((0, 1), (steps[0].A, steps[0].B));
        Assert.Equal(Math.Log(2), steps[0].PerWindow, 9); // each shared window loses the entropy of a fair coin
        Assert.All(steps.Skip(1), s => Assert.True(s.PerWindow < ComponentMerging.DefaultThreshold));
    }

    [Fact]
    public void Crisp_components_are_never_joined_and_a_zero_threshold_joins_only_what_overlaps()
    {
        var crisp = Tau(3, (50, [(0, 1.0)]), (60, [(1, 1.0)]), (70, [(2, 1.0)]));
        Assert.Equal(3, ComponentMerging.Merge(crisp, 180, 3, ComponentMerging.DefaultThreshold).Clusters);
        var slight = Tau(3, (50, [(0, 0.99), (1, 0.01)]), (60, [(1, 1.0)]), (70, [(2, 1.0)]));
        Assert.Equal(3, ComponentMerging.Merge(slight, 180, 3, 0.05).Clusters);
        Assert.Equal(2, ComponentMerging.Merge(slight, 180, 3, 1e-6).Clusters);
    }
}
