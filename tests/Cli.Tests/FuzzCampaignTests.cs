using System.Text;
using Seiscat.Tests.Shared;

namespace Seiscat.Cli.Tests;

/// <summary>
/// Corrupted copies of real and synthetic archives through `inspect` and `features`, in-process: every run must end as
/// documented — exit 0, or exit 2 with exactly one error line and no output left behind — never an internal error.
/// A refused checkpointed run leaves no checkpoint folder unless its one line says where the parts are kept.
/// The suite runs a short loop in-process; `./build.sh fuzz` runs the campaign (SEISCAT_FUZZ_TRIALS, default 1200,
/// bounded by SEISCAT_FUZZ_MINUTES) with every command in a child process — a crash of a native library on a corrupted
/// file must be counted, not take the campaign down — two at a time, and writes
/// artifacts/test-results/fuzz-campaign.txt, keeping every input that was not handled as documented under artifacts/fuzz/.
/// </summary>
[Collection("cli-native")]
public class FuzzCampaignTests
{
    private enum Mutation { BitFlips, HeaderBytes, ZeroedBlock, Truncation, DuplicatedBlock, MetadataBytes }

    private sealed record Seed(string Name, byte[] Bytes, string[] FeaturesArgs);

    [Fact]
    public void Corrupted_archives_are_refused_in_one_line_or_read()
    {
        var trials = int.TryParse(Environment.GetEnvironmentVariable("SEISCAT_FUZZ_TRIALS"), out var t) ? t : 48;
        var budget = TimeSpan.FromMinutes(double.TryParse(Environment.GetEnvironmentVariable("SEISCAT_FUZZ_MINUTES"),
            System.Globalization.CultureInfo.InvariantCulture, out var m) ? m : 1.5);
        var campaign = Environment.GetEnvironmentVariable("SEISCAT_FUZZ_TRIALS") is not null;
        using var dir = TestPaths.NewTempDir();
        var seeds = Seeds(dir);
        var rng = new Random(20261202);
        var outcomes = new Dictionary<string, int>();
        var failures = new List<string>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var done = 0;
        // Inputs are drawn in trial order from one generator, so a trial's bytes do not depend on the worker count.
        var inputs = Enumerable.Range(0, trials).Select(trial =>
        {
            var seed = seeds[trial % seeds.Count];
            var mutation = (Mutation)(trial / seeds.Count % Enum.GetValues<Mutation>().Length);
            return (Trial: trial, Seed: seed, Mutation: mutation, Bytes: Mutate(seed.Bytes, mutation, rng));
        }).ToList();
        var gate = new object();
        Parallel.ForEach(inputs, new ParallelOptions { MaxDegreeOfParallelism = campaign ? 2 : 1 }, input =>
        {
            if (clock.Elapsed >= budget) return;
            var work = Path.Combine(dir.Path, $"t{input.Trial}");
            var archive = Path.Combine(work, "in");
            Directory.CreateDirectory(archive);
            var file = Path.Combine(archive, "x.h5");
            File.WriteAllBytes(file, input.Bytes);
            var output = Path.Combine(work, "f.h5");
            foreach (var (command, args, outFile) in new[]
            {
                ("inspect", new[] { "inspect", archive, "--json" }, (string?)null),
                ("features", new[] { "features", archive }.Concat(input.Seed.FeaturesArgs).Concat(["--fftw", "estimate", "--out", output]).ToArray(), output),
            })
            {
                var problem = Run(args, outFile, campaign, out var outcome);
                lock (gate)
                {
                    outcomes[$"{command} {outcome}"] = outcomes.GetValueOrDefault($"{command} {outcome}") + 1;
                    if (problem is null) continue;
                    failures.Add($"trial {input.Trial} {input.Seed.Name} {input.Mutation} {command}: {problem}");
                }
                if (campaign) File.Copy(file, KeptInput(input.Trial, input.Seed.Name, input.Mutation), overwrite: true);
            }
            Directory.Delete(work, recursive: true);
            lock (gate) done++;
        });
        var report = new StringBuilder();
        report.AppendLine($"{done} corrupted inputs × (inspect, features) in {clock.Elapsed.TotalSeconds:0} s, {seeds.Count} seeds: " +
            $"{string.Join(", ", seeds.Select(s => s.Name))}");
        foreach (var (k, v) in outcomes.OrderBy(o => o.Key)) report.AppendLine($"  {k}: {v}");
        report.AppendLine($"  not as documented: {failures.Count}");
        foreach (var f in failures) report.AppendLine("    " + f);
        TestPaths.Record(campaign ? "fuzz-campaign" : "fuzz-short", report.ToString().TrimEnd());
        Assert.True(done >= Math.Min(trials, 12), $"only {done} trials ran within {budget}");
        Assert.True(failures.Count == 0, report.ToString());
    }

