using Seiscat.Engine;

namespace Seiscat.Cli;

/// <summary>
/// The CLI's name for each setting engine messages point at (<see cref="Setting"/>). CliSettingsTests proves every
/// setting has a flag here and that some command really has that option, so messages cannot name a flag that is gone.
/// </summary>
internal static class CliSettings
{
    public static string Flag(Setting s) => s switch
    {
        Setting.Output => "--out",
        Setting.Config => "--config",
        Setting.Window => "--window",
        Setting.Step => "--step",
        Setting.Decimation => "--decimate",
        Setting.Components => "--components",
        Setting.Layout => "--layout",
        Setting.Tag => "--tag",
        Setting.Dataset => "--dataset",
        Setting.Rate => "--rate",
        Setting.RateAttribute => "--rate-attr",
        Setting.Start => "--start",
        Setting.StartAttribute => "--start-attr",
        Setting.Threads => "--threads",
        Setting.Memory => "--memory",
        Setting.Shard => "--shard",
        Setting.ShardCount => "--num-shards",
        Setting.CheckpointWindows => "--checkpoint-windows",
        Setting.Segments => "--segments",
        Setting.Sample => "--sample",
        Setting.Strategy => "--strategy",
        Setting.Scale => "--scale",
        Setting.Floor => "--floor",
        Setting.Reduce => "--reduce",
        Setting.Clusters => "--clusters",
        Setting.Covariance => "--covariance",
        Setting.RegCovar => "--reg-covar",
        Setting.Init => "--init",
        Setting.NanPolicy => "--nan",
        Setting.Repeats => "--repeats",
        Setting.StationCount => "--stations",
        Setting.Hours => "--hours",
        Setting.EventRate => "--event-rate",
        Setting.Recipe => "--recipe",
        Setting.Merge => "--merge",
        Setting.Stations => "--stations",
        Setting.Channels => "--channels",
        Setting.StackChannels => "--stack-channels",
        Setting.Unit => "--unit",
        Setting.Gain => "--gain",
        Setting.TemplateLength => "--length",
        Setting.PerCluster => "--per-cluster",
        Setting.PreOnset => "--pre",
        Setting.Band => "--band",
        Setting.Archive => "--archive",
        Setting.Threshold => "--threshold",
        Setting.MinSeparation => "--min-separation",
        Setting.ScatterPath => "--path",
        Setting.Bank => "--bank",
        Setting.Epochs => "--epochs",
        Setting.Seed => "--seed",
        _ => throw new ArgumentOutOfRangeException(nameof(s), s, "no CLI flag for this setting"),
    };

    /// <summary>Engine text (a message, a warning) with its settings named as flags.</summary>
    public static string Render(string text) => SettingText.Render(text, Flag);
}
