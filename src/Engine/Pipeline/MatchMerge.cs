using Seiscat.Engine.Matching;

namespace Seiscat.Engine.Pipeline;

/// <summary>
/// Joins the detections of `match --shard` runs: their peaks (shards do not decluster) declustered once over the union,
/// as one process would, and their gap lists concatenated; only the shards of one whole run
/// (<see cref="DetectionShard"/>).
/// </summary>
public static class MatchMerge
{
    public static (int Detections, int Gaps) Run(IReadOnlyList<string> shards, string outPath, double minSeparationSeconds)
    {
        DetectionsFile.CheckName(outPath);
        var peaks = new List<Detection>();
        var gaps = new List<MatchGap>();
        foreach (var shard in shards)
        {
            if (!File.Exists(shard))
                throw SeiscatException.For(shard, null, "no such shard file", $"pass the .csv files written by match {Setting.Shard.Ref()}");
        }
        DetectionShard.CheckSet(shards);
        foreach (var shard in shards)
        {
            peaks.AddRange(DetectionsFile.ReadCsv(shard));
            var gapFile = GapsFile.PathFor(shard);
            if (File.Exists(gapFile)) gaps.AddRange(GapsFile.Read(gapFile));
        }
        var merged = DetectionsFile.Decluster(peaks, (long)Math.Round(minSeparationSeconds * 1e9));
        DetectionsFile.Write(outPath, merged);
        GapsFile.Write(GapsFile.PathFor(outPath), gaps);
        return (merged.Count, gaps.Count);
    }
}
