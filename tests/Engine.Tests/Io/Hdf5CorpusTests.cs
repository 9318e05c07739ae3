using System.Text.Json;
using Seiscat.Engine.Common;
using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Layouts;
using Seiscat.Engine.Io.Storage;
using Seiscat.Tests.Shared;

namespace Seiscat.Engine.Tests.Io;

/// <summary>
/// The corpus of valid-but-unusual HDF5 files (tests/data/hdf5-corpus, written by its generate.py with h5py): every
/// file passes the metadata walk that vets inputs, finds exactly its channels, and reads the values h5py read — or is
/// refused with the line its manifest names, never as damaged.
/// </summary>
[Collection("native-hdf5-engine")]
public class Hdf5CorpusTests
{
    private sealed record Entry(string File, string About, string Expect, string[] Channels, string? Reason, Dictionary<string, string>? Args);

    private static readonly Lazy<Entry[]> Manifest = new(() =>
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(TestPaths.Data("hdf5-corpus/manifest.json")));
        return doc.RootElement.GetProperty("files").EnumerateArray().Select(e => new Entry(
            e.GetProperty("file").GetString()!, e.GetProperty("about").GetString()!, e.GetProperty("expect").GetString()!,
            e.GetProperty("channels").EnumerateArray().Select(c => c.GetString()!).ToArray(),
            e.TryGetProperty("reason", out var r) ? r.GetString() : null,
            e.TryGetProperty("args", out var a) ? a.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!) : null)).ToArray();
    });

    public static TheoryData<string> Files() => new(Manifest.Value.Select(e => e.File));

    private static Entry Find(string file) => Manifest.Value.Single(e => e.File == file);

    [Fact]
    public void The_corpus_holds_at_least_forty_files_and_every_one_is_in_the_manifest()
    {
        var onDisk = Directory.EnumerateFiles(TestPaths.Data("hdf5-corpus"), "*.h5").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.True(onDisk.Length >= 40, $"{onDisk.Length} files");
        Assert.Equal(onDisk, Manifest.Value.Select(e => e.File).Order(StringComparer.Ordinal).ToArray());
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_file_passes_the_metadata_walk(string file)
        => Assert.True(Hdf5Vetting.Walk(TestPaths.Data("hdf5-corpus/" + file)) >= 2);

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_file_reads_with_h5py_values_or_is_refused_for_its_named_reason(string file)
    {
        var entry = Find(file);
        var path = TestPaths.Data("hdf5-corpus/" + file);
        var options = new LayoutOptions
        {
            Layout = entry.Args is null ? null : "generic",
            Datasets = entry.Args?.TryGetValue("dataset", out var d) == true ? [d] : [],
        };
        var archive = ArchiveScanner.Open([path], options);
        var pieces = archive.AllPieces.ToList();
        Assert.Equal(entry.Channels, pieces.Select(p => p.ChannelId).Order(StringComparer.Ordinal).ToArray());
        using var storage = new ArchiveStorage();
        var reader = new SampleReader(storage);
        foreach (var piece in pieces)
        {
            var samples = new float[piece.Samples];
            if (entry.Expect == "refused")
            {
                var e = Assert.Throws<SeiscatException>(() => reader.Read(piece, 0, samples));
                Assert.Contains(entry.Reason!, e.Message, StringComparison.Ordinal);
                Assert.DoesNotContain("corrupt", e.Message, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("damaged", e.Message, StringComparison.OrdinalIgnoreCase);
                continue;
            }
            reader.Read(piece, 0, samples);
            var bytes = File.ReadAllBytes(TestPaths.Data($"hdf5-corpus/expected/{file}.{piece.ChannelId}.f64"));
            var expected = new double[bytes.Length / 8];
            Buffer.BlockCopy(bytes, 0, expected, 0, bytes.Length);
            Assert.Equal(expected.Length, samples.Length);
            for (var i = 0; i < expected.Length; i++)
                if ((float)expected[i] != samples[i]) Assert.Fail($"{file} {piece.ChannelId}[{i}]: {samples[i]} read, h5py {expected[i]}");
            // Windows start anywhere: a read from inside a chunk must agree too.
            var tail = new float[333];
            reader.Read(piece, 1_111, tail);
            Assert.Equal(samples.AsSpan(1_111, 333).ToArray(), tail);
        }
    }

    [Fact]
    public void A_dataset_reached_through_soft_links_and_a_second_hard_link_is_one_channel_named_by_its_own_path()
    {
        foreach (var file in new[] { "link_soft.h5", "link_soft_group.h5", "link_hard_twice.h5", "link_cycle.h5" })
        {
            var piece = Assert.Single(ArchiveScanner.Open([TestPaths.Data("hdf5-corpus/" + file)]).AllPieces);
            Assert.Equal("/" + piece.ChannelId, piece.Dataset);
        }
        // A pattern that names the alias selects the dataset, under its own name.
        var aliased = Assert.Single(ArchiveScanner.Open([TestPaths.Data("hdf5-corpus/link_soft.h5")],
            new LayoutOptions { Layout = "generic", Datasets = ["/alias"] }).AllPieces);
        Assert.Equal(Find("link_soft.h5").Channels[0], aliased.ChannelId);
    }

    [Fact]
    public void External_links_are_named_once_in_a_warning_and_not_followed()
    {
        var dangling = ArchiveScanner.Open([TestPaths.Data("hdf5-corpus/link_dangling_external.h5")]);
        var warning = Assert.Single(dangling.Warnings);
        Assert.Contains("missing_file.h5", warning, StringComparison.Ordinal);
        Assert.Contains("leads nowhere", warning, StringComparison.Ordinal);

        var linked = ArchiveScanner.Open([TestPaths.Data("hdf5-corpus/link_external.h5")]);
        Assert.Contains("add link_external_target.h5 to the archive", Assert.Single(linked.Warnings), StringComparison.Ordinal);
        Assert.Equal(Find("link_external.h5").Channels, linked.AllPieces.Select(p => p.ChannelId).ToArray());

        Assert.Empty(ArchiveScanner.Open([TestPaths.Data("hdf5-corpus/layout_chunked.h5")]).Warnings);
    }

    [Fact]
    public void Chunks_only_libhdf5_decodes_are_decoded_once_by_overlapping_windows()
    {
        // 2 000 samples in 500-sample LZF chunks, read as 19 half-overlapping windows: four chunks, each decoded once.
        var piece = Assert.Single(ArchiveScanner.Open([TestPaths.Data("hdf5-corpus/filter_lzf_shuffle.h5")]).AllPieces);
        using var storage = new ArchiveStorage();
        var reader = new SampleReader(storage);
        var whole = new float[piece.Samples];
        var window = new float[200];
        for (var start = 0; start + 200 <= piece.Samples; start += 100)
        {
            reader.Read(piece, start, window);
            window.CopyTo(whole, start);
        }
        Assert.Equal(4, reader.ChunksDecoded);
        var bytes = File.ReadAllBytes(TestPaths.Data($"hdf5-corpus/expected/filter_lzf_shuffle.h5.{piece.ChannelId}.f64"));
        var expected = new double[bytes.Length / 8];
        Buffer.BlockCopy(bytes, 0, expected, 0, bytes.Length);
        Assert.Equal(expected.Select(v => (float)v).ToArray(), whole);
    }

    [Fact]
    public void Inspect_says_which_path_filtered_chunks_take()
    {
        string Storage(string file) => ArchiveScanner.Open([TestPaths.Data("hdf5-corpus/" + file)]).AllPieces.First().Storage.Describe();
        Assert.Equal("chunked 500 lzf, via libhdf5", Storage("filter_lzf.h5"));
        Assert.Equal("chunked 500 shuffle+zstd", Storage("filter_zstd_shuffle.h5"));
        Assert.Equal("chunked 512 shuffle+deflate9+fletcher32", Storage("layout_gzip_shuffle_fletcher.h5"));
        Assert.Equal("chunked 500 sz, no plugin for sz", Storage("filter_unavailable.h5"));
    }
}
