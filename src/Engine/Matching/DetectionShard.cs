using System.Globalization;
using Seiscat.Engine.Common;

namespace Seiscat.Engine.Matching;

/// <summary>
/// DETECTIONS.shard, beside each output of `match --shard I --num-shards N`: the run's fingerprint (templates,
/// archive, threshold, block length, layout — everything but the shard), I and N. `merge` joins detection shards only
/// when all N are there, once each, from one run: shards of another template file or block length would double or
/// drop detections without a word.
/// </summary>
public static class DetectionShard
{
    public static string PathFor(string detectionsPath) => Path.ChangeExtension(detectionsPath, null) + ".shard";

    public static void Write(string detectionsPath, string run, int index, int count)
    {
        using var atomic = new AtomicOutput(PathFor(detectionsPath));
        File.WriteAllLines(atomic.TempPath, [$"run={run}", string.Create(CultureInfo.InvariantCulture, $"shard={index}"),
            string.Create(CultureInfo.InvariantCulture, $"of={count}")]);
        atomic.Commit();
    }

    /// <summary>Refuses, in one line naming the file, a set of detection shards that is not one whole run.</summary>
    public static void CheckSet(IReadOnlyList<string> detectionsPaths)
    {
        var stamps = detectionsPaths.Select(p => (Path: p, Stamp: Read(p))).ToList();
        var first = stamps[0];
        foreach (var (path, stamp) in stamps.Skip(1))
            if (stamp.Run != first.Stamp.Run || stamp.Count != first.Stamp.Count)
                throw SeiscatException.For(path, null, $"comes from another match run than {first.Path} (other templates, archive, threshold " +
                    "or block length)", $"merge only the shards of one `seiscat match … {Setting.ShardCount.Ref()} N` run");
        foreach (var g in stamps.GroupBy(s => s.Stamp.Index).Where(g => g.Count() > 1))
            throw SeiscatException.For(g.Last().Path, null, $"is shard {g.Key} again (also {g.First().Path})", "pass each shard once");
        var missing = Enumerable.Range(0, first.Stamp.Count).Except(stamps.Select(s => s.Stamp.Index)).ToList();
        if (missing.Count > 0)
            throw SeiscatException.For(first.Path, null, $"is shard {first.Stamp.Index} of {first.Stamp.Count}, but {Plural.Word(missing.Count, "shard")} " +
                $"{string.Join(",", missing)} {(missing.Count == 1 ? "is" : "are")} not among the files",
                "pass every shard's detections file (or rerun the missing shards)");
    }

    private static (string Run, int Index, int Count) Read(string detectionsPath)
    {
        var path = PathFor(detectionsPath);
        if (!File.Exists(path))
            throw SeiscatException.For(detectionsPath, null,
                $"is not a shard of `seiscat match {Setting.Shard.Ref()}` ({Path.GetFileName(path)} is missing beside it)",
                $"pass the detections files written with {Setting.Shard.Ref()} I {Setting.ShardCount.Ref()} N, each with its .shard file");
        var fields = File.ReadLines(path).Select(l => l.Split('=', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1]);
        if (!fields.TryGetValue("run", out var run) || !int.TryParse(fields.GetValueOrDefault("shard"), NumberStyles.Integer, CultureInfo.InvariantCulture,
                out var index) || !int.TryParse(fields.GetValueOrDefault("of"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count)
            || count < 1 || index < 0 || index >= count)
            throw SeiscatException.For(path, null, "is damaged", "rerun that shard");
        return (run, index, count);
    }
}
