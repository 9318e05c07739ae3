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
        Assert.Equal(512, archive.Stations.Count);
        Assert.All(archive.Stations, s => Assert.Single(s.ChannelIds));
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
    public void Gdr_reads_its_time_array_and_rate_and_ignores_the_stale_count()
    {
        var archive = ArchiveScanner.Open([TestPaths.Data("das/gdr_1.h5")]);
        Assert.Equal("gdr", archive.Layout);
        Assert.Equal(10, archive.Stations.Count);
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
        Assert.Equal(loci, archive.Stations.Count);
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
    [InlineData("valencia_febus_example.h5", "Febus A1")]
    [InlineData("deformation_rate_event_1.hdf5", "DASCore")]
    [InlineData("h5_simple_1.h5", "sampling_rate")]
    [InlineData("xdas_netcdf.nc", "sampling_rate")]
    public void Every_other_das_file_gets_one_line_naming_what_it_is(string name, string expected)
    {
        var e = Assert.Throws<SeiscatException>(() => ArchiveScanner.Open([TestPaths.Data("das/" + name)]));
        Assert.Contains(name, e.Message);
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
