using Seiscat.Engine.Common;
using Seiscat.Engine.Pipeline.Run;

namespace Seiscat.Cli;

/// <summary>
/// `run`'s one display: a single progress line on stderr naming the stage (run 1/3 features: done/total, rate, ETA),
/// redrawn in place on a terminal and written as plain lines every 10 s otherwise; each stage's one-line summary and
/// details on stdout, warnings on stderr.
/// </summary>
internal sealed class RunDisplay(TextWriter output, TextWriter error, int stages) : IRunObserver
{
    private ProgressLine? _line;
    private RunStage? _current;

    public void Started(RunStage stage, long total)
    {
        _current = stage;
        _line = new ProgressLine(error, $"run {Number(stage)}/{stages} {Name(stage)}", stage is RunStage.Features or RunStage.Predict ? "windows" : "items");
    }

    public void Progress(RunStage stage, StageProgress progress)
    {
        if (_current != stage) Started(stage, progress.Total);
        _line!.Report(progress);
    }

    public void Finished(RunStage stage, string summary, bool upToDate)
    {
        _line = null;
        _current = null;
        // Numbered like the progress line, so a stage without progress (fit) is seen in its place: run 2/3 fit: wrote …
        output.WriteLine($"run {Math.Min(Number(stage), stages)}/{stages} {Name(stage)}: {CliSettings.Render(summary)}");
    }

    public void Detail(string line) => output.WriteLine(CliSettings.Render(line));

    public void Warning(string text) => error.WriteLine("seiscat: warning: " + CliSettings.Render(text));

    private static string Name(RunStage s) => s.ToString().ToLowerInvariant();

    private static int Number(RunStage s) => s switch
    {
        RunStage.Features => 1,
        RunStage.Fit => 2,
        RunStage.Predict or RunStage.Evaluate => 3,
        _ => 4,
    };
}
