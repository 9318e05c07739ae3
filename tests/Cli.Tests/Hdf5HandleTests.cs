using Seiscat.Native.Hdf5;
using Seiscat.Tests.Shared;

namespace Seiscat.Cli.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HandleCollection
{
    public const string Name = "hdf5-handles";
}

/// <summary>
/// Every HDF5 handle seiscat opens is disposed, on success and on refusal: a handle left to the finalizer keeps its
/// file open (and a written file unfinished) until the GC runs. Runs every command in-process, then collects garbage
/// and fails on any handle the finalizer had to close (<see cref="H5Handles"/>). Alone in its collection, so other
/// tests' handles cannot be counted here.
/// </summary>
[Collection(HandleCollection.Name)]
public class Hdf5HandleTests
{
    private static IReadOnlyList<string> Collect()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        return H5Handles.Leaks;
    }

    [Fact]
    public void No_command_leaves_a_handle_to_the_finalizer()
    {
        var before = Collect().Count;
        using var dir = TestPaths.NewTempDir();
        var archive = CliHarness.SyntheticArchive(dir, hours: 1);
        var cfg = dir.File("cfg.json");
        void Ok(params string[] args)
        {
            var (exit, _, err) = CliHarness.Run(args);
            Assert.True(exit == 0, $"{string.Join(' ', args)}: {err}");
        }
        void Refused(params string[] args) => Assert.Equal(2, CliHarness.Run(args).Exit);

        Ok("inspect", archive, "--json");
        foreach (var folder in new[] { "continuous", "asdf", "asdf_native" }) Ok("inspect", TestPaths.Data(folder));
        Ok("synth", "--out", dir.File("generic"), "--hours", "0.2", "--rate", "20", "--stations", "1", "--layout", "generic");
        Ok("inspect", dir.File("generic"));
        Ok("features", archive, "--config", cfg, "--fftw", "estimate", "--checkpoint-windows", "64", "--out", dir.File("f.h5"));
        Ok("features", archive, "--config", cfg, "--fftw", "estimate", "--shard", "0", "--num-shards", "2", "--out", dir.File("s0.h5"));
        Ok("features", archive, "--config", cfg, "--fftw", "estimate", "--shard", "1", "--num-shards", "2", "--out", dir.File("s1.h5"));
        Ok("merge", dir.File("s0.h5"), dir.File("s1.h5"), "--out", dir.File("merged.h5"));
        Ok("fit", dir.File("f.h5"), "--clusters", "3", "--out", dir.File("m.h5"));
        Ok("predict", dir.File("m.h5"), dir.File("f.h5"), "--checkpoint-windows", "100", "--out", dir.File("w.h5"), "--out", dir.File("w.csv"),
            "--out", dir.File("w.parquet"));
        Ok("predict", dir.File("m.h5"), dir.File("f.h5"), "--shard", "0", "--num-shards", "2", "--out", dir.File("p0.h5"));
        Ok("predict", dir.File("m.h5"), dir.File("f.h5"), "--shard", "1", "--num-shards", "2", "--out", dir.File("p1.h5"));
        Ok("merge", dir.File("p0.h5"), dir.File("p1.h5"), "--out", dir.File("pm.csv"));
        Ok("stability", dir.File("f.h5"), "--samples", "100,200", "--repeats", "2", "--clusters", "2");
        Ok("run", archive, "--config", cfg, "--fftw", "estimate", "--clusters", "3", "--stability", "100", "--out", dir.File("run"));
        var segments = TestPaths.Fixture("scatseisnet/tutorial.h5");
        using (var f = H5File.OpenRead(segments)) File.WriteAllText(dir.File("tutorial.json"), f.ReadStringAttribute("config"));
        Ok("scatter", "--segments", segments + ":/input/segments", "--config", dir.File("tutorial.json"), "--out", dir.File("seg.h5"));
        Ok("fit", dir.File("seg.h5"), "--clusters", "2", "--reduce", "pca:3", "--out", dir.File("segm.h5"));
        // Refusals close what they opened too.
        Refused("fit", dir.File("f.h5") + ":/nope", "--out", dir.File("x.h5"));
        Refused("predict", dir.File("m.h5"), dir.File("w.h5"), "--out", dir.File("x.csv"));
        Refused("merge", dir.File("s0.h5"), "--out", dir.File("x.h5"));
        Refused("merge", dir.File("s0.h5"), dir.File("p0.h5"), "--out", dir.File("x.h5"));

        var leaks = Collect().Skip(before).ToList();
        Assert.True(leaks.Count == 0, $"{leaks.Count} HDF5 handle(s) closed by the finalizer:\n" + string.Join("\n", leaks.Distinct().Take(40)));
    }
}
