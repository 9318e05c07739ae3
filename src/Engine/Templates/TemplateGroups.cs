namespace Seiscat.Engine.Templates;

/// <summary>
/// Which clusters get templates by default, and how templates of one cluster at several stations become one group that
/// `match` stacks (their members are the same events; the group's offsets are their onset delays).
/// </summary>
public static class TemplateGroups
{
    /// <summary>Every cluster but the most populated one (ties: the lowest index), which is the record's background.</summary>
    public static List<int> DefaultClusters(long[] counts)
    {
        var background = Array.IndexOf(counts, counts.Max());
        return Enumerable.Range(0, counts.Length).Where(c => c != background && counts[c] > 0).ToList();
    }

    /// <summary>One cluster at several stations: stations whose members are the same events (onsets within a window) join
    /// the group of the cluster's first template, at the median onset delay; offsets are then made relative to the
    /// earliest. Groups are numbered 1, 2, … in template order.</summary>
    public static List<Template> Form(List<Template> templates, long windowNs)
    {
        var result = new List<Template>();
        var group = 0;
        foreach (var cluster in templates.GroupBy(t => t.Cluster))
        {
            var list = cluster.ToList();
            var reference = list[0];
            var joined = new List<(Template T, long Offset)> { (reference, 0) };
            foreach (var t in list.Skip(1))
            {
                var delays = new List<long>();
                foreach (var a in reference.MemberOnsetNs)
                {
                    var nearest = t.MemberOnsetNs.OrderBy(b => Math.Abs(b - a)).FirstOrDefault(b => Math.Abs(b - a) <= windowNs, long.MinValue);
                    if (nearest != long.MinValue) delays.Add(nearest - a);
                }
                if (delays.Count > 0 && Math.Abs(t.Rate - reference.Rate) < 1e-9 * t.Rate)
                {
                    delays.Sort();
                    joined.Add((t, delays[delays.Count / 2]));
                }
                else result.Add(t with { Group = ++group, GroupOffsetNs = 0 });
            }
            var earliest = joined.Min(j => j.Offset);
            var id = ++group;
            result.AddRange(joined.Select(j => j.T with { Group = id, GroupOffsetNs = j.Offset - earliest }));
        }
        // Group numbers in template order: 1, 2, … as they first appear.
        result = result.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        var renumber = new Dictionary<int, int>();
        foreach (var t in result) renumber.TryAdd(t.Group, renumber.Count + 1);
        return result.Select(t => t with { Group = renumber[t.Group] }).ToList();
    }
}
