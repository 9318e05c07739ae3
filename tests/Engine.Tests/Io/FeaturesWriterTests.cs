using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Writers;
using Seiscat.Native.Hdf5;
using Seiscat.Tests.Shared;

namespace Seiscat.Engine.Tests.Io;

[Collection("native-hdf5-engine")]
public class FeaturesWriterTests
{
    /// <summary>Columns of a small features file: two first-order, the rest second-order.</summary>
    internal static FeatureColumns Columns(int n) => new(
        Enumerable.Range(0, n).Select(i => i < 2 ? 1 : 2).ToArray(), new int[n], Enumerable.Range(0, n).ToArray(),
        Enumerable.Range(0, n).Select(i => i < 2 ? -1 : 0).ToArray(), Enumerable.Repeat(1.5, n).ToArray(),
        Enumerable.Range(0, n).Select(i => i < 2 ? double.NaN : 0.5).ToArray(), Enumerable.Repeat(-1, n).ToArray());

    [Fact]
    public void Appended_batches_read_back_in_order_with_metadata()
    {
        using var dir = TestPaths.NewTempDir();
        var path = dir.File("features.h5");
        const int d = 5;
        var rng = new Random(3);
        var all = new List<float>();
        using (var w = new FeaturesWriter(path, Columns(d), ["XX.STA1", "XX.STA2"], "{\"bins\": 2000}", 40_000_000_000, 20_000_000_000))
        {
            long t = 0;
            foreach (var batch in new[] { 3, FeaturesWriter.RowsPerChunk + 7, 1 })
            {
                var rows = Enumerable.Range(0, batch * d).Select(_ => (float)rng.NextDouble()).ToArray();
                all.AddRange(rows);
                var start = Enumerable.Range(0, batch).Select(i => t + i * 20_000_000_000L).ToArray();
                t += batch * 20_000_000_000L;
                w.Append(rows, start, Enumerable.Repeat(1, batch).ToArray(), new float[batch]);
                Assert.False(File.Exists(path));
            }
            w.Complete();
        }
        Assert.True(File.Exists(path));
        using var f = H5File.OpenRead(path);
        using var features = f.OpenDataset("features");
        Assert.Equal([3L + FeaturesWriter.RowsPerChunk + 7 + 1, d], features.Dims);
        Assert.Equal(all.ToArray(), features.ReadAll<float>());
        Assert.Equal(H5Layout.Chunked, features.Layout);
        Assert.Equal(["XX.STA1", "XX.STA2"], f.OpenDataset("stations").ReadStrings());
        Assert.Equal(1L, f.ReadInt64Attribute("complete"));
        Assert.Equal(features.Dims[0], f.ReadInt64Attribute("n_windows"));
        var starts = f.OpenDataset("window_start_ns").ReadAll<long>();
        Assert.Equal(starts.Order(), starts);
        Assert.Equal([-1, -1, 0, 0, 0], f.OpenDataset("coefficients/j2").ReadAll<int>());
    }

    [Fact]
    public void Disposed_without_complete_leaves_no_file()
    {
        using var dir = TestPaths.NewTempDir();
        var path = dir.File("features.h5");
        using (var w = new FeaturesWriter(path, Columns(2), ["A"], "{}", 1, 1))
            w.Append([1f, 2f], [0L], [0], [0f]);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}
