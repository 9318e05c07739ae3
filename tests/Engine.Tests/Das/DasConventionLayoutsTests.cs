using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Storage;
using Seiscat.Native.Hdf5;
using Seiscat.Tests.Shared;

namespace Seiscat.Engine.Tests.Das;

/// <summary>
/// The DAS layouts without an instrument of their own: miniDAS and DAS-HDF5 (files written here from their published
/// descriptions), and the "simple" matrix + time-vector files of tests/data/das (one written by PyTables with UTF-8
/// fixed-string attributes, which libhdf5 refuses to read into an ASCII buffer). Each locus reads sample for sample as
/// H5Dread gives it, in either matrix order, with the rate from the file's time vector.
/// </summary>
[Collection("native-hdf5-engine")]
public class DasConventionLayoutsTests
{
    private static void SamplesEqualHdf5(Archive archive, string dataset, bool timeFirst)
    {
        using var storage = new ArchiveStorage();
        var reader = new SampleReader(storage);
        foreach (var p in archive.AllPieces.Where((_, i) => i % 7 == 0))
        {
            var x = new float[p.Samples];
            reader.Read(p, 0, x);
            using var f = H5File.OpenRead(p.File);
            using var ds = f.OpenDataset(dataset);
            var expected = new float[p.Samples];
            if (timeFirst) ds.ReadHyperslab<float>(expected, [0, p.Row], [p.Samples, 1]);
            else ds.ReadHyperslab<float>(expected, [p.Row, 0], [1, p.Samples]);
            Assert.Equal(expected, x);
        }
    }

    [Theory]
    [InlineData("h5_simple_1.h5", "/raw", true, 100, 200)]   // /raw time × channel, /timestamp
    [InlineData("h5_simple_2.h5", "/data", false, 100, 200)] // PyTables: /data channel × time, /time, /distance
    public void Simple_files_read_in_either_order_with_the_rate_from_their_time_vector(string name, string dataset, bool timeFirst, int loci, int samples)
    {
        var file = TestPaths.Data("das/" + name);
        var archive = ArchiveScanner.Open([file]);
        Assert.Equal("das-simple", archive.Layout);
        Assert.Equal(loci, archive.Units.Count);
        var p = archive.AllPieces.First();
        Assert.Equal(samples, p.Samples);
        Assert.Equal(timeFirst, p.SamplesAlongFirstAxis);
        Assert.InRange(p.Rate, 240, 260); // 4 ms steps in both files
        SamplesEqualHdf5(archive, dataset, timeFirst);
    }

    [Fact]
    public void Xdas_netcdf_reads_with_time_and_distance_from_its_tie_points_and_a_record_with_gaps_is_refused()
    {
        var file = TestPaths.Data("das/xdas_netcdf.nc");
        var archive = ArchiveScanner.Open([file]);
        Assert.Equal("xdas", archive.Layout);
        Assert.Equal(401, archive.Units.Count);
        var p = archive.AllPieces.Single(x => x.ChannelId == "DAS.00004");
        Assert.Equal(50, p.Rate, 1e-9);                                        // 5980 ms over 299 steps
        Assert.Equal(TimeFormat.ParseInstant("2023-01-01T00:00:00Z", "t"), p.StartNs);
        Assert.Equal(100, p.Fibre!.DistanceM);                                  // 10 000 m over 400 steps
        SamplesEqualHdf5(archive, "/__values__", timeFirst: true);

        using var dir = TestPaths.NewTempDir();
        var gapped = dir.File("gapped.h5");
        using (var f = H5File.Create(gapped))
        {
            f.WriteDataset<float>("__values__", new float[100 * 3], [100, 3]);
            f.WriteDataset<long>("time_indices", [0, 49, 50, 99], [4]);
            f.WriteDataset<long>("time_values", [0, 490, 10_000, 10_490], [4]);
            using var v = f.OpenDataset("time_values");
            v.WriteAttribute("units", "milliseconds since 2023-01-01 00:00:00");
        }
        var e = Assert.Throws<SeiscatException>(() => ArchiveScanner.Open([gapped]));
        Assert.Contains("several stretches with gaps", e.Message);
    }

    [Theory]
    [InlineData("deformation_rate_event_1.hdf5", true, 225, 420L, 5.717)]  // time × distance, distances from 2403.6 m
    [InlineData("dispersion_event.h5", false, 101, 0L, 1.0)]             // distance × time
    public void Dascore_dasdae_patches_read_in_their_axis_order_with_loci_from_their_distances(string name, bool timeFirst, int channels,
        long firstLocus, double spacing)
    {
        var file = TestPaths.Data("das/" + name);
        var archive = ArchiveScanner.Open([file]);
        Assert.Equal("dasdae", archive.Layout);
        Assert.Equal(channels, archive.Units.Count);
        var first = archive.AllPieces.MinBy(p => p.Row)!;
        Assert.Equal(firstLocus, first.Fibre!.Locus);
        Assert.Equal(spacing, first.Fibre.SpacingM!.Value, 1e-3);
        Assert.InRange(first.Rate, 1999, 2001);
        using var f = H5File.OpenRead(file);
        var group = f.OpenGroup("waveforms").ChildNames().Single();
        Assert.Equal(f.ReadDataset<long>($"waveforms/{group}/_coord_time")[0], first.StartNs);
        SamplesEqualHdf5(archive, $"/waveforms/{group}/data", timeFirst);
    }

