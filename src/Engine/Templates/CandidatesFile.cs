using Seiscat.Engine.Common;
using Seiscat.Engine.Common.Parts;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Templates;

/// <summary>
/// RUN_DIR/candidates.h5: the windows nearest each cluster centre at each station (and every cluster's window count) that
/// `run`'s prediction pass kept with a <see cref="NearestWindows"/> tap, so `templates` need not label the features a
/// second time. Datasets <c>cluster</c>, <c>station</c> (int32), <c>row</c>, <c>start_ns</c> (int64), <c>distance</c>,
/// <c>counts</c> (per cluster); attributes <c>key</c> (what it was computed from), <c>keep</c>, <c>clusters</c>,
/// <c>stations</c>. Read only when its key matches the run's model.h5 and features.h5 as they are now.
/// </summary>
public static class CandidatesFile
{
    public const string Name = "candidates.h5";

    /// <summary>What the candidates depend on: the model and the features files, by identity.</summary>
    public static string KeyOf(string modelPath, string featuresPath) => new Fingerprint().File(modelPath).File(featuresPath).Hex();

    public static void Save(string path, NearestWindows nearest, string key)
    {
        var all = nearest.All().ToList();
        using var output = new AtomicOutput(path);
        using (var f = H5File.Create(output.TempPath))
        {
            FileFormat.Candidates.Stamp(f);
            f.WriteAttribute("key", key);
            f.WriteAttribute("keep", (long)nearest.Keep);
            f.WriteAttribute("clusters", (long)nearest.Clusters);
            f.WriteAttribute("stations", (long)nearest.Stations);
            long n = all.Count;
            f.WriteDataset<int>("cluster", all.Select(a => a.Cluster).ToArray(), [n]);
            f.WriteDataset<int>("station", all.Select(a => a.Station).ToArray(), [n]);
            f.WriteDataset<long>("row", all.Select(a => a.Window.Row).ToArray(), [n]);
            f.WriteDataset<long>("start_ns", all.Select(a => a.Window.StartNs).ToArray(), [n]);
            f.WriteDataset<double>("distance", all.Select(a => a.Window.Distance).ToArray(), [n]);
            f.WriteDataset<long>("counts", nearest.Counts, [nearest.Counts.Length]);
        }
        output.Commit();
    }

    /// <summary>The stored candidates when they are current (same key) and hold at least <paramref name="keep"/> windows
    /// per (cluster, station) of <paramref name="clusters"/> × <paramref name="stations"/>, trimmed to <paramref name="keep"/>;
    /// else null (the caller labels the features itself). A file that cannot be read counts as absent.</summary>
    public static NearestWindows? TryLoad(string path, string key, int clusters, int stations, int keep)
    {
        if (!File.Exists(path) || !H5File.IsHdf5(path)) return null;
        try
        {
            Hdf5Vetting.Ensure([path]);
            using var f = H5File.OpenRead(path);
            if (FileFormat.Candidates.Mismatch(f) is not null
                || !f.HasAttribute("key") || f.ReadStringAttribute("key") != key || f.ReadInt64Attribute("keep") < keep
                || f.ReadInt64Attribute("clusters") != clusters || f.ReadInt64Attribute("stations") != stations)
                return null;
            var cluster = f.ReadDataset<int>("cluster");
            var station = f.ReadDataset<int>("station");
            var row = f.ReadDataset<long>("row");
            var start = f.ReadDataset<long>("start_ns");
            var distance = f.ReadDataset<double>("distance");
            var counts = f.ReadDataset<long>("counts");
            if (counts.Length != clusters || new[] { station.Length, row.Length, start.Length, distance.Length }.Any(l => l != cluster.Length)
                || cluster.Any(c => c < 0 || c >= clusters) || station.Any(s => s < 0 || s >= stations))
                return null;
            // Nearest first within each (cluster, station), as saved: the first `keep` are what a tap keeping `keep` keeps.
            var kept = Enumerable.Range(0, cluster.Length)
                .GroupBy(i => (cluster[i], station[i]))
                .SelectMany(g => g.Take(keep).Select(i => (cluster[i], station[i], new NearestWindows.Window(row[i], start[i], distance[i]))));
            return NearestWindows.Restore(clusters, stations, keep, counts, kept);
        }
        catch (Exception e) when (e is Hdf5Exception or SeiscatException) { return null; }
    }
}
