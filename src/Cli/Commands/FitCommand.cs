using System.CommandLine;
using System.Globalization;
using Seiscat.Engine;
using Seiscat.Engine.Linear;
using Seiscat.Engine.Mixture;
using Seiscat.Engine.Pipeline;

namespace Seiscat.Cli.Commands;

internal static class FitCommand
{
    public static Command Create()
    {
        var command = new Command("fit", "Fit the feature transform and a Gaussian mixture (or k-means) on a sample drawn across the whole input.");
        var input = new Argument<string>("input") { Description = "features.h5, a scatter out.h5, or FILE.h5:/2-D/dataset" };
        var output = new Option<string>("--out") { Description = "model.h5", Required = true };
        var options = new FitOptionSet();
        command.Arguments.Add(input);
        command.Options.Add(output);
        options.AddTo(command);
        command.SetAction(p =>
        {
            var fitOptions = options.Read(p); // impossible options are refused before the input is opened
            var (model, report) = FitJob.Run(p.GetValue(input)!, p.GetValue(output)!, fitOptions);
            Report(p, model, report, p.GetValue(output)!);
            return 0;
        });
        return command;
    }

    public static void Report(ParseResult p, ClusterModel model, FitReport report, string output)
    {
        var w = p.InvocationConfiguration.Output;
        if (report.SampleNote is { } note) p.InvocationConfiguration.Error.WriteLine("seiscat: warning: " + CliSettings.Render(note));
        if (report.DroppedNonFinite > 0) p.InvocationConfiguration.Error.WriteLine($"seiscat: warning: dropped {report.DroppedNonFinite} sampled " +
            $"rows holding NaN or Inf");
        foreach (var (k, bic) in report.BicCurve) w.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  K = {k,2}  BIC {bic:0.0}{(k == report.Components ? "  <- chosen" : "")}"));
        foreach (var line in report.Tree) w.WriteLine("  " + line);
        if (FitJob.BicWarning(report) is { } top) p.InvocationConfiguration.Error.WriteLine("seiscat: warning: " + CliSettings.Render(top));
        w.WriteLine(FitJob.Describe(model, report, output));
    }
}

/// <summary>The options of `fit`, shared with `run`.</summary>
internal sealed class FitOptionSet
{
    public readonly Option<string?> Sample = new("--sample") { Description = "rows to fit on: a count (100000) or a share (10%); default all rows" };
    public readonly Option<string> Strategy = new("--strategy")
    {
        Description = "uniform | by-time (equal share per UTC hour)",
        DefaultValueFactory = _ => "uniform"
    };
    public readonly Option<string> Scale = new("--scale")
    {
        Description = "log10 | standard | minmax (all on floored log10 coefficients) | none " +
        "(rows as they are)",
        DefaultValueFactory = _ => "standard"
    };
    public readonly Option<double> Floor = new("--floor")
    {
        Description = "coefficients below floor × the window's largest are raised to it before " +
        "log10 (0 = scatseisnet's plain log10)",
        DefaultValueFactory = _ => 1e-5
    };
    public readonly Option<string> Recipe = new("--recipe")
    {
        Description = "auto (events for seismic stations, log for DAS fibres) | events (transient contrasts, and levels relative to each " +
        "station's background) | log (log10 of every coefficient, scatseisnet's tutorial)",
        DefaultValueFactory = _ => "auto"
    };
    public readonly Option<string> Reduce = new("--reduce") { Description = "pca:K | ica:K | none", DefaultValueFactory = _ => "pca:10" };
    public readonly Option<string> Merge = new("--merge")
    {
        Description = "with --clusters auto: entropy:T combines the mixture's overlapping components while a join lowers the " +
        "assignment entropy by at least T per window | none",
        DefaultValueFactory = _ => "entropy:0.05"
    };
    public readonly Option<string> Join = new("--join")
    {
        Description = "after the merging: stations:S joins clusters whose windows coincide across stations (one source recorded near and " +
        "far) when a share S of one's windows, above chance, has a window of the other at another station within half a window | none",
        DefaultValueFactory = _ => FormattableString.Invariant($"stations:{NetworkCoincidence.DefaultThreshold}")
    };
    public readonly Option<string> JoinLocal = new("--join-local")
    {
        Description = "with the join: L joins the station-local clusters, whose windows have an event window at another station less " +
        "often than a share L above chance (glitches, a sensor's own noise) | none",
        DefaultValueFactory = _ => FormattableString.Invariant($"{NetworkCoincidence.DefaultLocalThreshold}")
    };
    public readonly Option<string> Clusterer = new("--clusterer") { Description = "gmm | kmeans", DefaultValueFactory = _ => "gmm" };
    public readonly Option<string> Clusters = new("--clusters") { Description = "K, or auto:MIN-MAX (chosen by BIC)", DefaultValueFactory = _ => "auto:2-12" };
    public readonly Option<int> Levels = new("--levels")
    {
        Description = "with --clusters auto: how deep the cluster tree may grow — each level refits the windows that are not background at the " +
            "level above (1: one mixture)",
        DefaultValueFactory = _ => ClusterTree.DefaultLevels,
    };
    public readonly Option<string> Covariance = new("--covariance") { Description = "full | diag | tied | spherical", DefaultValueFactory = _ => "full" };
    public readonly Option<string?> Init = new("--init")
    {
        Description = "FILE.h5:/group with means_init [weights_init, precisions_init] " +
        "(scikit-learn names)"
    };
    public readonly Option<ulong> Seed = new("--seed") { Description = "random seed", DefaultValueFactory = _ => 0 };
    public readonly Option<int> NInit = new("--n-init") { Description = "EM restarts", DefaultValueFactory = _ => 1 };
    public readonly Option<double> Reg = new("--reg-covar") { Description = "added to covariance diagonals", DefaultValueFactory = _ => 1e-6 };
    public readonly Option<int> MaxIter = new("--max-iter") { Description = "EM iterations", DefaultValueFactory = _ => 100 };
    public readonly Option<double> Tol = new("--tol") { Description = "EM convergence on the mean log-likelihood", DefaultValueFactory = _ => 1e-3 };
    public readonly Option<string> Nan = new("--nan") { Description = "drop (count and skip rows with NaN/Inf) | refuse", DefaultValueFactory = _ => "drop" };
    /// <summary>`run` hands in the features' options so the command has one --memory and one --threads.</summary>
    public Option<string> Memory { get; init; } = MemoryOption.Create();
    public Option<int> Threads { get; init; } = ThreadsOption.Create("EM threads");

