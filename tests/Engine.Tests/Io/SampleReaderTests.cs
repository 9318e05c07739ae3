using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Layouts;
using Seiscat.Engine.Io.Storage;
using Seiscat.Native.Hdf5;
using Seiscat.Tests.Shared;

namespace Seiscat.Engine.Tests.Io;

/// <summary>The memory-mapped path must return exactly what H5Dread returns (libhdf5 is the oracle).</summary>
[Collection("native-hdf5-engine")]
public class SampleReaderTests
{
    // The real records: every folder of tests/data but fuzz/, whose files are corrupt on purpose (one crashes libhdf5).
    private static readonly string[] RecordFolders = ["continuous", "asdf", "asdf_native"];

    public static TheoryData<string> RealFiles() => new(
        RecordFolders.SelectMany(d => Directory.EnumerateFiles(TestPaths.Data(d), "*.h5", SearchOption.AllDirectories))
            .Select(f => Path.GetRelativePath(TestPaths.Data(""), f)).Order(StringComparer.Ordinal));

    private static float[] Oracle(ChannelPiece p, long offset, int count)
    {
        using var f = H5File.OpenRead(p.File);
        using var ds = f.OpenDataset(p.Dataset);
        var result = new float[count];
        if (p.Row < 0) ds.ReadHyperslab<float>(result, [offset], [count]);
        else if (!p.SamplesAlongFirstAxis) ds.ReadHyperslab<float>(result, [p.Row, offset], [1, count]);
        else ds.ReadHyperslab<float>(result, [offset, p.Row], [count, 1]);
        return result;
    }

    private static int AssertMatchesOracle(Archive archive, int seed, long residentLimit = 256L << 20)
    {
        using var storage = new ArchiveStorage { ResidentLimitBytes = residentLimit };
        var reader = new SampleReader(storage);
        var rng = new Random(seed);
        foreach (var piece in archive.AllPieces)
        {
            var all = new float[piece.Samples];
            reader.Read(piece, 0, all);
            Assert.Equal(Oracle(piece, 0, (int)piece.Samples), all);
            for (var k = 0; k < 20; k++)
            {
                var offset = rng.NextInt64(0, piece.Samples);
                var count = (int)Math.Min(piece.Samples - offset, rng.Next(1, 70_000));
                var part = new float[count];
                reader.Read(piece, offset, part);
                Assert.Equal(all.AsSpan((int)offset, count).ToArray(), part);
            }
        }
        return storage.Releases;
    }

    [Fact]
    public void Reads_stay_exact_while_mapped_pages_are_released()
    {
        // 64 KiB between releases: pages are dropped (madvise) many times mid-read and fault back from the page cache.
        var archive = ArchiveScanner.Open(RecordFolders.Select(TestPaths.Data));
        Assert.True(AssertMatchesOracle(archive, 5, residentLimit: 64 << 10) > 10);
    }

    [Theory]
    [MemberData(nameof(RealFiles))]
    public void Every_real_record_reads_exactly_as_H5Dread(string relative)
    {
        var archive = ArchiveScanner.Open([TestPaths.Data(relative)]);
        Assert.NotEmpty(archive.AllPieces);
        AssertMatchesOracle(archive, relative.Length);
    }

    [Fact]
    public void Written_storage_variants_read_exactly_as_H5Dread()
    {
        using var dir = TestPaths.NewTempDir();
        var path = dir.File("variants.h5");
        const int n = 50_003; // not a multiple of any chunk length: partial last chunks
        var rng = new Random(7);
        var values = Enumerable.Range(0, n).Select(i => (float)(Math.Sin(i * 0.01) * 3e4 + rng.NextDouble() * 100)).ToArray();
        var start = 1_500_000_000L * 1_000_000_000L;
        void Attrs(H5Dataset ds)
        {
            ds.WriteAttribute("sampling_rate", 100.0);
            ds.WriteAttribute("starttime_ns", start);
        }
        using (var f = H5File.Create(path))
        {
            void Write<T>(string name, Func<float, T> conv, H5DatasetOptions? o = null) where T : unmanaged
            {
                using var ds = f.CreateDataset<T>(name, [n], o);
                ds.Write<T>(values.Select(conv).ToArray());
                Attrs(ds);
            }
            Write("XX.CONT..HHZ", v => v);
            Write("XX.CHUNK..HHZ", v => v, new H5DatasetOptions { ChunkDims = [4096] });
            Write("XX.GZIP..HHZ", v => v, new H5DatasetOptions { ChunkDims = [3000], DeflateLevel = 6 });
            Write("XX.SHUF..HHZ", v => v, new H5DatasetOptions { ChunkDims = [5000], DeflateLevel = 3, Shuffle = true, Fletcher32 = true, MaxDims = [-1] });
            Write("XX.BIGE..HHZ", v => v, new H5DatasetOptions { BigEndian = true });
            Write("XX.BIGZ..HHZ", v => (double)v, new H5DatasetOptions { BigEndian = true, ChunkDims = [2048], DeflateLevel = 1, Shuffle = true });
            Write("XX.INT4..HHZ", v => (int)v);
            Write("XX.INT2..HHZ", v => (short)(v / 2), new H5DatasetOptions { ChunkDims = [1000], Shuffle = true, DeflateLevel = 2 });
            Write("XX.INT8..HHZ", v => (long)v * 1000);
            Write("XX.F8..HHZ", v => v / 3.0);
            using var grid = f.CreateDataset<float>("das/channels_by_samples", [4, 1000]);
            grid.Write<float>(values.AsSpan(0, 4000));
            Attrs(grid);
        }
        var archive = ArchiveScanner.Open([path], new LayoutOptions { Layout = "generic" });
        Assert.Equal(10 + 4, archive.AllPieces.Count());
        AssertMatchesOracle(archive, 11);

        var samplesFirst = ArchiveScanner.Open([path], new LayoutOptions { Layout = "generic", Datasets = ["das/*"], SamplesFirst = true });
        Assert.Equal(1000, samplesFirst.AllPieces.Count());
        AssertMatchesOracle(samplesFirst, 12);
    }

