using System.CommandLine;
using Seiscat.Engine;
using Seiscat.Engine.Common;
using Seiscat.Engine.Io.Layouts;

namespace Seiscat.Cli.Commands;

internal static class CliOptions
{
    public static Seiscat.Engine.Linear.ScaleKind Scale(string text) => text switch
    {
        "log10" => Seiscat.Engine.Linear.ScaleKind.Log10,
        "standard" => Seiscat.Engine.Linear.ScaleKind.Standard,
        "minmax" => Seiscat.Engine.Linear.ScaleKind.MinMax,
        "none" => Seiscat.Engine.Linear.ScaleKind.None,
        _ => throw new SeiscatException($"--scale {text}: use log10, standard, minmax or none"),
    };

    public static Seiscat.Engine.Linear.FeatureRecipe Recipe(string text) => text switch
    {
        "events" => Seiscat.Engine.Linear.FeatureRecipe.Events,
        "log" => Seiscat.Engine.Linear.FeatureRecipe.Log,
        "auto" => Seiscat.Engine.Linear.FeatureRecipe.Auto,
        _ => throw new SeiscatException($"--recipe {text}: use auto, events or log"),
    };

    /// <summary>entropy:THRESHOLD | none: the merge threshold (null = none).</summary>
    public static double? Merge(string text)
    {
        if (text == "none") return null;
        if (text.StartsWith("entropy", StringComparison.Ordinal))
        {
            if (text == "entropy") return Seiscat.Engine.Mixture.ComponentMerging.DefaultThreshold;
            if (text.Length > 8 && text[7] == ':' && double.TryParse(text[8..], System.Globalization.NumberStyles.Float,
                    System.Globalization.CultureInfo.InvariantCulture, out var t) && t >= 0 && double.IsFinite(t)) return t;
        }
        throw new SeiscatException($"--merge {text}: use entropy:THRESHOLD (e.g. entropy:0.05) or none");
    }

    /// <summary>stations[:SCORE] | none: the join of clusters whose windows coincide across stations.</summary>
    public static double? Join(string text)
    {
        if (text == "none") return null;
        if (text == "stations") return Seiscat.Engine.Mixture.NetworkCoincidence.DefaultThreshold;
        if (text.StartsWith("stations:", StringComparison.Ordinal) && double.TryParse(text[9..], System.Globalization.NumberStyles.Float,
                System.Globalization.CultureInfo.InvariantCulture, out var t) && t > 0 && t <= 1) return t;
        throw new SeiscatException($"--join {text}: use stations:SCORE with 0 < SCORE ≤ 1 (e.g. stations:0.5) or none");
    }

    /// <summary>L | none: the join of station-local clusters.</summary>
    public static double? JoinLocal(string text)
    {
        if (text == "none") return null;
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var t) && t > 0 && t <= 1)
            return t;
        throw new SeiscatException($"--join-local {text}: use a share L with 0 < L ≤ 1 (e.g. 0.4) or none");
    }

    /// <summary>pca:K | ica:K | none onto transform options.</summary>
    public static Seiscat.Engine.Linear.TransformOptions Reduce(string text, Seiscat.Engine.Linear.TransformOptions options)
        => text == "none" ? options with { Reduce = Seiscat.Engine.Linear.ReduceKind.None }
            : text.Split(':') is [var kind and ("pca" or "ica"), var count] && int.TryParse(count, out var k) && k > 0
                ? options with { Reduce = kind == "pca" ? Seiscat.Engine.Linear.ReduceKind.Pca : Seiscat.Engine.Linear.ReduceKind.Ica, ReduceComponents = k }
                : throw new SeiscatException($"--reduce {text}: use pca:K, ica:K or none");

    public static Seiscat.Engine.Mixture.CovarianceType Covariance(string text)
        => Enum.TryParse<Seiscat.Engine.Mixture.CovarianceType>(text, true,
            out var t) ? t : throw new SeiscatException($"--covariance {text}: use full, diag, tied or spherical");

    public static Seiscat.Native.Fftw.FftwEffort Effort(string text)
    {
        try { return Seiscat.Native.Fftw.FftwPlan.ParseEffort(text); }
        catch (ArgumentException) { throw new SeiscatException($"--fftw {text}: use estimate, measure or patient"); }
    }
}

/// <summary>Options shared by the commands that read an archive.</summary>
internal sealed class ArchiveOptions
{
    public readonly Argument<string[]> Paths = new("paths") { Description = "HDF5 files or folders of .h5 files", Arity = ArgumentArity.OneOrMore };
    public readonly Option<string?> Layout = new("--layout")
    {
        Description = "asdf | prodml | gdr | das (Terra15, OptoDAS, Silixa, AP Sensing) | minidas | das-cf | das-simple | generic (default: sniffed per file)",
    };
    public readonly Option<string?> Tag = new("--tag") { Description = "ASDF waveform tag, e.g. raw_recording (default: the only tag present)" };
    public readonly Option<string[]> Datasets = new("--dataset")
    {
        Description = "generic layout: dataset paths or globs (repeatable)",
        AllowMultipleArgumentsPerToken = true
    };
    public readonly Option<bool> SamplesFirst = new("--samples-first")
    {
        Description = "generic 2-D arrays are samples × channels (default " +
        "channels × samples)"
    };
    public readonly Option<string> RateAttr = new("--rate-attr")
    {
        Description = "generic: attribute with the sampling rate",
        DefaultValueFactory = _ => "sampling_rate"
    };
    public readonly Option<string> StartAttr = new("--start-attr")
    {
        Description = "generic: attribute with the start time (ns or ISO-8601)",
        DefaultValueFactory = _ => "starttime_ns"
    };
    public readonly Option<double?> Rate = new("--rate") { Description = "generic: sampling rate (Hz) when no attribute has it" };
    public readonly Option<string?> Start = new("--start") { Description = "generic: start time when no attribute has it" };
    public readonly Option<string[]> Stations = new("--stations")
    {
        Description = "keep stations matching these SEED globs, e.g. 'BK.*' 'IV.BOB' (repeatable; * and ?, quote them)",
        AllowMultipleArgumentsPerToken = true
    };
    public readonly Option<string[]> Channels = new("--channels")
    {
        Description = "keep channels matching these SEED globs, e.g. '*.HH?' '*..BHZ', or DAS loci START:STOP[:STEP], e.g. 100:4000:2 (repeatable)",
        AllowMultipleArgumentsPerToken = true
    };

