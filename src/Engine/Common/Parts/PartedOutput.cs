namespace Seiscat.Engine.Common.Parts;

/// <summary>One write of a parted output: rows [From, From + Count) to Path, which is the output itself or one of its
/// checkpoint parts (IsPart); Place is the file's place in a larger whole (a shard, or the part's place), if any.</summary>
public readonly record struct PartWrite(string Path, long From, long Count, ShardPlace? Place, bool IsPart);

/// <summary>
/// One output written as checkpoint parts, so a long run resumes after a kill: rows [first, first + count) go to
/// <c>OUT.parts-&lt;fingerprint&gt;/part-NNNNNN.h5</c> one part at a time (each part atomic), parts already there are
/// skipped, and the finished parts are assembled into the output by the kind's merge, byte-identical to one
/// uninterrupted write. Used by every stage whose output can take hours (features, predict; `match` keeps its blocks
/// in the same folders through <see cref="InFolder"/>).
/// <para>
/// When a run fails, its parts are handled by what failed. A refusal of the input itself (a
/// <see cref="SeiscatException"/> with <see cref="SeiscatException.IsInputError"/>: corrupt chunk, truncated file)
/// removes the parts: the fingerprint covers that input, so re-copying or excluding it can never resume them. Any other
/// failure (full disk, a kill, a bug) keeps them and records their folder in the exception's
/// <see cref="Exception.Data"/> under <see cref="KeptPartsKey"/>, so the one-line error can say where they are and
/// that the same command resumes from them (`seiscat clean` removes stale ones).
/// </para>
/// </summary>
public static class PartedOutput
{
    public const string KeptPartsKey = "seiscat.kept-parts";
    public const string FolderInfix = ".parts-";

    /// <summary>Writes rows [first, first + count) to <paramref name="outPath"/>, one part at a time; returns how many came
    /// from parts an earlier, interrupted run had finished.</summary>
    /// <param name="write">Writes one file's rows.</param>
    /// <param name="resumed">Called, in row order with the writes, for each part an earlier run had finished.</param>
    /// <param name="assemble">Joins the finished part files, in order, into the output; its second argument lists the parts an
    /// earlier run wrote (files this process did not write, to be vetted like any input).</param>
    public static long Run(string outPath, string fingerprint, long first, long count, long partSize, ShardPlace? shard,
        Action<PartWrite> write, Action<IReadOnlyList<string>, IReadOnlyList<string>> assemble, Action<PartWrite>? resumed = null)
        => RunConsecutive(outPath, fingerprint, first, count, partSize, shard, run =>
        {
            foreach (var w in run) write(w);
        }, assemble, resumed);

    /// <summary>
    /// As <see cref="Run"/>, but the parts still to write are handed over as runs of consecutive parts, so a writer can
    /// keep one pipeline going across part borders instead of draining and restarting it per part (with 64 workers a
    /// drain idles each for about half a 64-window batch: a fifth of an 8 192-window part). <paramref name="writeRun"/> must
    /// still complete each part as its own atomic file, in order, so a kill loses at most the part being written.
    /// </summary>
    public static long RunConsecutive(string outPath, string fingerprint, long first, long count, long partSize, ShardPlace? shard,
        Action<IReadOnlyList<PartWrite>> writeRun, Action<IReadOnlyList<string>, IReadOnlyList<string>> assemble, Action<PartWrite>? resumed = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partSize, 1);
        if (count <= partSize)
        {
            writeRun([new PartWrite(outPath, first, count, shard, IsPart: false)]);
            return 0;
        }
        return InFolder(outPath, fingerprint, "part-*.h5", folder =>
        {
            var partCount = (int)((count + partSize - 1) / partSize);
            var paths = new List<string>(partCount);
            var earlier = new List<string>();
            var pending = new List<PartWrite>();
            long resumedRows = 0;
            void Flush()
            {
                if (pending.Count == 0) return;
                writeRun(pending.ToArray());
                pending.Clear();
            }
            for (var part = 0; part < partCount; part++)
            {
                var from = first + part * partSize;
                var n = Math.Min(partSize, first + count - from);
                var path = Path.Combine(folder, $"part-{part:D6}.h5");
                paths.Add(path);
                var w = new PartWrite(path, from, n, new ShardPlace(part, partCount, from - first, count), IsPart: true);
                if (File.Exists(path))
                {
                    // Writes and resumed parts reach their callbacks in row order.
                    Flush();
                    resumedRows += n;
                    earlier.Add(path);
                    resumed?.Invoke(w);
                    continue;
                }
                pending.Add(w);
            }
            Flush();
            assemble(paths, earlier);
            return resumedRows;
        });
    }

    /// <summary>
    /// Runs <paramref name="body"/> with the checkpoint folder of an output (created; temporaries of a killed writer
    /// removed), under the shared failure policy: on success the folder is removed; on a refusal of the input, or when no
    /// finished part (<paramref name="finishedParts"/>, a file pattern) is in it, too; on any other failure it is kept and
    /// named in the exception under <see cref="KeptPartsKey"/>. For outputs whose parts are not row ranges (`match`'s
    /// blocks).
    /// </summary>
    public static T InFolder<T>(string outPath, string fingerprint, string finishedParts, Func<string, T> body)
    {
        var folder = FolderOf(outPath, fingerprint);
        Directory.CreateDirectory(folder);
        foreach (var stale in Directory.GetFiles(folder, ".*")) File.Delete(stale); // temporaries of a killed run
        T result;
        try
        {
            result = body(folder);
        }
        catch (Exception e)
        {
            var finished = Directory.GetFiles(folder, finishedParts).Length;
            if (finished == 0 || e is SeiscatException { IsInputError: true }) TryDelete(folder);
            else e.Data[KeptPartsKey] = folder;
            throw;
        }
        TryDelete(folder);
        return result;
    }

    /// <summary>The checkpoint folder of an output and fingerprint.</summary>
    public static string FolderOf(string outPath, string fingerprint) => $"{Path.GetFullPath(outPath)}{FolderInfix}{fingerprint}";

    /// <summary>Checkpoint folders of an output, whatever their fingerprint (for `seiscat clean`).</summary>
    public static IEnumerable<string> FoldersOf(string outPath)
    {
        var full = Path.GetFullPath(outPath);
        var dir = Path.GetDirectoryName(full);
        if (dir is null || !Directory.Exists(dir)) return [];
        return Directory.EnumerateDirectories(dir, Path.GetFileName(full) + FolderInfix + "*");
    }

    /// <summary>
    /// `seiscat clean`: removes checkpoint folders and temporaries of dead writers. A folder argument is cleaned of
    /// every such leftover; a file argument (an output's path) of its own. Returns what was removed.
    /// </summary>
    public static IReadOnlyList<string> Clean(string path)
    {
        var removed = new List<string>();
        var full = Path.GetFullPath(path);
        var (dir, folders, name) = Directory.Exists(full)
            ? (full, Directory.EnumerateDirectories(full, "*" + FolderInfix + "*").ToList(), (string?)null)
            : (Path.GetDirectoryName(full)!, FoldersOf(full).ToList(), Path.GetFileName(full));
        if (!Directory.Exists(dir)) throw SeiscatException.For(path, null, "no such folder", "pass an output path or the folder that holds it");
        foreach (var f in folders)
        {
            Directory.Delete(f, recursive: true);
            removed.Add(f + "/");
        }
        removed.AddRange(AtomicOutput.RemoveStaleTemporaries(dir, name));
        return removed;
    }

    private static void TryDelete(string folder)
    {
        try { Directory.Delete(folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
