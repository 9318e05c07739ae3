using System.Diagnostics;
using System.Globalization;
using Seiscat.Engine;
using Seiscat.Engine.Matching;
using Seiscat.Engine.Templates;
using Seiscat.Tests.Shared;

namespace Seiscat.Cli.Tests;

/// <summary>One synthetic run (6 h, two stations, 50 Hz, the demo's archive) and its templates, shared by the tests.</summary>
public sealed class SyntheticTemplatesFixture : IDisposable
{
    private readonly TestPaths.TempDir _dir = TestPaths.NewTempDir();
    public string File(string name) => _dir.File(name);
    public string Archive => File("arch");
    public string Run => File("run");
    public string Templates => File("templates.h5");
    public string TemplatesOutput { get; }

    public SyntheticTemplatesFixture()
    {
        Check(CliHarness.Run("synth", "--out", Archive, "--stations", "2", "--hours", "6", "--rate", "50", "--seed", "1"));
        Check(CliHarness.Run("run", Archive, "--window", "40s", "--step", "20s", "--seed", "1", "--fftw", "estimate", "--out", Run));
        TemplatesOutput = Check(CliHarness.Run("templates", Run, "--out", Templates));
    }

    private static string Check((int Exit, string Out, string Err) r) => r.Exit == 0 ? r.Out + r.Err : throw new InvalidOperationException(r.Err);

    public void Dispose() => _dir.Dispose();
}