    /// <summary>Runs one command; returns what was not as documented (null when all was), and the outcome's name.</summary>
    private static string? Run(string[] args, string? output, bool childProcess, out string outcome)
    {
        var outDir = output is null ? null : Path.GetDirectoryName(output)!;
        var (exit, _, err) = childProcess ? CliHarness.RunChild(args) : CliHarness.Run(args);
        outcome = exit switch { 0 => "read", 2 => "refused", > 128 => $"killed by signal {exit - 128}", _ => $"exit {exit}" };
        if (exit is not (0 or 2)) return $"exit {exit}: {err.Trim()}";
        if (exit == 2)
        {
            var errors = err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.StartsWith("seiscat: error: ", StringComparison.Ordinal));
            if (errors != 1) return $"{errors} error lines: {err.Trim()}";
            if (output is not null && File.Exists(output)) return "refused, but the output exists";
            if (outDir is not null && Directory.GetDirectories(outDir, "*.parts-*").Length > 0 && !err.Contains("are kept in", StringComparison.Ordinal))
                return "refused, and a checkpoint folder was left without a word: " + err.Trim();
        }
        if (outDir is not null && Directory.GetFiles(outDir, ".*.tmp-*").Length > 0) return "a temporary was left behind";
        if (outDir is not null)
            foreach (var d in Directory.GetDirectories(outDir, "*.parts-*")) Directory.Delete(d, true); // kept on purpose: next trial starts clean
        return null;
    }

    private static List<Seed> Seeds(TestPaths.TempDir dir)
    {
        string[] none = [];
        var seeds = new List<Seed>
        {
            new("asdf-native-chunked", File.ReadAllBytes(TestPaths.Data("asdf_native/noisepy_CI.BAK_2019-02-01_1h_20Hz_BHN.asdf.h5")), none),
            new("asdf-contiguous", File.ReadAllBytes(TestPaths.Data("asdf/BK.HELL_2014-08-24T1015_20min_40Hz_3C_Napa.asdf.h5")), none),
            new("generic-contiguous", File.ReadAllBytes(TestPaths.Data("continuous/BK.HELL_2014-08-24T1015_20min_40Hz_3C_Napa.h5")), none),
            new("fuzz-finding", File.ReadAllBytes(TestPaths.Data("fuzz/ci_bak_corrupt_chunk_index.asdf.h5")), none),
            // DAS: a chunked time × locus PRODML matrix (read through the maps, one strided column per locus) and GDR.
            new("das-prodml-chunked", File.ReadAllBytes(TestPaths.Data("das/prodml_2.0.h5")), ["--window", "2s", "--step", "1s", "--channels", "0:64"]),
            new("das-gdr", File.ReadAllBytes(TestPaths.Data("das/gdr_1.h5")), ["--window", "2s", "--step", "1s"]),
            new("das-febus-blocks", File.ReadAllBytes(TestPaths.Data("das/valencia_febus_example.h5")), ["--window", "2s", "--step", "1s"]),
            new("das-simple-pytables", File.ReadAllBytes(TestPaths.Data("das/h5_simple_2.h5")), ["--window", "0.4s", "--step", "0.2s"]),
        };
        // A day of gzip + shuffle + Fletcher-32 chunks, long enough to be written as checkpoint parts.
        var (exit, _, err) = CliHarness.Run("synth", "--out", dir.File("day"), "--hours", "24", "--rate", "2", "--stations", "1", "--seed", "7");
        Assert.True(exit == 0, err);
        seeds.Add(new("synthetic-day-checkpointed", File.ReadAllBytes(Directory.GetFiles(dir.File("day"), "*.h5").MaxBy(f => new FileInfo(f).Length)!),
            ["--checkpoint-windows", "256"]));
        (exit, _, err) = CliHarness.Run("synth", "--out", dir.File("gen"), "--hours", "2", "--rate", "20", "--stations", "1", "--seed", "8",
            "--layout", "generic");
        Assert.True(exit == 0, err);
        seeds.Add(new("synthetic-generic", File.ReadAllBytes(Directory.GetFiles(dir.File("gen"), "*.h5").MaxBy(f => new FileInfo(f).Length)!), none));
        // The corpus of valid-but-unusual files (links, cycles, every attribute class, compact/virtual/fill-value layouts,
        // plugin filters and Zstandard): 20 s records, each with the dataset its manifest names.
        using var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllText(TestPaths.Data("hdf5-corpus/manifest.json")));
        foreach (var e in manifest.RootElement.GetProperty("files").EnumerateArray())
        {
            var name = e.GetProperty("file").GetString()!;
            string[] args = e.TryGetProperty("args", out var a) ? ["--layout", "generic", "--dataset", a.GetProperty("dataset").GetString()!] : [];
            seeds.Add(new("corpus-" + Path.GetFileNameWithoutExtension(name), File.ReadAllBytes(TestPaths.Data("hdf5-corpus/" + name)),
                ["--window", "10s", "--step", "5s", .. args]));
        }
        return seeds;
    }

    private static byte[] Mutate(byte[] original, Mutation mutation, Random rng)
    {
        var b = (byte[])original.Clone();
        switch (mutation)
        {
            case Mutation.BitFlips:
                for (var k = rng.Next(1, 64); k > 0; k--) b[rng.Next(b.Length)] ^= (byte)(1 << rng.Next(8));
                break;
            case Mutation.HeaderBytes:
                for (var k = rng.Next(1, 12); k > 0; k--) b[rng.Next(Math.Min(4096, b.Length))] = (byte)rng.Next(256);
                break;
            case Mutation.ZeroedBlock:
                {
                    var at = rng.Next(b.Length);
                    Array.Clear(b, at, Math.Min(b.Length - at, rng.Next(16, 8192)));
                    break;
                }
            case Mutation.Truncation:
                return b.AsSpan(0, rng.Next(1, b.Length)).ToArray();
            case Mutation.DuplicatedBlock:
                {
                    var length = rng.Next(16, 4096);
                    var from = rng.Next(Math.Max(1, b.Length - length));
                    var to = rng.Next(Math.Max(1, b.Length - length));
                    Array.Copy(original, from, b, to, Math.Min(length, b.Length - Math.Max(from, to)));
                    break;
                }
            case Mutation.MetadataBytes:
                {
                    // Bytes just after HDF5 structure signatures (object headers, B-tree nodes of chunk indexes, heaps).
                    var marks = Signatures(original);
                    for (var k = rng.Next(1, 6); k > 0 && marks.Count > 0; k--)
                    {
                        var at = marks[rng.Next(marks.Count)] + rng.Next(4, 64);
                        if (at < b.Length) b[at] = (byte)rng.Next(256);
                    }
                    break;
                }
        }
        return b;
    }

    private static List<int> Signatures(byte[] bytes)
    {
        var marks = new List<int>();
        ReadOnlySpan<byte> data = bytes;
        foreach (var sig in new[] { "TREE"u8.ToArray(), "OHDR"u8.ToArray(), "HEAP"u8.ToArray(), "SNOD"u8.ToArray(), "BTHD"u8.ToArray(), "FRHP"u8.ToArray() })
            for (var i = data.IndexOf(sig); i >= 0;)
            {
                marks.Add(i);
                var next = data[(i + 1)..].IndexOf(sig);
                i = next < 0 ? -1 : i + 1 + next;
            }
        return marks;
    }

    private static string KeptInput(int trial, string seed, Mutation mutation)
    {
        var folder = Path.Combine(TestPaths.RepoRoot, "artifacts", "fuzz");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, $"trial{trial}-{seed}-{mutation}.h5");
    }
}
