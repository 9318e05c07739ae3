using Seiscat.Native.Hdf5;
using Seiscat.Tests.Shared;

namespace Seiscat.Cli.Tests;

/// <summary>
/// Damaged and odd inputs built by the tests: every command run must end with exit 0 (handled, documented behaviour)
/// or 2 (one-line error), never an internal error, and a failed run must leave no output file behind.
/// </summary>
[Collection("cli-native")]
public class BadInputMatrixTests
{
    private const string Config = """{"sampling_rate": 20, "bins": 400, "layers": [{"octaves": 4, "resolution": 2, "quality": 2}], "pooling": "avg"}""";

    private static void AssertHandled(string what, string outFile, params string[] args)
    {
        var (exit, _, err) = CliHarness.Run(args);
        if (exit is not (0 or 2)) TestPaths.Record("bad-input-failures", $"{what}: exit {exit}: {err}");
        Assert.True(exit is 0 or 2, $"{what}: exit {exit}: {err}");
        if (exit == 2)
        {
            // Progress lines may precede the error when the damage is found mid-stream: exactly one error line.
            Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("seiscat: error: ", StringComparison.Ordinal));
            Assert.False(File.Exists(outFile), $"{what}: output left behind");
        }
        var dir = Path.GetDirectoryName(outFile)!;
        Assert.Empty(Directory.GetFiles(dir, ".*.tmp-*"));
    }

    [Fact]
    public void The_corrupt_chunk_index_found_by_fuzzing_is_refused_in_one_line()
    {
        using var dir = TestPaths.NewTempDir();
        var file = TestPaths.Data("fuzz/ci_bak_corrupt_chunk_index.asdf.h5");
        AssertHandled("inspect", dir.File("none.json"), "inspect", file);
        var (exit, _, err) = CliHarness.Run("features", file, "--window", "20s", "--step", "10s", "--fftw", "estimate", "--out", dir.File("f.h5"));
        Assert.Equal(2, exit);
        Assert.Contains("chunk index is corrupt", err);
        Assert.Contains("ci_bak_corrupt_chunk_index.asdf.h5", err);
        Assert.False(File.Exists(dir.File("f.h5")));
    }

    // Found by the fuzz campaign. Trial 116: a corrupted global-heap entry makes H5Aread copy out of bounds (SIGSEGV in
    // H5HG_read); the metadata is walked in a child process first (Hdf5Vetting), so the command survives. Trial 154 of
    // a later campaign: the vetting child's read fails cleanly ("bad global heap collection signature") but the
    // command's own reads of the same heap crashed libhdf5, so any metadata the child cannot read is refused at vetting.
    [Theory]
    [InlineData("fuzz/bk_hell_generic_corrupt_global_heap.h5", "crashed libhdf5")]
    [InlineData("fuzz/bk_hell_generic_header_flip_global_heap.h5", "HDF5 metadata is damaged (bad global heap collection signature")]
    public void A_file_whose_metadata_crashes_libhdf5_is_refused_in_one_line(string file, string expected)
    {
        using var dir = TestPaths.NewTempDir();
        var archive = dir.File("a");
        Directory.CreateDirectory(archive);
        File.Copy(TestPaths.Data(file), Path.Combine(archive, "x.h5"));
        foreach (var args in new[] { new[] { "inspect", archive }, ["features", archive, "--fftw", "estimate", "--out", dir.File("f.h5")] })
        {
            var (exit, _, err) = CliHarness.RunChild(args);
            Assert.True(exit == 2, $"{args[0]}: exit {exit}: {err}");
            var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("seiscat: error: ", StringComparison.Ordinal));
            Assert.Contains("x.h5", line);
            Assert.Contains(expected, line);
        }
        Assert.False(File.Exists(dir.File("f.h5")));
    }

    [Fact]
    public void Odd_archives_are_handled_or_refused_in_one_line()
    {
        using var dir = TestPaths.NewTempDir();
        File.WriteAllText(dir.File("cfg.json"), Config);
        const long s = 1_000_000_000;
        var t0 = 1_600_000_000L * s;
        void Write(string name, Action<H5File> body)
        {
            Directory.CreateDirectory(dir.File(name));
            using var f = H5File.Create(Path.Combine(dir.File(name), "x.h5"));
            body(f);
        }
        void Trace(H5File f, string id, long start, double rate, float[] x)
        {
            using var ds = f.CreateDataset<float>(id, [x.Length]);
            if (x.Length > 0) ds.Write<float>(x);
            ds.WriteAttribute("sampling_rate", rate);
            ds.WriteAttribute("starttime_ns", start);
        }
        float[] Noise(int n, int seed) { var r = new Random(seed); return Enumerable.Range(0, n).Select(_ => (float)r.NextDouble()).ToArray(); }

        Write("empty-dataset", f => Trace(f, "XX.A..BHZ", t0, 20, []));
        Write("nan-runs", f =>
        {
            var x = Noise(20 * 600,
            1); for (var i = 3000; i < 3400; i++) x[i] = float.NaN; x[5000] = float.PositiveInfinity; Trace(f, "XX.A..BHZ", t0, 20, x);
        });
        Write("mixed-rates", f =>
        {
            Trace(f, "XX.A..BHE", t0, 20, Noise(12000, 2)); Trace(f, "XX.A..BHN", t0, 40, Noise(24000, 3)); Trace(f,
            "XX.A..BHZ", t0, 20, Noise(12000, 4));
        });
        Write("misaligned", f =>
        {
            Trace(f, "XX.A..BHE", t0 + 7 * s, 20, Noise(12000, 5)); Trace(f, "XX.A..BHN", t0, 20, Noise(12000, 6)); Trace(f,
            "XX.A..BHZ", t0 + 13 * s, 20, Noise(12000, 7));
        });
        Write("overlap-unordered", f =>
        {
            Trace(f, "piece2", t0 + 300 * s, 20, Noise(6000, 8));
            Trace(f, "piece1", t0, 20, Noise(8000, 9)); // overlaps piece2 by 100 s
        });
        Write("strings", f => f.WriteStringDataset("XX.A..BHZ", ["not", "samples"]));
        Write("int-counts", f =>
        {
            using var ds = f.CreateDataset<int>("XX.A..BHZ", [12000]); ds.Write<int>(Noise(12000,
            10).Select(v => (int)(v * 1e6)).ToArray()); ds.WriteAttribute("sampling_rate", 20.0); ds.WriteAttribute("starttime_ns", t0);
        });
        Write("zero-rate", f => Trace(f, "XX.A..BHZ", t0, 0, Noise(1000, 11)));
        Write("no-start", f =>
        {
            using var ds = f.CreateDataset<float>("XX.A..BHZ", [1000]); ds.Write<float>(Noise(1000,
            12)); ds.WriteAttribute("sampling_rate", 20.0);
        });

        foreach (var name in new[] { "empty-dataset", "nan-runs", "mixed-rates", "misaligned", "overlap-unordered", "strings", "int-counts",
            "zero-rate", "no-start" })
        {
            AssertHandled($"{name} inspect", dir.File("none"), "inspect", dir.File(name));
            AssertHandled($"{name} features", dir.File($"{name}.h5"), "features", dir.File(name), "--config", dir.File("cfg.json"), "--fftw",
                "estimate", "--out", dir.File($"{name}.h5"), "--gaps", "zero-fill");
        }
        // Documented handling where it succeeds: NaN/Inf count as missing data.
        using (var f = H5File.OpenRead(dir.File("nan-runs.h5")))
            Assert.Contains(f.OpenDataset("gap_fraction").ReadAll<float>(), g => g > 0);
        // Components at different rates are refused with the reason.
        var (exit, _, err) = CliHarness.Run("features", dir.File("mixed-rates"), "--config", dir.File("cfg.json"), "--out", dir.File("m.h5"));
        Assert.Equal(2, exit);
        Assert.Contains("Hz", err);
    }

    [Fact]
    public void A_record_shorter_than_the_window_says_so_and_suggests_a_window()
    {
        using var dir = TestPaths.NewTempDir();
        // 12.6 s of one station, cut by the synthetic gap into stretches of 5.7 and 6.3 s: no 40 s window (the default) fits.
        Assert.Equal(0, CliHarness.Run("synth", "--out", dir.File("a"), "--stations", "1", "--hours", "0.0035", "--rate", "50", "--seed", "1").Exit);
        foreach (var command in new[] { "features", "run" })
        {
            var (exit, _, err) = CliHarness.Run(command, dir.File("a"), "--out", dir.File(command == "run" ? "run" : "f.h5"), "--fftw", "estimate");
            Assert.Equal(2, exit);
            var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains(dir.File("a"), line);
            Assert.Contains("no 40 s window fits in the record: its longest continuous stretch is 6.32 s (SC.ST01.00.BH", line);
            Assert.Contains("use a window of at most that length with --window", line);
            Assert.DoesNotContain("holds no rows", line);
        }
        Assert.False(File.Exists(dir.File("f.h5")));
    }

    [Fact]
    public void Resampling_that_removes_most_of_a_band_is_a_warning_naming_the_stations()
    {
        using var dir = TestPaths.NewTempDir();
        Assert.Equal(0, CliHarness.Run("synth", "--out", dir.File("a"), "--stations", "2", "--hours", "0.5", "--rate", "50", "--seed", "1").Exit);
        File.WriteAllText(dir.File("cfg.json"), """
            {"sampling_rate": 20, "bins": 800, "layers": [{"octaves": 5, "resolution": 2, "quality": 2},
            {"octaves": 5, "resolution": 1, "quality": 2}], "pooling": "avg"}
            """);
        var (exit, _, err) = CliHarness.Run("features", dir.File("a"), "--config", dir.File("cfg.json"), "--out", dir.File("f.h5"), "--fftw", "estimate");
        Assert.Equal(0, exit);
        var warning = Assert.Single(err.Split('\n'), l => l.StartsWith("seiscat: warning: resampling", StringComparison.Ordinal));
        Assert.Contains("resampling to 20 Hz removes most of the band of 2 stations: SC.ST01.00.BH? (50 Hz: keeps 40 % of its band)", warning);
        Assert.Contains("use a configuration at their rate", warning);
        // At a rate that keeps half the band or more (50 -> 25 Hz is exactly half), nothing is said.
        File.WriteAllText(dir.File("cfg.json"), File.ReadAllText(dir.File("cfg.json")).Replace("\"sampling_rate\": 20, \"bins\": 800",
            "\"sampling_rate\": 25, \"bins\": 1000", StringComparison.Ordinal));
        (exit, _, err) = CliHarness.Run("features", dir.File("a"), "--config", dir.File("cfg.json"), "--out", dir.File("g.h5"), "--fftw", "estimate");
        Assert.Equal(0, exit);
        Assert.DoesNotContain("resampling", err);
    }

    [Fact]
    public void Unwritable_output_locations_are_one_line_errors()
    {
        using var dir = TestPaths.NewTempDir();
        var fixture = TestPaths.Fixture("scatseisnet/scalogram_small.h5");
        using (var f = H5File.OpenRead(fixture)) File.WriteAllText(dir.File("cfg.json"), f.ReadStringAttribute("config"));
        // The same command succeeds with a writable output, so the failures below are about the output alone.
        Assert.Equal(0, CliHarness.Run("scatter", "--segments", fixture + ":/input/segments", "--config", dir.File("cfg.json"), "--out",
            dir.File("ok.h5")).Exit);
        foreach (var output in new[] { "/proc/seiscat-out.h5", "/nonexistent-dir/out.h5", dir.File("cfg.json") + "/out.h5" })
        {
            var (exit, _, err) = CliHarness.Run("scatter", "--segments", fixture + ":/input/segments", "--config", dir.File("cfg.json"), "--out", output);
            Assert.True(exit == 2, $"{output}: exit {exit}: {err}");
            // The fixture's config carries an extra key ('name'): one warning line, then exactly one error line.
            var error = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("seiscat: error: ", StringComparison.Ordinal));
            Assert.Contains(Path.GetDirectoryName(output)!, error);
        }
    }
}