[Collection("cli-native")]
public class MatchCommandTests(SyntheticTemplatesFixture f) : IClassFixture<SyntheticTemplatesFixture>
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    private static List<(long Start, long End, string Class, string Station)> Truth(string path) => File.ReadLines(path).Skip(1).Select(l => l.Split(','))
        .Select(p => (TimeFormat.ParseInstant(p[0], "start"), TimeFormat.ParseInstant(p[1], "end"), p[2], p[3])).ToList();

    [Fact]
    public void Synth_run_templates_match_finds_the_planted_repeaters_and_detects_little_else()
    {
        var output = f.File("detections.csv");
        var (exit, text, err) = CliHarness.Run("match", f.Templates, f.Archive, "--out", output, "--report", f.File("match-report"));
        Assert.True(exit == 0, err);
        var detections = DetectionsFile.ReadCsv(output);
        var truth = Truth(Path.Combine(f.Archive, "truth.csv"));
        const long tolerance = 3_000_000_000;
        // The group that finds most planted repeaters at its first station: ≥ 90 % of them within 3 s of their start.
        var (hits, group, planted) = detections.GroupBy(d => d.Group).Select(g =>
        {
            var station = g.First().Stations.Split('+')[0];
            var repeaters = truth.Where(t => t.Class == "repeater" && t.Station == station).ToList();
            return (Hits: repeaters.Count(t => g.Any(d => Math.Abs(d.TimeNs - t.Start) <= tolerance)), Group: g.Key, Planted: repeaters.Count);
        }).MaxBy(e => e.Hits);
        // Every detection of every group on a planted event at its station (any class, start − 3 s to end + 3 s): ≥ 90 %.
        var onEvents = detections.Count(d => truth.Any(t => t.Station == d.Stations.Split('+')[0] && d.TimeNs >= t.Start - tolerance
            && d.TimeNs <= t.End + tolerance));
        TestPaths.Record("match-quality", string.Create(C, $"synthetic 6 h × 2 stations, 50 Hz (demo archive): planted repeaters detected within 3 s ") +
            string.Create(C, $"{hits} of {planted} (group {group}); detections on planted events {onEvents} of {detections.Count}"));
        Assert.True(planted >= 10, $"only {planted} repeaters planted");
        Assert.True(hits >= 0.9 * planted, $"{hits} of {planted} repeaters detected");
        Assert.True(onEvents >= 0.9 * detections.Count, $"{detections.Count - onEvents} of {detections.Count} detections on no planted event");
        // The repeater group joins both stations, with one onset delay.
        Assert.Contains(detections, d => d.Group == group && d.Stations.Contains('+', StringComparison.Ordinal));
        // The archive's gap is reported and nothing is detected inside it.
        var gaps = File.ReadLines(MatchGapsPath(output)).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.NotEmpty(gaps);
        foreach (var g in gaps)
        {
            var (a, b) = (TimeFormat.ParseInstant(g[1], "gap"), TimeFormat.ParseInstant(g[2], "gap"));
            Assert.DoesNotContain(detections, d => d.Stations.Split('+').Contains(g[0]) && d.TimeNs > a && d.TimeNs < b);
        }
        Assert.Contains("gaps: ", text);
        // The report: detections per hour, a histogram per group, the strongest and weakest detection of each group.
        var index = File.ReadAllText(Path.Combine(f.File("match-report"), "index.html"));
        string[] figures = ["detections_per_hour.png", $"histogram_{group}.png", $"detection_{group}_strongest.png", $"detection_{group}_weakest.png"];
        foreach (var name in figures)
        {
            Assert.Contains(name, index);
            Assert.True(new FileInfo(Path.Combine(f.File("match-report"), name)).Length > 1000, name);
        }
    }

    private static string MatchGapsPath(string output) => GapsFile.PathFor(output);

    [Fact]
    public void Templates_file_holds_aligned_coherent_members_and_leaves_the_background_cluster_out()
    {
        var contents = TemplateFile.Load(f.Templates);
        var windows = File.ReadLines(Path.Combine(f.Run, "windows.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        var column = Array.IndexOf(File.ReadLines(Path.Combine(f.Run, "windows.csv")).First().Split(','), "cluster");
        var background = windows.GroupBy(w => w[column]).MaxBy(g => g.Count())!.Key;
        Assert.DoesNotContain(contents.Templates, t => t.Cluster.ToString(C) == background);
        foreach (var t in contents.Templates)
        {
            Assert.Equal(3, t.Waveform.Length);
            Assert.Equal(1000, t.Samples); // 20 s at 50 Hz
            Assert.InRange(t.OnsetSample, 1, t.Samples - 1);
            Assert.InRange(t.Members.Length, 1, 5);
            Assert.Equal(t.Members.Length, t.MemberOnsetNs.Length);
            Assert.All(t.MemberCorrelation, cc => Assert.InRange(cc, 0.3, 1.0001));
            Assert.True(t.LowHz > 0 && t.HighHz > t.LowHz && t.HighHz < t.Rate / 2);
            Assert.All(t.Waveform, c => Assert.All(c, v => Assert.True(float.IsFinite(v))));
        }
        // A family of five near-identical repeats: their correlation with the stack is near 1.
        Assert.Contains(contents.Templates, t => t.Members.Length == 5 && t.MemberCorrelation.Min() > 0.95);
        Assert.Contains("figures: ", f.TemplatesOutput);
        // Phase-weighted stacking and a band given by hand: the same family, the band as asked.
        var pws = f.File("templates-pws.h5");
        var (exit, _, err) = CliHarness.Run("templates", f.Run, "--out", pws, "--stack", "pws", "--band", "3-8", "--per-cluster", "3");
        Assert.True(exit == 0, err);
        var weighted = TemplateFile.Load(pws);
        Assert.Equal("phase-weighted", weighted.Stacking);
        Assert.All(weighted.Templates, t => Assert.Equal((3.0, 8.0), (t.LowHz, t.HighHz)));
        Assert.Contains(weighted.Templates, t => t.Members.Length == 3 && t.MemberCorrelation.Min() > 0.95);
        Assert.True(File.Exists(Path.Combine(f.Run, "report", "templates.html")));
        // `run` kept the candidates in its prediction pass; without them `templates` labels the features itself and
        // makes the same bytes.
        var candidates = Path.Combine(f.Run, CandidatesFile.Name);
        var (model, features) = (Path.Combine(f.Run, "model.h5"), Path.Combine(f.Run, "features.h5"));
        var labels = Seiscat.Engine.Mixture.ClusterModel.Load(model).Labels;
        Assert.NotNull(CandidatesFile.TryLoad(candidates, CandidatesFile.KeyOf(model, features), labels, 2, new TemplateOptions().Candidates));
        File.Move(candidates, candidates + ".away");
        try
        {
            (exit, _, err) = CliHarness.Run("templates", f.Run, "--out", f.File("templates-rescanned.h5"));
            Assert.True(exit == 0, err);
            Assert.Equal(File.ReadAllBytes(f.Templates), File.ReadAllBytes(f.File("templates-rescanned.h5")));
        }
        finally { File.Move(candidates + ".away", candidates); }
    }

    [Fact]
    public void Shards_merged_resumed_and_any_thread_count_give_the_bytes_of_one_run()
    {
        using var dir = TestPaths.NewTempDir();
        // --memory 256M: blocks of two hours, so there are several blocks to shard, resume and thread over.
        string[] Args(string output, params string[] more) => ["match", f.Templates, f.Archive, "--out", dir.File(output), "--memory", "256M", .. more];
        var (exit, _, err) = CliHarness.Run(Args("one.csv", "--threads", "1"));
        Assert.True(exit == 0, err);
        (exit, _, err) = CliHarness.Run(Args("three.csv", "--threads", "3"));
        Assert.True(exit == 0, err);
        Assert.Equal(File.ReadAllBytes(dir.File("one.csv")), File.ReadAllBytes(dir.File("three.csv")));
        for (var s = 0; s < 3; s++)
        {
            (exit, _, err) = CliHarness.Run(Args($"shard{s}.csv", "--shard", s.ToString(C), "--num-shards", "3"));
            Assert.True(exit == 0, err);
        }
        (exit, var text, err) = CliHarness.Run("merge", dir.File("shard0.csv"), dir.File("shard1.csv"), dir.File("shard2.csv"), "--out",
            dir.File("merged.csv"));
        Assert.True(exit == 0, err);
        Assert.Contains("detections from 3 shards", text);
        Assert.Equal(File.ReadAllBytes(dir.File("one.csv")), File.ReadAllBytes(dir.File("merged.csv")));
        Assert.Equal(File.ReadAllBytes(MatchGapsPath(dir.File("one.csv"))), File.ReadAllBytes(MatchGapsPath(dir.File("merged.csv"))));
        // Merge takes one whole run's shards only.
        void Refused(string[] files, params string[] expected)
        {
            var (code, _, error) = CliHarness.Run(["merge", .. files.Select(dir.File), "--out", dir.File("bad.csv")]);
            Assert.True(code != 0, "merge accepted " + string.Join(" ", files));
            var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            foreach (var e in expected) Assert.Contains(e, line);
            Assert.False(File.Exists(dir.File("bad.csv")));
        }
        Refused(["shard0.csv", "shard1.csv"], "shard0.csv", "but shard 2 is not among the files");
        Refused(["shard0.csv", "shard1.csv", "shard1.csv", "shard2.csv"], "shard1.csv", "is shard 1 again");
        Refused(["one.csv", "shard1.csv"], "one.csv", "is not a shard of `seiscat match --shard`");
        (exit, _, err) = CliHarness.Run(Args("other2.csv", "--shard", "2", "--num-shards", "3", "--threshold", "9"));
        Assert.True(exit == 0, err);
        Refused(["shard0.csv", "shard1.csv", "other2.csv"], "other2.csv", "comes from another match run than");

        // Killed once two blocks are done, then run again: the blocks resume and the output is the same.
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var a in Args("killed.csv", "--threads", "1")) info.ArgumentList.Add(a);
        using (var child = Process.Start(info)!)
        {
            _ = child.StandardOutput.ReadToEndAsync();
            _ = child.StandardError.ReadToEndAsync();
            var clock = Stopwatch.StartNew();
            // The checkpoint folder is killed.csv.parts-<fingerprint>; a block is finished once its CSV is there.
            while (!child.HasExited && !Directory.EnumerateDirectories(dir.Path, "killed.csv.parts-*")
                .Any(parts => Directory.GetFiles(parts, "block-*.csv").Length >= 2))
            {
                Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), "two blocks never finished");
                Thread.Sleep(5);
            }
            Assert.False(child.HasExited, "the run finished before it could be killed: give it more blocks");
            child.Kill(entireProcessTree: true);
            child.WaitForExit();
        }
        Assert.False(File.Exists(dir.File("killed.csv")), "a killed run left its output behind");
        (exit, text, err) = CliHarness.Run(Args("killed.csv", "--threads", "1"));
        Assert.True(exit == 0, err);
        Assert.Contains("resumed", text);
        Assert.Equal(File.ReadAllBytes(dir.File("one.csv")), File.ReadAllBytes(dir.File("killed.csv")));
        Assert.Empty(Directory.EnumerateDirectories(dir.Path, "killed.csv.parts-*"));
        // Parquet: the same rows.
        (exit, _, err) = CliHarness.Run(Args("one.parquet"));
        Assert.True(exit == 0, err);
        Assert.True(new FileInfo(dir.File("one.parquet")).Length > 100);
    }

    [Fact]
    public void Bad_inputs_get_one_line_naming_the_file_and_what_to_do()
    {
        using var dir = TestPaths.NewTempDir();
        void Fails(string[] args, params string[] expected)
        {
            var (exit, output, err) = CliHarness.Run(args);
            Assert.True(exit != 0, $"{string.Join(' ', args)} succeeded: {output}");
            var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            foreach (var e in expected) Assert.Contains(e, line);
        }
        // Templates from a 50 Hz archive against the same stations recorded at 40 Hz.
        Assert.Equal(0, CliHarness.Run("synth", "--out", dir.File("fast"), "--stations", "2", "--hours", "0.5", "--rate", "40", "--seed", "1").Exit);
        Fails(["match", f.Templates, dir.File("fast"), "--out", dir.File("d.csv")], f.Templates, "is sampled at 50 Hz", "records at 40 Hz", "templates");
        // A station the archive does not hold.
        Assert.Equal(0, CliHarness.Run("synth", "--out", dir.File("one"), "--stations", "1", "--hours", "0.5", "--rate", "50", "--seed", "1").Exit);
        Fails(["match", f.Templates, dir.File("one"), "--out", dir.File("d.csv")], f.Templates, "SC.ST02", "does not hold");
        // Clusters that do not exist, a folder that is not a run, a file that is not a templates file, a bad output name.
        Fails(["templates", f.Run, "--clusters", "99", "--out", dir.File("t.h5")], "model.h5", "not 99");
        Fails(["templates", dir.Path, "--out", dir.File("t.h5")], "features.h5", "missing");
        Fails(["match", Path.Combine(f.Run, "model.h5"), f.Archive, "--out", dir.File("d.csv")], "model.h5", "is a seiscat model file, not a templates file",
            "seiscat templates");
        Fails(["match", f.Templates, f.Archive, "--out", dir.File("d.txt")], "d.txt", "neither .csv nor .parquet");
        Fails(["templates", f.Run, "--band", "8-2", "--out", dir.File("t.h5")], "--band 8-2");
        Fails(["match", f.Templates, f.Archive, "--threshold", "-1", "--out", dir.File("d.csv")], "--threshold");
        Assert.False(File.Exists(dir.File("d.csv")));
        Assert.False(File.Exists(dir.File("t.h5")));
    }
}

