using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Storage;
using Seiscat.Engine.Pipeline;
using Seiscat.Engine.Synthetic;
using Seiscat.Engine.Tests.Io;
using Seiscat.Engine.Tests.Pipeline;
using Seiscat.Engine.Windows;
using Seiscat.Native.Hdf5;
using Seiscat.Tests.Shared;

namespace Seiscat.Engine.Tests.Das;

/// <summary>
/// DAS reading at speed (issue 15): windows are numbered time-major so the channels at one time are cut together, as
/// one block of rows transposed into per-channel windows. The blocks equal the windows cut one channel at a time, on
/// contiguous and on compressed chunked storage, and a compressed chunk is inflated once for all threads and channels.
/// </summary>
[Collection("native-hdf5-engine")]
public class DasBlockReadingTests
{
    private static Archive Synth(TestPaths.TempDir dir, bool compressed, int channels = 40)
    {
        SyntheticDas.Generate(dir.Path,
            new DasSynthOptions { Channels = channels, Rate = 100, Minutes = 2, FileSeconds = 50, Compressed = compressed, Seed = 3 });
        return ArchiveScanner.Open([dir.Path]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Windows_cut_together_equal_windows_cut_one_channel_at_a_time(bool compressed)
    {
        using var dir = TestPaths.NewTempDir();
        var archive = Synth(dir, compressed);
        Assert.Equal(WindowOrder.TimeMajor, WindowSettlement.OrderFor(archive.Units));
        // 7 s windows every 3 s: windows straddle the joints between the 50 s files (two pieces: the column-by-column path).
        var plan = new WindowPlan(archive.Units, 700, 3_000_000_000L, GapPolicy.Skip, WindowOrder.TimeMajor);
        using var storage = new ArchiveStorage();
        var together = new WindowCutter(plan, storage);
        var alone = new WindowCutter(plan, storage);
        var stations = new int[archive.Units.Count];
        var block = new float[stations.Length * 700];
        var missing = new int[stations.Length];
        var one = new float[700];
        var straddling = 0;
        for (long w = 0; w < plan.Count; w += stations.Length)
        {
            var (_, start) = plan.Locate(w);
            for (var k = 0; k < stations.Length; k++)
            {
                var (s, t) = plan.Locate(w + k);
                Assert.Equal(start, t); // time-major: every channel at one start, in channel order
                stations[k] = s;
            }
            together.CutMany(stations, start, block, 700, missing);
            for (var k = 0; k < stations.Length; k++)
            {
                Assert.Equal(alone.Cut(stations[k], 0, start, one), missing[k]);
                Assert.Equal(one, block.AsSpan(k * 700, 700).ToArray());
            }
            if ((start / 1_000_000_000L + 7) % 50 < 7) straddling++;
        }
        Assert.True(straddling > 0);
        // The storage of each file's matrix was described once for its 40 columns (not once per column).
        Assert.Equal(archive.Files.Count, storage.Described);
        if (compressed)
        {
            // Each one-second chunk inflated at most once into the shared cache, for all 40 channels (windows across a file
            // joint are cut one channel at a time through the per-thread cache; the last two seconds are in no window).
            var chunks = archive.Units[0].Pieces[0].Sum(p => (p.Samples + 99) / 100);
            Assert.InRange(storage.SharedChunksDecoded, chunks / 2, chunks);
        }
    }

    [Fact]
    public void Windows_across_file_joints_and_into_a_gap_are_cut_together_as_they_are_one_by_one()
    {
        using var dir = TestPaths.NewTempDir();
        const long t0 = 1_700_000_000_000_000; // µs
        // 0–10 s, 10–20 s, then a 5 s gap and 25–30 s; 6 loci from −2.
        DasJoiningTests.WriteProdml(dir.File("p1.h5"), t0, 1000, 6, -2, 100, (t, k) => (short)(t + 10 * k));
        DasJoiningTests.WriteProdml(dir.File("p2.h5"), t0 + 10_000_000, 1000, 6, -2, 100, (t, k) => (short)(1000 + t + 10 * k));
        DasJoiningTests.WriteProdml(dir.File("p3.h5"), t0 + 25_000_000, 500, 6, -2, 100, (t, k) => (short)(-t - k));
        var archive = ArchiveScanner.Open([dir.Path]);
        var plan = new WindowPlan(archive.Units, 300, 1_000_000_000L, GapPolicy.ZeroFill, WindowOrder.TimeMajor);
        using var storage = new ArchiveStorage();
        var together = new WindowCutter(plan, storage);
        var alone = new WindowCutter(plan, storage);
        var n = archive.Units.Count;
        var stations = new int[n];
        var block = new float[n * 300];
        var missing = new int[n];
        var one = new float[300];
        var gapped = 0;
        for (long w = 0; w < plan.Count; w += n)
        {
            var (_, start) = plan.Locate(w);
            for (var k = 0; k < n; k++) stations[k] = plan.Locate(w + k).Station;
            together.CutMany(stations, start, block, 300, missing);
            for (var k = 0; k < n; k++)
            {
                Assert.Equal(alone.Cut(stations[k], 0, start, one), missing[k]);
                Assert.Equal(one, block.AsSpan(k * 300, 300).ToArray());
            }
            if (missing[0] > 0) gapped++;
        }
        Assert.True(gapped > 0); // windows reaching into the gap (and past the ends) were cut together too
    }

    [Fact]
    public void A_time_major_plan_holds_the_same_windows_as_a_station_major_one_when_channels_cover_different_spans()
    {
        using var dir = TestPaths.NewTempDir();
        const long t0 = 1_700_000_000_000_000; // µs
        // Loci 0–5 for 20 s, then loci 3–8 for 20 s: loci 0–2 and 6–8 each have half the windows.
        DasJoiningTests.WriteProdml(dir.File("a.h5"), t0, 2000, 6, 0, 100, (t, k) => (short)(t + k));
        DasJoiningTests.WriteProdml(dir.File("b.h5"), t0 + 20_000_000, 2000, 6, 3, 100, (t, k) => (short)(t - k));
        var archive = ArchiveScanner.Open([dir.Path]);
        var stationMajor = new WindowPlan(archive.Units, 300, 1_000_000_000L, GapPolicy.Skip);
        var timeMajor = new WindowPlan(archive.Units, 300, 1_000_000_000L, GapPolicy.Skip, WindowOrder.TimeMajor);
        Assert.Equal(stationMajor.Count, timeMajor.Count);
        var a = Enumerable.Range(0, (int)stationMajor.Count).Select(i => stationMajor.Locate(i)).ToList();
        var b = Enumerable.Range(0, (int)timeMajor.Count).Select(i => timeMajor.Locate(i)).ToList();
        Assert.Equal(a.OrderBy(x => x.StartNs).ThenBy(x => x.Station), b);
        Assert.Equal(a.Distinct().Count(), a.Count);
        Assert.Throws<InvalidOperationException>(() => timeMajor.RangeOf(0));
    }

    [Fact]
    public void Das_features_are_the_same_bytes_on_one_and_three_threads_and_rows_run_time_major()
    {
        using var dir = TestPaths.NewTempDir();
        var archive = Synth(dir, compressed: true, channels: 24);
        var request = new FeaturesRequest { Paths = [dir.Path], WindowSeconds = 10, Effort = Native.Fftw.FftwEffort.Estimate };
        var one = FeaturesRuns.Rows(request with { Threads = 1 }, dir.File("one.h5"));
        var three = FeaturesRuns.Rows(request with { Threads = 3 }, dir.File("three.h5"));
        Assert.Equal(one, three);
        using var f = H5File.OpenRead(dir.File("one.h5"));
        var starts = f.OpenDataset("window_start_ns").ReadAll<long>();
        var stations = f.OpenDataset("station_index").ReadAll<int>();
        Assert.Equal(Enumerable.Range(0, 24), stations.Take(24));
        Assert.All(starts.Take(24), s => Assert.Equal(starts[0], s));
        Assert.True(starts.Zip(starts.Skip(1)).All(p => p.First <= p.Second));
        Assert.Equal(24 * (120 / 5 - 1), starts.Length);
    }
}