    [Fact]
    public void Datasets_with_more_chunks_than_the_walk_limit_are_read_by_coordinate_exactly_as_H5Dread()
    {
        // Above ChunkIndex.WalkLimit chunks the index is not walked (HDF5 1.10.8 makes that quadratic): each chunk is
        // looked up and copied out by HDF5 (H5Dread_chunk), then decoded here. Unwritten chunks read as the fill value 0.
        using var dir = TestPaths.NewTempDir();
        var path = dir.File("many-chunks.h5");
        const int chunk = 16, n = (ChunkIndex.WalkLimit + 700) * chunk + 5;
        var rng = new Random(3);
        var values = Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2e4 - 1e4)).ToArray();
        using (var f = H5File.Create(path))
        {
            using (var ds = f.CreateDataset<float>("XX.MANY..HHZ", [n], new H5DatasetOptions
            {
                ChunkDims = [chunk],
                DeflateLevel = 4,
                Shuffle = true,
                Fletcher32 = true
            }))
            {
                ds.Write<float>(values);
                ds.WriteAttribute("sampling_rate", 100.0);
                ds.WriteAttribute("starttime_ns", 1_500_000_000L * 1_000_000_000L);
            }
            // Written only in its first 90 %: the rest of its chunks were never allocated.
            using var sparse = f.CreateDataset<short>("XX.HALF..HHZ", [n], new H5DatasetOptions { ChunkDims = [chunk], DeflateLevel = 1, MaxDims = [-1] });
            sparse.WriteHyperslab<short>(values.Take(n / 10 * 9).Select(v => (short)(v / 2)).ToArray(), [0], [n / 10 * 9]);
            sparse.WriteAttribute("sampling_rate", 100.0);
            sparse.WriteAttribute("starttime_ns", 1_500_000_000L * 1_000_000_000L);
        }
        var archive = ArchiveScanner.Open([path], new LayoutOptions { Layout = "generic" });
        using (var f = H5File.OpenRead(path))
        {
            foreach (var name in new[] { "XX.MANY..HHZ", "XX.HALF..HHZ" })
            {
                using var ds = f.OpenDataset(name);
                Assert.True(ds.ChunkCount > ChunkIndex.WalkLimit, $"{name}: {ds.ChunkCount} chunks");
            }
        }
        AssertMatchesOracle(archive, 13);
    }

    [Fact]
    public void A_channel_split_by_a_gap_is_two_pieces_of_one_channel()
    {
        using var dir = TestPaths.NewTempDir();
        var path = dir.File("gap.h5");
        const long s = 1_000_000_000;
        using (var f = H5File.Create(path))
        {
            f.WriteAttribute("file_format", "ASDF");
            f.WriteAttribute("file_format_version", "1.0.3");
            foreach (var (name, start, len) in new[] { ("XX.GAP.00.BHZ__A__B__raw_recording", 0L, 3000), ("XX.GAP.00.BHZ__C__D__raw_recording", 100L, 2000) })
            {
                using var ds = f.CreateDataset<float>($"Waveforms/XX.GAP/{name}", [len], new H5DatasetOptions
                {
                    ChunkDims = [512],
                    DeflateLevel = 3,
                    Shuffle = true,
                    Fletcher32 = true
                });
                ds.Write<float>(Enumerable.Range(0, len).Select(i => (float)i).ToArray());
                ds.WriteAttribute("starttime", 1_600_000_000 * s + start * s);
                ds.WriteAttribute("sampling_rate", 50.0);
            }
        }
        var archive = ArchiveScanner.Open([path]);
        Assert.Equal("asdf", archive.Layout);
        var station = Assert.Single(archive.Units);
        Assert.Equal("XX.GAP.00.BH?", station.UnitId);
        Assert.Equal(2, station.Pieces[0].Count);
        var gap = Assert.Single(archive.Discontinuities());
        Assert.Equal(40 * s, gap.DurationNs); // 3000 samples = 60 s, next piece at 100 s
        AssertMatchesOracle(archive, 3);
    }

    [Fact]
    public void A_corrupted_chunk_is_reported_with_file_and_dataset()
    {
        using var dir = TestPaths.NewTempDir();
        var path = dir.File("corrupt.h5");
        File.Copy(TestPaths.Data("asdf_native/noisepy_CI.BAK_2019-02-01_1h_20Hz_BHN.asdf.h5"), path);
        var archive = ArchiveScanner.Open([path]);
        var piece = archive.AllPieces.Single();
        using (var storage = new ArchiveStorage())
        {
            // Flip one byte in the middle of the first chunk's stored bytes.
            var layout = storage.Layout(piece);
            var address = layout.Chunks[0]!.Value.Address + layout.Chunks[0]!.Value.Size / 2;
            storage.Dispose();
            using var fs = File.OpenWrite(path);
            fs.Position = address;
            fs.WriteByte(0x5A);
        }
        using var fresh = new ArchiveStorage();
        var e = Assert.Throws<SeiscatException>(() => new SampleReader(fresh).Read(piece, 0, new float[100]));
        Assert.Contains("corrupt.h5", e.Message);
        Assert.Contains(piece.Dataset, e.Message);
    }
}
