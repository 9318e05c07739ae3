using System.CommandLine;
using Seiscat.Engine;
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

    /// <summary>pca:K | ica:K | none onto transform options.</summary>
    public static Seiscat.Engine.Linear.TransformOptions Reduce(string text, Seiscat.Engine.Linear.TransformOptions options)
        => text == "none" ? options with { Reduce = Seiscat.Engine.Linear.ReduceKind.None }
            : text.Split(':') is [var kind and ("pca" or "ica"), var count] && int.TryParse(count, out var k) && k > 0
                ? options with { Reduce = kind == "pca" ? Seiscat.Engine.Linear.ReduceKind.Pca : Seiscat.Engine.Linear.ReduceKind.Ica, ReduceComponents = k }
                : throw new SeiscatException($"--reduce {text}: use pca:K, ica:K or none");

    public static Seiscat.Engine.Mixture.CovarianceType Covariance(string text)
        => Enum.TryParse<Seiscat.Engine.Mixture.CovarianceType>(text, true, out var t) ? t : throw new SeiscatException($"--covariance {text}: use full, diag, tied or spherical");

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
    public readonly Option<string?> Layout = new("--layout") { Description = "asdf | generic | prodml (default: sniffed per file)" };
    public readonly Option<string?> Tag = new("--tag") { Description = "ASDF waveform tag, e.g. raw_recording (default: the only tag present)" };
    public readonly Option<string[]> Datasets = new("--dataset") { Description = "generic layout: dataset paths or globs (repeatable)", AllowMultipleArgumentsPerToken = true };
    public readonly Option<bool> SamplesFirst = new("--samples-first") { Description = "generic 2-D arrays are samples × channels (default channels × samples)" };
    public readonly Option<string> RateAttr = new("--rate-attr") { Description = "generic: attribute with the sampling rate", DefaultValueFactory = _ => "sampling_rate" };
    public readonly Option<string> StartAttr = new("--start-attr") { Description = "generic: attribute with the start time (ns or ISO-8601)", DefaultValueFactory = _ => "starttime_ns" };
    public readonly Option<double?> Rate = new("--rate") { Description = "generic: sampling rate (Hz) when no attribute has it" };
    public readonly Option<string?> Start = new("--start") { Description = "generic: start time when no attribute has it" };

    public void AddTo(Command c)
    {
        c.Arguments.Add(Paths);
        foreach (var o in new Option[] { Layout, Tag, Datasets, SamplesFirst, RateAttr, StartAttr, Rate, Start }) c.Options.Add(o);
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
    };
}
