using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Storage;
using Seiscat.Native.Hdf5;
using Seiscat.Tests.Shared;

namespace Seiscat.Engine.Tests.Io;

/// <summary>DAS layouts (issue 15, first step): PRODML and GDR read as one unit per locus, sample for sample what
/// libhdf5's own hyperslab read gives; every other instrument family of tests/data/das gets one line naming it.</summary>
[Collection("native-hdf5-engine")]
public class DasLayoutsTests
{
    private static float[] Column(string file, string dataset, int column, bool timeFirst)
    {
        using var f = H5File.OpenRead(file);
        using var ds = f.OpenDataset(dataset);
        var n = (int)(timeFirst ? ds.Dims[0] : ds.Dims[1]);
        var x = new float[n];
        if (timeFirst) ds.ReadHyperslab<float>(x, [0, column], [n, 1]);
        else ds.ReadHyperslab<float>(x, [column, 0], [1, n]);
        return x;
    }

    private static void SamplesEqualHdf5(Archive archive, string dataset, int[] loci)
    {
        using var storage = new ArchiveStorage();
        var reader = new SampleReader(storage);
        foreach (var k in loci)
        {
            var piece = archive.AllPieces.Single(p => p.Row == k);
            var x = new float[piece.Samples];
            reader.Read(piece, 0, x);
            Assert.Equal(Column(piece.File, dataset, k, timeFirst: true), x);
        }
    }

    [Fact]
    public void Prodml_reads_one_unit_per_locus_numbered_from_the_start_locus_with_rate_and_start_from_the_file()
    {
        var file = TestPaths.Data("das/prodml_2.0.h5");
        var archive = ArchiveScanner.Open([file]);
        Assert.Equal("prodml", archive.Layout);
        Assert.Equal(512, archive.Units.Count);
        Assert.All(archive.Units, s => Assert.Single(s.ChannelIds));
        var first = archive.AllPieces.Single(p => p.Row == 0);
        Assert.Equal("DAS.m00260", first.ChannelId);                        // StartLocusIndex −260
        Assert.Contains(archive.AllPieces, p => p.ChannelId == "DAS.00251"); // the last of 512
        Assert.All(archive.AllPieces, p =>
        {
            Assert.Equal(200, p.Rate);
            Assert.Equal(2500, p.Samples);
            Assert.Equal(0, p.StartNs); // this file's times were zeroed (1970-01-01)
            Assert.True(p.SamplesAlongFirstAxis);
        });
        SamplesEqualHdf5(archive, "/Acquisition/Raw[0]/RawData", [0, 7, 260, 511]);
    }

    [Fact]
    public void Loci_are_selected_by_python_slice_ranges_and_an_empty_range_is_refused()
    {
        var file = TestPaths.Data("das/prodml_2.0.h5");
        var some = ArchiveScanner.Open([file], new Seiscat.Engine.Io.Layouts.LayoutOptions { Channels = ["100:200:10", "-262:-258"] });
        Assert.Equal(["DAS.00100", "DAS.00110", "DAS.00120", "DAS.00130", "DAS.00140", "DAS.00150", "DAS.00160", "DAS.00170", "DAS.00180",
            "DAS.00190", "DAS.m00259", "DAS.m00260"], some.Units.Select(s => s.UnitId).Order(StringComparer.Ordinal));
        Assert.Equal(-260, ArchiveSelection.DasLocus("DAS.m00260"));
        Assert.Null(ArchiveSelection.DasLocus("BK.HELL.00.BHZ"));
        var e = Assert.Throws<SeiscatException>(() => ArchiveScanner.Open([file], new Seiscat.Engine.Io.Layouts.LayoutOptions { Channels = ["300:200"] }));
        Assert.Contains("empty range", e.Message);
        e = Assert.Throws<SeiscatException>(() => ArchiveScanner.Open([file], new Seiscat.Engine.Io.Layouts.LayoutOptions { Channels = ["600:700"] }));
        Assert.Contains("matches no channel", e.Message);
    }

    [Fact]
    public void Gdr_reads_its_time_array_and_rate_and_ignores_the_stale_count()
    {
        var archive = ArchiveScanner.Open([TestPaths.Data("das/gdr_1.h5")]);
        Assert.Equal("gdr", archive.Layout);
        Assert.Equal(10, archive.Units.Count);
        Assert.All(archive.AllPieces, p =>
        {
            Assert.Equal(1000, p.Rate);
            Assert.Equal(10_000, p.Samples);
            Assert.InRange(p.StartNs - TimeFormat.ParseInstant("2016-03-08T17:40:30.195Z", "t"), -1_000_000L, 1_000_000L); // within 1 ms
        });
        SamplesEqualHdf5(archive, "/DasRawData/RawData", [0, 9]);
    }

