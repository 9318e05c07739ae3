using System.CommandLine;

namespace Seiscat.Cli.Commands;

/// <summary>Every subcommand, in the order `seiscat --help` lists them. Each lives in its own file.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return VersionCommand.Create();
        yield return DoctorCommand.Create();
        yield return SynthCommand.Create();
        yield return InspectCommand.Create();
        yield return ScatterCommand.Create();
        yield return FeaturesCommand.Create();
        yield return MergeCommand.Create();
        yield return FitCommand.Create();
        yield return PredictCommand.Create();
        yield return StabilityCommand.Create();
        yield return EvaluateCommand.Create();
        yield return RunCommand.Create();
        yield return LearnCommand.Create();
        yield return TemplatesCommand.Create();
        yield return MatchCommand.Create();
        yield return CleanCommand.Create();
        yield return VetCommand.Create();
        yield return BenchCommand.Create();
    }
}
