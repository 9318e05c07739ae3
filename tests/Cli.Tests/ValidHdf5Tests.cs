using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Storage;
using Seiscat.Native.Hdf5;
using Seiscat.Tests.Shared;

namespace Seiscat.Cli.Tests;

/// <summary>
/// Valid HDF5 files are never called damaged. Every HDF5 file of the shared data folder (../shared/data beside the
/// checkout, as CI lays it, so a file added there later is covered; else the copies in tests/data) and of the
/// generated corpus goes through the real command line — metadata vetted in a child process — and reads, or is
/// refused for the reason this test documents.
/// </summary>
[Collection("cli-native")]
public class ValidHdf5Tests
{
    // Files refused on purpose, with the words their refusal must carry; every other HDF5 file must read.
    private static readonly (string Name, string Reason)[] Documented =
    [
        ("febus_2.h5", "not a time series"),                   // Febus power spectral densities
        ("prodml_fbe_1.h5", "only processed data"),            // PRODML frequency-band energy
        ("ncedc_deepdenoiser_eq_vs_noise_100Hz_3C.h5", "no 'starttime_ns' or 'starttime' attribute"), // pre-cut windows: scatter --segments
        ("filter_unavailable.h5", "which no installed plugin decodes"),
    ];

    private static string SharedData
    {
        get
        {
            var shared = Path.GetFullPath(Path.Combine(TestPaths.RepoRoot, "..", "shared", "data"));
            return Directory.Exists(shared) ? shared : TestPaths.Data("");
        }
    }

    // By signature, wherever it is (files with a user block carry it at 512, 1 024, …), whatever the extension.
    private static IEnumerable<string> Hdf5Files(string folder)
        => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Where(H5File.IsHdf5).Order(StringComparer.Ordinal);

    [Fact]
    public void Every_hdf5_file_of_the_shared_data_and_the_corpus_reads_or_is_refused_for_a_documented_reason()
    {
        var files = Hdf5Files(SharedData).Where(f => !f.Contains("/fuzz/", StringComparison.Ordinal))
            .Concat(Hdf5Files(TestPaths.Data("hdf5-corpus"))).ToList();
        Assert.True(files.Count >= 70, $"{files.Count} files");
        var problems = new List<string>();
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            // Some corpus files name their waveform (a VDS's source and a netCDF coordinate are 1-D numeric datasets too).
            string[] extra = CorpusDataset(file) is { } dataset ? ["--layout", "generic", "--dataset", dataset] : [];
            var (exit, _, err) = CliHarness.Run(["inspect", file, .. extra]);
            if (err.Contains("damaged", StringComparison.Ordinal) || err.Contains("corrupt", StringComparison.Ordinal))
            {
                problems.Add($"{name}: called damaged: {err.Trim()}");
                continue;
            }
            var documented = Documented.FirstOrDefault(d => d.Name == name).Reason;
            if (exit != 0)
            {
                if (documented is null || !err.Contains(documented, StringComparison.Ordinal)) problems.Add($"{name}: exit {exit}: {err.Trim()}");
                continue;
            }
            // inspect reads metadata only: the samples of every readable file are read too (the first pieces, up to 4 096 samples).
            var archive = ArchiveScanner.Open([file], extra.Length == 0 ? null : new() { Layout = "generic", Datasets = [extra[3]] });
            using var storage = new ArchiveStorage();
            var reader = new SampleReader(storage);
            try
            {
                foreach (var piece in archive.AllPieces.Take(3))
                    reader.Read(piece, 0, new float[Math.Min(piece.Samples, 4096)]);
                if (documented is not null && documented != Documented[^1].Reason) problems.Add($"{name}: documented as refused, but reads");
            }
            catch (Seiscat.Engine.SeiscatException e)
            {
                if (documented is null || !e.Message.Contains(documented, StringComparison.Ordinal)) problems.Add($"{name}: samples: {e.Message}");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static readonly Lazy<Dictionary<string, string>> CorpusDatasets = new(() =>
    {
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(TestPaths.Data("hdf5-corpus/manifest.json")));
        return doc.RootElement.GetProperty("files").EnumerateArray().Where(e => e.TryGetProperty("args", out _))
            .ToDictionary(e => e.GetProperty("file").GetString()!, e => e.GetProperty("args").GetProperty("dataset").GetString()!);
    });

    private static string? CorpusDataset(string file)
        => file.StartsWith(TestPaths.Data("hdf5-corpus"), StringComparison.Ordinal)
            && CorpusDatasets.Value.TryGetValue(Path.GetFileName(file), out var d) ? d : null;

    [Fact]
    public void The_corrupted_inputs_are_refused_as_corrupt_in_one_line()
    {
        using var dir = TestPaths.NewTempDir();
        var files = Hdf5Files(Path.Combine(SharedData, "fuzz")).Concat(Hdf5Files(TestPaths.Data("fuzz"))).DistinctBy(Path.GetFileName).ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var (exit, _, err) = CliHarness.Run("features", file, "--window", "20s", "--step", "10s", "--fftw", "estimate", "--out", dir.File("f.h5"));
            Assert.True(exit == 2, $"{Path.GetFileName(file)}: exit {exit}: {err}");
            Assert.Contains("corrupt", err, StringComparison.Ordinal);
            Assert.Single(err.Trim().Split('\n'));
            Assert.False(File.Exists(dir.File("f.h5")));
        }
    }

    [Fact]
    public void Features_of_an_lzf_zstd_or_blosc_archive_equal_features_of_the_same_samples_stored_with_gzip()
    {
        // tests/data/hdf5-filters: one 3-component record (10 min at 20 Hz) stored four ways by the corpus generator.
        using var dir = TestPaths.NewTempDir();
        File.WriteAllText(dir.File("cfg.json"),
            """{"sampling_rate": 20, "bins": 400, "layers": [{"octaves": 5, "resolution": 2, "quality": 2}, {"octaves": 5, "resolution": 1, "quality": 2}]}""");
        var outputs = new List<float[]>();
        foreach (var (codec, filter) in new[] { ("gzip", 1), ("lzf", 32000), ("zstd", Hdf5Filters.Zstd), ("blosc", 32001) })
        {
            var file = TestPaths.Data($"hdf5-filters/{codec}/XX.F01.h5");
            using (var h5 = H5File.OpenRead(file))
            using (var ds = h5.OpenDataset("XX.F01..HHZ"))
                Assert.Contains(filter, ds.Filters.Select(f => f.Id));
            var (exit, _, err) = CliHarness.Run("features", file, "--config", dir.File("cfg.json"), "--fftw", "estimate", "--out", dir.File(codec + ".h5"));
            Assert.True(exit == 0, err);
            using var f = H5File.OpenRead(dir.File(codec + ".h5"));
            outputs.Add(f.ReadDataset<float>("features"));
        }
        Assert.True(outputs[0].Length > 1000);
        for (var i = 1; i < outputs.Count; i++) Assert.Equal(outputs[0], outputs[i]);
    }
}