    public void AddTo(Command c)
    {
        foreach (var o in new Option[] { Sample, Strategy, Scale, Floor, Recipe, Reduce, Merge, Join, JoinLocal,
            Clusterer, Clusters, Levels, Covariance, Init, Seed,
            NInit, Reg, MaxIter, Tol, Nan }) c.Options.Add(o);
        if (!c.Options.Contains(Memory)) c.Options.Add(Memory);
        if (!c.Options.Contains(Threads)) c.Options.Add(Threads);
    }

    public FitOptions Read(ParseResult p)
    {
        var o = new FitOptions
        {
            Strategy = p.GetValue(Strategy) switch
            {
                "uniform" => SamplingStrategy.Uniform,
                "by-time" => SamplingStrategy.ByTime,
                var s => throw new SeiscatException($"--strategy {s}: use uniform or by-time")
            },
            Transform = new TransformOptions
            {
                Floor = p.GetValue(Floor) is var fl && fl >= 0 && fl < 1 ? fl : throw new SeiscatException($"--floor {fl}: use 0 ≤ floor < 1"),
                Scale = CliOptions.Scale(p.GetValue(Scale)!),
                Recipe = CliOptions.Recipe(p.GetValue(Recipe)!),
            },
            MergeThreshold = CliOptions.Merge(p.GetValue(Merge)!),
            JoinThreshold = CliOptions.Join(p.GetValue(Join)!),
            LocalJoinThreshold = CliOptions.JoinLocal(p.GetValue(JoinLocal)!),
            KMeans = p.GetValue(Clusterer) switch
            {
                "gmm" => false,
                "kmeans" => true,
                var s => throw new SeiscatException($"--clusterer {s}: use gmm or kmeans")
            },
            Gmm = new GmmOptions
            {
                Components = 1,
                Covariance = CliOptions.Covariance(p.GetValue(Covariance)!),
                NInit = p.GetValue(NInit),
                RegCovar = p.GetValue(Reg),
                MaxIter = p.GetValue(MaxIter),
                Tol = p.GetValue(Tol),
                Threads = ThreadsOption.Read(p, Threads),
            },
            RefuseNonFinite = p.GetValue(Nan) switch
            {
                "drop" => false,
                "refuse" => true,
                var s => throw new SeiscatException($"--nan {s}: use drop or refuse")
            },
            Seed = p.GetValue(Seed),
            Memory = MemoryOption.Read(p, Memory),
            Levels = p.GetValue(Levels) is var lv && lv is >= 1 and <= 8 ? lv : throw new SeiscatException($"--levels {lv}: use 1..8"),
        };
        o = o with { Transform = CliOptions.Reduce(p.GetValue(Reduce)!, o.Transform) };
        var c = p.GetValue(Clusters)!;
        if (c.StartsWith("auto", StringComparison.Ordinal))
        {
            var range = c.Length > 5 ? c[5..].Split('-') : ["2", "12"];
            if (range.Length != 2 || !int.TryParse(range[0], out var lo) || !int.TryParse(range[1], out var hi) || lo < 1 || hi < lo)
                throw new SeiscatException($"--clusters {c}: use K or auto:MIN-MAX, e.g. auto:2-12");
            o = o with { AutoRange = (lo, hi), Clusters = lo };
            if (o.KMeans) throw new SeiscatException("--clusters auto needs --clusterer gmm (BIC); give k-means a fixed K");
        }
        else o = int.TryParse(c, out var k)
            && k >= 1 ? o with { Clusters = k } : throw new SeiscatException($"--clusters {c}: use a positive K or auto:MIN-MAX");
        if (p.GetValue(Sample) is { } sampleText)
        {
            if (sampleText.EndsWith('%') && double.TryParse(sampleText[..^1], CultureInfo.InvariantCulture, out var pct) && pct > 0
                && pct <= 100) o = o with { SampleFraction = pct / 100 };
            else if (long.TryParse(sampleText, out var cnt) && cnt > 0) o = o with { SampleCount = cnt };
            else throw new SeiscatException($"--sample {sampleText}: use a positive count or a percentage such as 10%");
        }
        if (p.GetValue(Init) is { } initSpec) o = o with { Init = GmmInitFile.Read(initSpec) };
        return o;
    }
}
