using System.Text.RegularExpressions;

namespace Seiscat.Engine;

/// <summary>
/// A user-settable choice that engine messages point at ("raise the memory budget"). The engine names the concept;
/// a front end names its own control for it: the CLI renders <see cref="Memory"/> as <c>--memory</c> (see
/// Cli/CliSettings.cs, whose test proves every setting maps to an option that exists). So messages and options
/// cannot drift apart, and a library caller gets plain words.
/// </summary>
public enum Setting
{
    Output, Config, Window, Step, Decimation, Components, Layout, Tag, Dataset, Rate, RateAttribute, Start, StartAttribute,
    Threads, Memory, Shard, ShardCount, CheckpointWindows, Segments,
    Sample, Strategy, Scale, Floor, Reduce, Clusters, Covariance, RegCovar, Init, NanPolicy, Repeats,
    StationCount, Hours, EventRate, Recipe, Merge, Stations, Channels, StackChannels, Unit, Gain,
    TemplateLength, PerCluster, PreOnset, Band, Archive, Threshold, MinSeparation,
    ScatterPath, Bank, Epochs, Seed,
}

public static partial class SettingText
{
    /// <summary>The token a message embeds for a setting; rendered by <see cref="Render"/>.</summary>
    public static string Ref(this Setting s) => $"\u27E8{s}\u27E9";

    /// <summary>The setting in plain words, for callers without flags.</summary>
    public static string Concept(Setting s) => s switch
    {
        Setting.Output => "the output path",
        Setting.Config => "the scattering configuration file",
        Setting.Window => "the window length",
        Setting.Step => "the window step",
        Setting.Decimation => "the decimation factor",
        Setting.Components => "the component selection",
        Setting.Layout => "the archive layout",
        Setting.Tag => "the ASDF waveform tag",
        Setting.Dataset => "the dataset names",
        Setting.Rate => "the sampling rate",
        Setting.RateAttribute => "the sampling-rate attribute",
        Setting.Start => "the start time",
        Setting.StartAttribute => "the start-time attribute",
        Setting.Threads => "the thread count",
        Setting.Memory => "the memory budget",
        Setting.Shard => "the shard index",
        Setting.ShardCount => "the shard count",
        Setting.CheckpointWindows => "the checkpoint size",
        Setting.Segments => "the segments dataset",
        Setting.Sample => "the sample size",
        Setting.Strategy => "the sampling strategy",
        Setting.Scale => "the feature scaling",
        Setting.Floor => "the log floor",
        Setting.Reduce => "the reduction",
        Setting.Clusters => "the number of clusters",
        Setting.Covariance => "the covariance type",
        Setting.RegCovar => "the covariance regularisation",
        Setting.Init => "the initial mixture",
        Setting.NanPolicy => "the NaN policy",
        Setting.Repeats => "the repeat count",
        Setting.StationCount => "the station count",
        Setting.Hours => "the duration",
        Setting.EventRate => "the event rate",
        Setting.Recipe => "the feature recipe",
        Setting.Merge => "the component merging",
        Setting.Stations => "the station selection",
        Setting.Channels => "the channel selection",
        Setting.StackChannels => "the channel stacking",
        Setting.Unit => "the clustering unit (station or channel)",
        Setting.Gain => "the gain removal",
        Setting.TemplateLength => "the template length",
        Setting.PerCluster => "the members per template",
        Setting.PreOnset => "the pre-onset share",
        Setting.Band => "the template band",
        Setting.Archive => "the archive location",
        Setting.Threshold => "the detection threshold (MAD multiple)",
        Setting.MinSeparation => "the minimum separation between detections",
        Setting.ScatterPath => "the scattering path (exact or fast)",
        Setting.Bank => "the learned wavelet bank",
        Setting.Epochs => "the number of epochs",
        Setting.Seed => "the random seed",
        _ => s.ToString(),
    };

    /// <summary>Replaces every setting token in <paramref name="text"/> by <paramref name="name"/>(setting).</summary>
    public static string Render(string text, Func<Setting, string> name)
        => TokenPattern().Replace(text, m => Enum.TryParse<Setting>(m.Groups[1].Value, out var s) ? name(s) : m.Value);

    [GeneratedRegex("\u27E8(\\w+)\u27E9", RegexOptions.CultureInvariant)]
    private static partial Regex TokenPattern();
}
