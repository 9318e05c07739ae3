using Seiscat.Native.Hdf5;
using Seiscat.Tests.Shared;

namespace Seiscat.Native.Tests.Hdf5;

[Collection(Hdf5Collection.Name)]
public class H5FileTests
{
    [Fact]
    public void Library_reports_version_and_thread_safety()
    {
        Assert.Matches(@"^1\.\d+\.\d+$", H5Library.Version);
        Assert.Contains("hdf5", H5Library.LibraryPath);
        _ = H5Library.IsThreadSafe; // either answer is valid; it must not throw
    }

    [Fact]
    public void No_thread_prints_HDF5_error_traces()
    {
        // The thread-safe build keeps an error printer per thread: every thread that calls HDF5 must have it off, or a
        // handled failure on a worker thread writes HDF5-DIAG traces to the user's terminal.
        var printing = new bool[4];
        var threads = Enumerable.Range(0, printing.Length).Select(i => new Thread(() =>
        {
            using var f = H5File.OpenRead(TestPaths.Fixture("scatseisnet/tutorial.h5"));
            Assert.False(f.Exists("no/such/group")); // a failing H5Lexists inside
            printing[i] = H5Lock.PrintsErrors();
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.All(printing, Assert.False);
    }

    [Fact]
    public void Files_are_not_inherited_by_child_processes()
    {
        // Without close-on-exec a child started while a file is open keeps its descriptor (and HDF5's lock) alive.
        using var dir = TestPaths.NewTempDir();
        var path = dir.File("x.h5");
        using (var created = H5File.Create(path))
            Assert.True(CloseOnExec(path), "created file's descriptor lacks O_CLOEXEC");
        using var read = H5File.OpenRead(path);
        Assert.True(CloseOnExec(path), "opened file's descriptor lacks O_CLOEXEC");

        static bool CloseOnExec(string path)
        {
            var fds = Directory.GetFiles("/proc/self/fd").Where(fd =>
            {
                try { return new FileInfo(fd).LinkTarget == path; }
                catch (IOException) { return false; }
            }).ToList();
            Assert.NotEmpty(fds);
            return fds.All(fd =>
            {
                var flags = File.ReadLines($"/proc/self/fdinfo/{Path.GetFileName(fd)}").First(l => l.StartsWith("flags:", StringComparison.Ordinal));
                return (Convert.ToInt64(flags["flags:".Length..].Trim(), 8) & 0x80000) != 0; // O_CLOEXEC = 02000000
            });
        }
    }

    [Fact]
    public void Reads_fixture_config_attribute_and_float64_output()
    {
        using var f = H5File.OpenRead(TestPaths.Fixture("scatseisnet/tutorial.h5"));
        Assert.Contains("\"bins\"", f.ReadStringAttribute("config"));
        using var layer1 = f.OpenDataset("output/layer1");
        Assert.Equal([64L, 3, 24], layer1.Dims);
        Assert.Equal(new H5TypeInfo(H5TypeClass.Float, 8, H5ByteOrder.LittleEndian, true, false), layer1.Type);
        Assert.Equal(H5Layout.Contiguous, layer1.Layout);
        Assert.NotNull(layer1.ContiguousOffset);
        var all = layer1.ReadAll<double>();
        Assert.Equal(64 * 3 * 24, all.Length);
        Assert.All(all, v => Assert.True(v > 0 && double.IsFinite(v)));
        // A hyperslab equals the same slice of the whole read.
        var part = new double[2 * 3 * 24];
        layer1.ReadHyperslab<double>(part, [5, 0, 0], [2, 3, 24]);
        Assert.Equal(all.AsSpan(5 * 72, 144).ToArray(), part);
    }

    [Fact]
    public void Navigates_groups_and_attributes()
    {
        using var f = H5File.OpenRead(TestPaths.Fixture("scatseisnet/tutorial.h5"));
        Assert.Contains("bank", f.ChildNames());
        Assert.Equal(H5ObjectKind.Group, f.KindOf("bank/layer1"));
        Assert.Equal(H5ObjectKind.Dataset, f.KindOf("/bank/layer1/centers_hz"));
        Assert.Equal(H5ObjectKind.Missing, f.KindOf("bank/layer9/centers_hz"));
        Assert.False(f.Exists("output/layer1/not-a-child"));
        using var g = f.OpenGroup("bank/layer1");
        Assert.Equal("/bank/layer1", g.ObjectPath);
        Assert.Equal(6, g.ReadInt64Attribute("octaves"));
        Assert.Contains("octaves", g.AttributeNames());
        Assert.Equal(50.0, g.ReadDoubleAttribute("sampling_rate_hz"));
    }

    [Fact]
    public void Reads_pyasdf_fixed_length_strings_and_chunk_index()
    {
        using var f = H5File.OpenRead(TestPaths.Data("asdf_native/noisepy_CI.BAK_2019-02-01_1h_20Hz_BHN.asdf.h5"));
        Assert.Equal("ASDF", f.ReadStringAttribute("file_format"));
        Assert.Equal("1.0.3", f.ReadStringAttribute("file_format_version"));
        using var ds = f.OpenDataset("Waveforms/CI.BAK/CI.BAK..BHN__2019-02-01T00:00:00__2019-02-01T01:00:00__bhn_00");
        Assert.Equal(H5Layout.Chunked, ds.Layout);
        Assert.Equal([-1L], ds.MaxDims);
        Assert.Equal(new[] { H5Filter.Shuffle, H5Filter.Deflate, H5Filter.Fletcher32 }.OrderBy(x => x), ds.Filters.Select(x => x.Id).OrderBy(x => x));
        var n = ds.ChunkCount;
        Assert.True(n > 0);
        long covered = 0;
        for (var i = 0; i < n; i++)
        {
            var c = ds.GetChunkInfo(i);
            Assert.True(c.Address > 0 && c.Size > 0);
            Assert.Equal(0u, c.FilterMask);
            covered += Math.Min(ds.ChunkDims![0], ds.Dims[0] - c.Offset[0]);
        }
        Assert.Equal(ds.Dims[0], covered);
        Assert.Equal(20.0, ds.ReadDoubleAttribute("sampling_rate"));
        Assert.Equal(1548979200L * 1_000_000_000L, ds.ReadInt64Attribute("starttime"));
    }

    [Fact]
    public void Reads_full_width_nullpad_strings_without_losing_the_last_character()
    {
        // ../shared/data/asdf: file_format is "ASDF" in exactly 4 bytes, H5T_STR_NULLPAD.
        using var f = H5File.OpenRead(TestPaths.Data("asdf/YH.DC06_2012-07-25T00_1h_50Hz_3C.asdf.h5"));
        Assert.Equal("ASDF", f.ReadStringAttribute("file_format"));
        Assert.Equal("1.0.3", f.ReadStringAttribute("file_format_version"));
    }

    [Fact]
    public void Round_trips_every_element_type_both_byte_orders_and_filters()
    {
        using var dir = TestPaths.NewTempDir();
        var path = dir.File("roundtrip.h5");
        var values = Enumerable.Range(0, 1000).Select(i => (float)Math.Sin(i * 0.1) * 1000f).ToArray();
        using (var f = H5File.Create(path))
        {
            f.WriteDataset<float>("plain/f4", values, [1000]);
            f.WriteDataset<float>("plain/f4be", values, [1000], new H5DatasetOptions { BigEndian = true });
            f.WriteDataset<int>("plain/i4", values.Select(v => (int)v).ToArray(), [1000]);
            f.WriteDataset<short>("plain/i2be", values.Select(v => (short)v).ToArray(), [1000], new H5DatasetOptions { BigEndian = true });
            f.WriteDataset<double>("chunked/f8", values.Select(v => (double)v).ToArray(), [10, 100],
                new H5DatasetOptions { ChunkDims = [3, 64], DeflateLevel = 4, Shuffle = true, Fletcher32 = true, MaxDims = [-1, 100] });
            f.WriteStringDataset("names", ["YH.DC06..BHZ", "", "ünïcode"]);
            f.WriteAttribute("config", "{\"a\": 1}");
            f.WriteAttribute("rate", 50.0);
            f.WriteAttribute("start", 1_343_174_400_000_000_000L);
            f.WriteAttribute<int>("shape", [3, 4]);
            f.WriteAttribute("config", "replaced");
            f.Flush();
        }
        using var r = H5File.OpenRead(path);
        Assert.Equal(values, r.OpenDataset("plain/f4").ReadAll<float>());
        using var be = r.OpenDataset("plain/f4be");
        Assert.Equal(H5ByteOrder.BigEndian, be.Type.Order);
        Assert.Equal(values, be.ReadAll<float>());
        Assert.Equal(values.Select(v => (float)(int)v), r.OpenDataset("plain/i4").ReadAll<float>());
        using var i2 = r.OpenDataset("plain/i2be");
        Assert.Equal(new H5TypeInfo(H5TypeClass.Integer, 2, H5ByteOrder.BigEndian, true, false), i2.Type);
        Assert.Equal(values.Select(v => (double)(short)v), i2.ReadAll<double>());
        using var ch = r.OpenDataset("chunked/f8");
        Assert.Equal(H5Layout.Chunked, ch.Layout);
        Assert.Equal([3L, 64], ch.ChunkDims!);
        Assert.Equal([H5Filter.Shuffle, H5Filter.Deflate, H5Filter.Fletcher32], ch.Filters.Select(x => x.Id));
        Assert.Equal(4 * 2, ch.ChunkCount);
        Assert.Null(ch.ContiguousOffset);
        Assert.Equal(values.Select(v => (double)v), ch.ReadAll<double>());
        Assert.Equal(["YH.DC06..BHZ", "", "ünïcode"], r.OpenDataset("names").ReadStrings());
        Assert.Equal("replaced", r.ReadStringAttribute("config"));
        Assert.Equal(50.0, r.ReadDoubleAttribute("rate"));
        Assert.Equal(1_343_174_400_000_000_000L, r.ReadInt64Attribute("start"));
        Assert.Equal([3, 4], r.ReadAttribute<int>("shape"));
    }

    [Fact]
    public void Missing_file_error_names_the_file_and_carries_hdf5_text()
    {
        var e = Assert.Throws<Hdf5Exception>(() => H5File.OpenRead("/nonexistent/dir/x.h5"));
        Assert.Contains("/nonexistent/dir/x.h5", e.Message);
        Assert.False(string.IsNullOrWhiteSpace(e.Hdf5Message));
    }

    [Fact]
    public void Not_hdf5_and_truncated_files_are_refused_with_a_message()
    {
        using var dir = TestPaths.NewTempDir();
        var text = dir.File("text.h5");
        File.WriteAllText(text, "this is not HDF5");
        Assert.False(H5File.IsHdf5(text));
        Assert.Throws<Hdf5Exception>(() => H5File.OpenRead(text));

        var truncated = dir.File("truncated.h5");
        var bytes = File.ReadAllBytes(TestPaths.Fixture("scatseisnet/scalogram_small.h5"));
        File.WriteAllBytes(truncated, bytes.AsSpan(0, bytes.Length / 3).ToArray());
        var e = Record.Exception(() =>
        {
            using var f = H5File.OpenRead(truncated);
            using var d = f.OpenDataset("output/layer2");
            d.ReadAll<double>();
        });
        Assert.IsType<Hdf5Exception>(e);
        Assert.Contains("truncated.h5", e.Message);
    }

    [Fact]
    public void Missing_dataset_error_names_file_and_path()
    {
        using var f = H5File.OpenRead(TestPaths.Fixture("scatseisnet/tutorial.h5"));
        var e = Assert.Throws<Hdf5Exception>(() => f.OpenDataset("output/layer7"));
        Assert.Contains("tutorial.h5:/output/layer7", e.Message);
    }

    [Fact]
    public void Concurrent_readers_on_many_threads_get_identical_results()
    {
        var path = TestPaths.Fixture("scatseisnet/jgr_max.h5");
        double[] Read()
        {
            using var f = H5File.OpenRead(path);
            using var d = f.OpenDataset("output/layer2");
            return d.ReadAll<double>();
        }
        var reference = Read();
        var results = new double[8][];
        Parallel.For(0, 8, i => results[i] = Read());
        Assert.All(results, r => Assert.Equal(reference, r));
    }
}