    [Fact]
    public void MiniDas_reads_traces_as_samples_by_channels_with_start_rate_and_gauge_from_the_root()
    {
        using var dir = TestPaths.NewTempDir();
        var path = dir.File("proj_2024-01-01_00.00.00.000.miniDAS");
        using (var f = H5File.Create(path))
        {
            f.WriteAttribute("format", "miniDAS");
            f.WriteAttribute("version", "1.0");
            f.WriteAttribute("data_units", "m/(m*s)");
            f.WriteAttribute<ulong>("start_time", [1_704_067_200_000_000_000UL]);
            f.WriteAttribute("sampling_rate", 500.0);
            f.WriteAttribute("gauge_length", 8.0);
            var data = new float[1000 * 30];
            for (var i = 0; i < data.Length; i++) data[i] = i % 997 - 400;
            f.WriteDataset<float>("traces", data, [1000, 30]);
        }
        var archive = ArchiveScanner.Open([path]);
        Assert.Equal("minidas", archive.Layout);
        Assert.Equal(30, archive.Units.Count);
        Assert.All(archive.AllPieces, p =>
        {
            Assert.Equal(500, p.Rate);
            Assert.Equal(1_704_067_200_000_000_000L, p.StartNs);
            Assert.Equal(8.0, p.Fibre!.GaugeLengthM);
        });
        SamplesEqualHdf5(archive, "/traces", timeFirst: true);
    }

    [Fact]
    public void Das_hdf5_reads_channel_by_time_with_cf_times_and_distances_from_x()
    {
        using var dir = TestPaths.NewTempDir();
        var path = dir.File("das_cf.h5");
        using (var f = H5File.Create(path))
        {
            f.WriteAttribute("Conventions", "CF-1.7, DAS-HDF5-1.0");
            var data = new short[20 * 600];
            for (var i = 0; i < data.Length; i++) data[i] = (short)(i * 7 % 2001 - 1000);
            f.WriteDataset<short>("das", data, [20, 600]);
            f.WriteDataset<double>("t", Enumerable.Range(0, 600).Select(i => 10 + i * 0.005).ToArray(), [600]);
            using (var t = f.OpenDataset("t")) t.WriteAttribute("units", "seconds since 2024-03-01 12:00:00");
            f.WriteDataset<double>("x", Enumerable.Range(0, 20).Select(i => 2.5 * i).ToArray(), [20]);
        }
        var archive = ArchiveScanner.Open([path]);
        Assert.Equal("das-cf", archive.Layout);
        Assert.Equal(20, archive.Units.Count);
        var p = archive.AllPieces.Single(x => x.ChannelId == "DAS.00004");
        Assert.False(p.SamplesAlongFirstAxis);
        Assert.Equal(200, p.Rate, 1e-6);
        Assert.Equal(TimeFormat.ParseInstant("2024-03-01T12:00:10Z", "t"), p.StartNs);
        Assert.Equal(10.0, p.Fibre!.DistanceM);
        SamplesEqualHdf5(archive, "/das", timeFirst: false);
    }
}

/// <summary>Terra15 v5 files can be HDF5 virtual datasets whose samples live in another file: read through libhdf5's
/// virtual layout (the storage layer falls back to H5Dread for it), with the same samples as the source.</summary>
[Collection("native-hdf5-engine")]
public class Terra15VirtualDatasetTests
{
    [Fact]
    public void A_virtual_terra15_matrix_reads_the_samples_of_its_source_file()
    {
        using var dir = TestPaths.NewTempDir();
        var source = dir.File("terra15_source.hdf5");
        File.Copy(TestPaths.Data("das/terra15_v5_test_file.hdf5"), source);
        var path = dir.File("terra15_virtual.hdf5");
        using (var f = H5File.Create(path))
        {
            using var product = f.CreateGroup("data_product");
            product.CreateVirtualDataset<float>("data", [2060, 43], "terra15_source.hdf5", "/data_product/data");
            using (var data = product.OpenDataset("data")) data.WriteAttribute("dT", 0.00031096);
            using var src = H5File.OpenRead(source);
            product.WriteDataset<double>("posix_time", src.ReadDataset<double>("data_product/posix_time"), [2060]);
        }
        var archive = ArchiveScanner.Open([path]);
        Assert.Equal("das", archive.Layout);
        Assert.Equal(43, archive.Units.Count);
        Assert.All(archive.AllPieces, p => Assert.Equal(H5Layout.Virtual, p.Storage.Layout));
        using var storage = new ArchiveStorage();
        var reader = new SampleReader(storage);
        using var original = H5File.OpenRead(source);
        using var ds = original.OpenDataset("data_product/data");
        foreach (var p in archive.AllPieces.Where(p => p.Row % 10 == 0))
        {
            var x = new float[p.Samples];
            reader.Read(p, 0, x);
            var expected = new float[p.Samples];
            ds.ReadHyperslab<float>(expected, [0, p.Row], [p.Samples, 1]);
            Assert.Equal(expected, x);
            Assert.Contains(x, v => v != 0);
        }
    }
}
