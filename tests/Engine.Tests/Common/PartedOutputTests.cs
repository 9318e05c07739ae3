using Seiscat.Engine.Common.Parts;
using Seiscat.Tests.Shared;

namespace Seiscat.Engine.Tests.Common;

/// <summary>The parted-output scheme's bookkeeping: parts, resume, and what a failure leaves behind.</summary>
public class PartedOutputTests
{
    private static void Write(PartWrite w) => File.WriteAllText(w.Path, $"{w.From}+{w.Count} {w.Place}");

    [Fact]
    public void Parts_are_written_once_resumed_after_a_failure_and_removed_when_assembled()
    {
        using var dir = TestPaths.NewTempDir();
        var output = dir.File("out.h5");
        var written = new List<long>();
        // First run: part 2 fails (not an input problem): parts 0 and 1 are kept, and the exception says where.
        var e = Assert.Throws<IOException>(() => PartedOutput.Run(output, "fp", 0, 100, 30, null, w =>
        {
            if (w.From == 60) throw new IOException("disk full");
            written.Add(w.From);
            Write(w);
        }, (_, _) => { }));
        var folder = Assert.IsType<string>(e.Data[PartedOutput.KeptPartsKey]);
        Assert.Equal(PartedOutput.FolderOf(output, "fp"), folder);
        Assert.Equal(2, Directory.GetFiles(folder, "part-*.h5").Length);

        // Second run: parts 0 and 1 come from the first run (seen by `resumed`, in order), 2 and 3 are written.
        var resumed = new List<long>();
        IReadOnlyList<string>? assembled = null, earlier = null;
        var fromEarlier = PartedOutput.Run(output, "fp", 0, 100, 30, null, w => { written.Add(w.From); Write(w); },
            (parts, before) => (assembled, earlier) = (parts, before), resumed: w => resumed.Add(w.From));
        Assert.Equal(60, fromEarlier);
        Assert.Equal([0L, 30], resumed);
        Assert.Equal([0L, 30, 60, 90], written);
        Assert.Equal(4, assembled!.Count);
        Assert.Equal(assembled.Take(2), earlier!); // only the first run's parts are foreign to the second: they are vetted
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void An_input_refusal_removes_parts_that_can_never_resume()
    {
        using var dir = TestPaths.NewTempDir();
        var output = dir.File("out.h5");
        Assert.Throws<SeiscatException>(() => PartedOutput.Run(output, "fp", 0, 100, 30, null, w =>
        {
            if (w.From == 60) throw SeiscatException.InInput("x.h5", "/d", "Fletcher-32 checksum mismatch", "re-copy it");
            Write(w);
        }, (_, _) => { }));
        Assert.False(Directory.Exists(PartedOutput.FolderOf(output, "fp")));
    }

    [Fact]
    public void Clean_removes_checkpoint_folders_of_an_output_or_a_folder()
    {
        using var dir = TestPaths.NewTempDir();
        Directory.CreateDirectory(dir.File("a.h5.parts-0123"));
        Directory.CreateDirectory(dir.File("b.h5.parts-4567"));
        Assert.Single(PartedOutput.Clean(dir.File("a.h5")));
        Assert.True(Directory.Exists(dir.File("b.h5.parts-4567")));
        Assert.Single(PartedOutput.Clean(dir.Path));
        Assert.Empty(PartedOutput.Clean(dir.Path));
    }

    [Fact]
    public void A_folder_of_blocks_is_removed_on_success_and_on_a_refused_input_and_kept_with_its_finished_blocks_otherwise()
    {
        using var dir = TestPaths.NewTempDir();
        var output = dir.File("det.csv");
        var folder = PartedOutput.FolderOf(output, "f1");
        Assert.Equal(7, PartedOutput.InFolder(output, "f1", "block-*.csv", f =>
        {
            Assert.Equal(folder, f);
            File.WriteAllText(Path.Combine(f, "block-0.csv"), "");
            return 7;
        }));
        Assert.False(Directory.Exists(folder));

        void Fail(Exception e) => PartedOutput.InFolder<int>(output, "f1", "block-*.csv", f =>
        {
            File.WriteAllText(Path.Combine(f, "block-0.csv"), "");
            throw e;
        });
        var refused = Assert.Throws<SeiscatException>(() => Fail(SeiscatException.InInput("x.h5", "/d", "is corrupt", "re-copy it")));
        Assert.False(Directory.Exists(folder));
        Assert.False(refused.Data.Contains(PartedOutput.KeptPartsKey));
        var killed = Assert.Throws<IOException>(() => Fail(new IOException("disk full")));
        Assert.Equal(folder, killed.Data[PartedOutput.KeptPartsKey]);
        Assert.True(File.Exists(Path.Combine(folder, "block-0.csv")));
        // The kept folder is an output's checkpoint like any other: clean finds it.
        Assert.EndsWith("/", Assert.Single(PartedOutput.Clean(output)), StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void Shard_ranges_are_contiguous_aligned_and_cover_every_row()
    {
        foreach (var (total, shards, alignment) in new[] { (1000L, 3, 32), (31L, 4, 32), (100L, 7, 1), (0L, 2, 32) })
        {
            long next = 0;
            for (var i = 0; i < shards; i++)
            {
                var (first, count) = ShardPlace.Range(total, i, shards, alignment);
                Assert.Equal(next, first);
                Assert.True(first % alignment == 0 || first == total);
                next = first + count;
            }
            Assert.Equal(total, next);
        }
        Assert.Throws<SeiscatException>(() => ShardPlace.Range(10, 3, 3, 1));
    }
}
