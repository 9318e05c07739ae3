namespace Seiscat.Native.Hdf5;

/// <summary>One place in a file's tree: an object reached by a hard link, or a soft or external link.</summary>
/// <param name="Path">Absolute path of the link.</param>
/// <param name="Kind">What the link leads to; <see cref="H5ObjectKind.Missing"/> for a dangling soft or external link.</param>
/// <param name="Link">How the parent names it.</param>
/// <param name="Address">The object it leads to (null when dangling).</param>
public readonly record struct H5TreeEntry(string Path, H5ObjectKind Kind, H5LinkKind Link, H5ObjectAddress? Address);

/// <summary>
/// Walks a file the way its objects are stored rather than the way they are named: every object once, at the first
/// hard-linked path that reaches it (depth first, names in order). A second hard link to a dataset, a hard link back to
/// a parent group (a cycle) and soft links are aliases, not more objects; soft and external links are reported as
/// links so a caller can resolve an alias or warn about a link it does not follow.
/// </summary>
public static class H5Tree
{
    public static IEnumerable<H5TreeEntry> Walk(H5Group root, int maxDepth = 32)
    {
        var seen = new HashSet<H5ObjectAddress>();
        if (root.AddressOf(".") is { } self) seen.Add(self);
        return Walk(root, root.ObjectPath, seen, 0, maxDepth);
    }

    private static IEnumerable<H5TreeEntry> Walk(H5Group group, string prefix, HashSet<H5ObjectAddress> seen, int depth, int maxDepth)
    {
        if (depth > maxDepth) yield break;
        foreach (var link in group.ChildLinks())
        {
            var path = prefix == "/" ? "/" + link.Name : prefix + "/" + link.Name;
            var info = group.InfoOf(link.Name);
            var kind = info?.Kind ?? H5ObjectKind.Missing;
            if (link.Kind != H5LinkKind.Hard)
            {
                yield return new H5TreeEntry(path, kind, link.Kind, info?.Address);
                continue;
            }
            if (info is { } i && !seen.Add(i.Address)) continue;
            yield return new H5TreeEntry(path, kind, H5LinkKind.Hard, info?.Address);
            if (kind != H5ObjectKind.Group) continue;
            using var child = group.OpenGroup(link.Name);
            foreach (var entry in Walk(child, path, seen, depth + 1, maxDepth)) yield return entry;
        }
    }
}