    public readonly Option<int> StackChannels = new("--stack-channels")
    {
        Description = "DAS: average N neighbouring channels (after --channels) into one unit: √N better SNR for coherent signals, N× fewer rows",
        DefaultValueFactory = _ => 1,
    };

    public void AddTo(Command c)
    {
        c.Arguments.Add(Paths);
        foreach (var o in new Option[] { Layout, Tag, Datasets, SamplesFirst, RateAttr, StartAttr, Rate, Start, Stations, Channels, StackChannels })
            c.Options.Add(o);
    }

    public LayoutOptions Read(ParseResult p) => new()
    {
        Layout = p.GetValue(Layout),
        Tag = p.GetValue(Tag),
        Datasets = p.GetValue(Datasets) ?? [],
        SamplesFirst = p.GetValue(SamplesFirst),
        RateAttribute = p.GetValue(RateAttr)!,
        StartAttribute = p.GetValue(StartAttr)!,
        Rate = p.GetValue(Rate),
        StartNs = p.GetValue(Start) is { } s ? TimeFormat.ParseInstant(s, "--start") : null,
        Stations = p.GetValue(Stations) ?? [],
        Channels = p.GetValue(Channels) ?? [],
        StackChannels = p.GetValue(StackChannels),
    };
}

/// <summary>`--memory`, shared by the commands whose buffers grow with the input.</summary>
internal static class MemoryOption
{
    public static Option<string> Create() => new("--memory")
    {
        Description = "peak memory to stay within, e.g. 1G, 512M, 64G: sizes buffers and samples, and refuses up front what cannot fit",
        DefaultValueFactory = _ => "1G",
    };

    public static MemoryBudget Read(ParseResult p, Option<string> o) => MemoryBudget.Parse(p.GetValue(o)!);
}

/// <summary>`--threads N`, all cores by default; outputs never depend on it (see DeterminismTests).</summary>
internal static class ThreadsOption
{
    public static Option<int> Create(string what = "worker threads") => new("--threads")
    {
        Description = $"{what} (default: all cores; the outputs are the same for any count)",
        DefaultValueFactory = _ => Environment.ProcessorCount,
    };

    public static int Read(ParseResult p, Option<int> o) => Math.Max(1, p.GetValue(o));
}

/// <summary>`--shard i --num-shards N`, defaulting from a Slurm array task or a Kubernetes indexed Job.</summary>
internal sealed class ShardOptions
{
    public readonly Option<int?> Shard = new("--shard")
    {
        Description = "this process's shard, 0..N-1 (default: $SLURM_ARRAY_TASK_ID − " +
        "$SLURM_ARRAY_TASK_MIN, or $JOB_COMPLETION_INDEX)"
    };
    public readonly Option<int?> NumShards = new("--num-shards")
    {
        Description = "number of shards N (default: $SLURM_ARRAY_TASK_COUNT, else 1); " +
        "join the outputs with seiscat merge"
    };

    public void AddTo(Command c)
    {
        c.Options.Add(Shard);
        c.Options.Add(NumShards);
    }

    public (int Index, int Count) Read(ParseResult p)
    {
        string source;
        int index;
        if (p.GetValue(Shard) is { } s) (index, source) = (s, "--shard");
        else if (Env("SLURM_ARRAY_TASK_ID") is { } task) (index, source) = (task - (Env("SLURM_ARRAY_TASK_MIN") ?? 0), "$SLURM_ARRAY_TASK_ID");
        else if (Env("JOB_COMPLETION_INDEX") is { } job) (index, source) = (job, "$JOB_COMPLETION_INDEX");
        else (index, source) = (0, "default");
        var count = p.GetValue(NumShards) ?? Env("SLURM_ARRAY_TASK_COUNT") ?? 1;
        if (count < 1) throw new SeiscatException($"--num-shards {count}: use 1 or more");
        if (index < 0 || index >= count)
            throw new SeiscatException($"shard {index} (from {source}) is outside 0..{count - 1}; pass --num-shards N (and --shard i) matching the " +
                $"array, e.g. --array=0-{Math.Max(index, 1)} with --num-shards {Math.Max(index + 1, 2)}");
        return (index, count);
    }

    private static int? Env(string name) => int.TryParse(Environment.GetEnvironmentVariable(name), out var v) ? v : null;
}
