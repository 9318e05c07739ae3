using Seiscat.Engine.Io;
using Seiscat.Native.Hdf5;
using Seiscat.Tests.Shared;

namespace Seiscat.Engine.Tests.Io;

/// <summary>Feature rows decoded from the memory map (RowChunkReader) against H5Dread, the reference.</summary>
[Collection("native-hdf5-engine")]
public class FeatureSourceTests
{
    public static TheoryData<string> Layouts() => new("gzip+shuffle", "gzip", "fletcher32+gzip+shuffle", "none", "contiguous", "big-endian");

    [Fact]
    public void A_truncated_matrix_is_refused_in_one_line()
    {
        using var dir = TestPaths.NewTempDir();
        var path = dir.File("m.h5");
        using (var f = H5File.Create(path))
            f.WriteDataset<float>("m", new float[256 * 4], [256, 4], new H5DatasetOptions { ChunkDims = [64, 4], DeflateLevel = 4 });
        // Truncated: whether libhdf5 or the chunk index notices first, one line naming the file.
        using (var s = File.Open(path, FileMode.Open)) s.SetLength(s.Length - 8);
        var e = Assert.ThrowsAny<Exception>(() =>
        {
            using var source = FeatureSource.Open(path + ":/m");
            source.ReadRows(0, 256, new double[256 * 4]);
        });
        Assert.IsType<SeiscatException>(e);
        Assert.Contains(path, e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Theory]
    [InlineData("mmap")]
    [InlineData("hdf5")]
    public void A_corrupt_chunk_is_refused_in_one_line_by_either_reader(string mode)
    {
        using var dir = TestPaths.NewTempDir();
        var path = dir.File("m.h5");
        var x = Enumerable.Range(0, 256 * 8).Select(i => (float)Math.Sin(i)).ToArray();
        long at, size;
        using (var f = H5File.Create(path))
        {
            f.WriteDataset<float>("m", x, [256, 8], new H5DatasetOptions { ChunkDims = [64, 8], DeflateLevel = 4, Shuffle = true });
            using var ds = f.OpenDataset("m");
            var c = ds.GetChunkInfo(2);
            (at, size) = (c.Address, c.Size);
        }
        using (var s = File.Open(path, FileMode.Open))
        {
            var bytes = new byte[size / 2];
            s.Position = at + size / 4;
            s.ReadExactly(bytes);
            for (var i = 0; i < bytes.Length; i++) bytes[i] ^= 0x5a;
            s.Position = at + size / 4;
            s.Write(bytes);
        }
        Environment.SetEnvironmentVariable("SEISCAT_FEATURE_READS", mode);
        try
        {
            using var source = FeatureSource.Open(path + ":/m");
            var e = Assert.Throws<SeiscatException>(() => source.ReadRows(0, 256, new double[256 * 8]));
            Assert.Contains(path, e.Message);
            Assert.Contains("recompute", e.Message);
        }
        finally { Environment.SetEnvironmentVariable("SEISCAT_FEATURE_READS", null); }
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Rows_equal_what_H5Dread_gives_for_any_range_and_thread(string layout)
    {
        using var dir = TestPaths.NewTempDir();
        var path = dir.File("m.h5");
        const int rows = 1000, d = 37; // 1000 rows in chunks of 64: the last chunk is partial
        var rng = new Random(7);
        var x = Enumerable.Range(0, rows * d).Select(i => (float)(rng.NextDouble() * Math.Pow(10, i % 9 - 4))).ToArray();
        x[5] = float.NaN;
        x[6] = float.PositiveInfinity;
        var options = layout switch
        {
            "contiguous" => null,
            _ => new H5DatasetOptions
            {
                ChunkDims = [64, d],
                Shuffle = layout.Contains("shuffle"),
                DeflateLevel = layout.Contains("gzip") ? 4 : 0,
                Fletcher32 = layout.Contains("fletcher32"),
                BigEndian = layout == "big-endian",
            },
        };
        using (var f = H5File.Create(path)) f.WriteDataset<float>("m", x, [rows, d], options);
        double[] Read(string mode, IEnumerable<(long First, int Count)> ranges, bool parallel)
        {
            Environment.SetEnvironmentVariable("SEISCAT_FEATURE_READS", mode);
            try
            {
                using var source = FeatureSource.Open(path + ":/m");
                // Chunks of whole little-endian float32 rows with filters seiscat decodes come from the map.
                Assert.Equal(mode == "mmap" && layout is not ("contiguous" or "big-endian"), source.DecodesFromMap);
                var result = new double[rows * d];
                var list = ranges.ToList();
                void One((long First, int Count) r) => source.ReadRows(r.First, r.Count, result.AsSpan((int)r.First * d, r.Count * d));
                if (parallel) Parallel.ForEach(list, new ParallelOptions { MaxDegreeOfParallelism = 4 }, One);
                else list.ForEach(One);
                return result;
            }
            finally { Environment.SetEnvironmentVariable("SEISCAT_FEATURE_READS", null); }
        }
        // Ranges that start and end inside chunks, span several, and end on the partial last chunk.
        var ranges = new List<(long, int)>();
        for (long first = 0; first < rows;)
        {
            var count = (int)Math.Min(rows - first, 1 + (first * 37 % 150));
            ranges.Add((first, count));
            first += count;
        }
        var reference = Read("hdf5", ranges, parallel: false);
        Assert.Equal(x.Select(v => (double)v), reference); // H5Dread: float32 widened exactly
        Assert.Equal(reference, Read("mmap", ranges, parallel: false));
        Assert.Equal(reference, Read("mmap", ranges, parallel: true));
        Assert.Equal(reference, Read("mmap", [(0, rows)], parallel: false));
    }
}