    [Theory]
    [InlineData("terra15_v5_test_file.hdf5", "/data_product/data", 43, 2060, 3215.8476974530486, "2022-08-23T23:09:54.373804Z")]
    [InlineData("decimated_optodas.hdf5", "/data", 51, 5000, 500.0, "2023-10-27T14:23:37.020000Z")]
    [InlineData("silixa_h5_1.hdf5", "/Acoustic", 3840, 100, 500.0, "2023-09-22T18:29:26.158Z")] // ISO 19:29:26.158+01:00 = its GPS time
    [InlineData("ap_sensing_1.hdf5", "/DAS", 4082, 150, 500.0, "2023-09-24T12:46:31.739618Z")]
    public void Single_matrix_families_read_with_their_own_rate_and_start(string name, string dataset, int loci, int samples, double rate, string start)
    {
        var archive = ArchiveScanner.Open([TestPaths.Data("das/" + name)]);
        Assert.Equal("das", archive.Layout);
        Assert.Equal(loci, archive.Units.Count);
        Assert.All(archive.AllPieces, p =>
        {
            Assert.Equal(rate, p.Rate, 1e-9 * rate);
            Assert.Equal(samples, p.Samples);
            Assert.InRange(p.StartNs - TimeFormat.ParseInstant(start, "t"), -1000L, 1000L);
        });
        SamplesEqualHdf5(archive, dataset, [0, loci / 2, loci - 1]);
    }

    [Theory]
    [InlineData("prodml_fbe_1.h5", "only processed data: Fbe[0]")]
    [InlineData("febus_2.h5", "not a time series")]
    public void Every_other_das_file_gets_one_line_naming_what_it_is(string name, string expected)
    {
        var e = Assert.Throws<SeiscatException>(() => ArchiveScanner.Open([TestPaths.Data("das/" + name)]));
        Assert.Contains(name, e.Message);
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}

/// <summary>Consecutive PRODML files of one acquisition join into continuous channels; a gap between parts is reported.</summary>
[Collection("native-hdf5-engine")]
public class DasJoiningTests
{
    // A PRODML 2.x part: time × locus int16, RawDataTime in µs, loci from startLocus.
    internal static void WriteProdml(string path, long startUs, int samples, int loci, int startLocus, double rate, Func<int, int, short> value,
        bool locusMajor = false)
    {
        using var f = H5File.Create(path);
        using var acquisition = f.CreateGroup("Acquisition");
        acquisition.WriteAttribute("NumberOfLoci", (long)loci);
        acquisition.WriteAttribute("StartLocusIndex", (long)startLocus);
        acquisition.WriteAttribute("schemaVersion", "2.0");
        using var raw = acquisition.CreateGroup("Raw[0]");
        raw.WriteAttribute("OutputDataRate", rate);
        raw.WriteAttribute("NumberOfLoci", (long)loci);
        raw.WriteAttribute("StartLocusIndex", (long)startLocus);
        var data = new short[samples * loci];
        for (var t = 0; t < samples; t++)
            for (var k = 0; k < loci; k++) data[locusMajor ? k * samples + t : t * loci + k] = value(t, k);
        raw.WriteDataset<short>("RawData", data, locusMajor ? [loci, samples] : [samples, loci]);
        if (locusMajor)
        {
            // A square matrix: only the Dimensions attribute can say which axis is time.
            using var ds = raw.OpenDataset("RawData");
            ds.WriteAttribute("Dimensions", "locus, time");
        }
        raw.WriteDataset<long>("RawDataTime", Enumerable.Range(0, samples).Select(t => startUs + (long)Math.Round(t * 1e6 / rate)).ToArray(), [samples]);
    }

    [Fact]
    public void Consecutive_parts_join_per_locus_and_a_gap_between_parts_is_reported()
    {
        using var dir = TestPaths.NewTempDir();
        const double rate = 100;
        const long t0 = 1_700_000_000_000_000; // µs
        // Part 1: 0–10 s; part 2 follows without a gap (10–20 s); part 3 starts 5 s after part 2 ends.
        WriteProdml(dir.File("p1.h5"), t0, 1000, 6, -2, rate, (t, k) => (short)(t + 10 * k));
        WriteProdml(dir.File("p2.h5"), t0 + 10_000_000, 1000, 6, -2, rate, (t, k) => (short)(1000 + t + 10 * k));
        WriteProdml(dir.File("p3.h5"), t0 + 25_000_000, 500, 6, -2, rate, (t, k) => (short)(-t));
        var archive = ArchiveScanner.Open([dir.Path]);
        Assert.Equal(6, archive.Units.Count);
        Assert.Equal(["DAS.00000", "DAS.00001", "DAS.00002", "DAS.00003", "DAS.m00001", "DAS.m00002"],
            archive.Units.Select(s => s.UnitId).Order(StringComparer.Ordinal));
        Assert.All(archive.Units, s => Assert.Equal(3, s.Pieces[0].Count));
        var gaps = archive.Discontinuities().ToList();
        Assert.Equal(6, gaps.Count); // one per locus, between parts 2 and 3
        Assert.All(gaps, g => Assert.Equal(5_000_000_000, g.DurationNs));
        // Across the joint the samples run on: part 1's last then part 2's first.
        var station = archive.Units.Single(s => s.UnitId == "DAS.00001"); // locus 1 = column 3
        var plan = new Seiscat.Engine.Windows.WindowPlan([station], 4, 1, Seiscat.Engine.Windows.GapPolicy.ZeroFill);
        using var storage = new ArchiveStorage();
        var cutter = new Seiscat.Engine.Windows.WindowCutter(plan, storage);
        var x = new float[4];
        Assert.Equal(0, cutter.Cut(0, 0, (t0 + 9_980_000) * 1000, x));
        Assert.Equal([998f + 30, 999f + 30, 1000f + 30, 1001f + 30], x);
    }
}