/// <summary>Real data (issue 16): a template of TA.C26K's aftershock cluster finds the aftershocks of the 2018-08-12
/// Kaktovik earthquake (largest peak 14:59:23 UTC) and little before it.</summary>
[Collection("cli-native")]
public class RealTemplateMatchingTests
{
    [Fact]
    public void A_template_of_the_aftershock_cluster_of_TA_C26K_finds_aftershocks()
    {
        using var dir = TestPaths.NewTempDir();
        var archive = dir.File("c26k");
        Directory.CreateDirectory(archive);
        File.Copy(TestPaths.Data("continuous/TA.C26K_2018-08-12_24h_40Hz_BHZ.h5"), Path.Combine(archive, "TA.C26K.h5"));
        Assert.Equal(0, CliHarness.Run("run", archive, "--seed", "1", "--fftw", "estimate", "--out", dir.File("run")).Exit);
        var (exit, text, err) = CliHarness.Run("templates", dir.File("run"), "--out", dir.File("t.h5"));
        Assert.True(exit == 0, err);
        (exit, text, err) = CliHarness.Run("match", dir.File("t.h5"), archive, "--out", dir.File("d.csv"));
        Assert.True(exit == 0, err);
        var detections = DetectionsFile.ReadCsv(dir.File("d.csv"));
        var mainshock = TimeFormat.ParseInstant("2018-08-12T14:58:00Z", "mainshock");
        var best = detections.GroupBy(d => d.Group).MaxBy(g => g.Count())!.ToList();
        var after = best.Count(d => d.TimeNs >= mainshock);
        var hours = best.GroupBy(d => TimeFormat.Iso(d.TimeNs)[11..13]).Select(g => $"{g.Key}h:{g.Count()}");
        TestPaths.Record("match-quality", string.Create(CultureInfo.InvariantCulture,
            $"TA.C26K 24 h, 40 Hz: {best.Count} detections by {best[0].Templates}, {after} after 14:58 UTC; per hour {string.Join(" ", hours)}"));
        // The 15 h before the mainshock are as long as the 9 h after: aftershocks make the difference.
        Assert.True(best.Count >= 20, $"{best.Count} detections");
        Assert.True(after >= 0.9 * best.Count, $"{best.Count - after} of {best.Count} detections before the mainshock");
    }
}
