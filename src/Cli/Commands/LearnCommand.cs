using System.CommandLine;
using System.Globalization;
using Seiscat.Cli.Report;
using Seiscat.Engine.Pipeline;

namespace Seiscat.Cli.Commands;

/// <summary>`seiscat learn`: the paper's learnable wavelets, trained on the clustering loss over a sample of the archive.</summary>
internal static class LearnCommand
{
    public static Command Create()
    {
        var command = new Command("learn",
            "Learn the wavelets of the paper's deep scattering network (Seydoux et al. 2020) on a sample of windows drawn across the archive: " +
            "bank.h5 for `features --bank` and `run --bank`, every epoch's wavelets, the loss, learn.html.");
        var features = new FeaturesOptionSet(sharded: false);
        features.AddTo(command);
        features.Config.Description = "paper network configuration (\"network\": \"paper\", docs/paper.json); default: the paper's network " +
            "(depth 3, (4,8) (6,2) (8,1), stride 4, 7 knots, 1024-sample windows) at the archive's rate";
        features.Bank.Description = "continue from a learned bank (bank.h5) instead of the initial wavelets";
        features.Archive.Paths.Arity = ArgumentArity.ZeroOrMore;
        var segments = new Option<string?>("--segments")
        {
            Description = "learn on pre-cut windows instead of an archive: FILE.h5:/path, (n, channels, samples) or (n, samples); with --config or --bank"
        };
        var labels = new Option<string?>("--labels")
        {
            Description = "with --segments: one label per window (FILE.h5:/labels) to score the initial and the learned bank side by side " +
                "(archives: the truth.csv beside them)"
        };
        var output = new Option<string>("--out") { Description = "output folder", Required = true };
        var epochs = new Option<int>("--epochs") { Description = "epochs (PCA and mixture refitted at the start of each)", DefaultValueFactory = _ => 10 };
        var sample = new Option<int>("--sample") { Description = "windows drawn across the archive, uniformly", DefaultValueFactory = _ => 1000 };
        var seed = new Option<ulong>("--seed")
        {
            Description = "random seed (same seed and inputs, same bits, any thread count)",
            DefaultValueFactory = _ => 0,
        };
        foreach (var o in new Option[] { segments, labels, output, epochs, sample, seed }) command.Options.Add(o);
        command.SetAction(p =>
        {
            var o = p.InvocationConfiguration.Output;
            var warnings = new List<string>();
            var fr = features.Read(p);
            (string, string)? windows = p.GetValue(segments) is { } text ? Seiscat.Engine.Io.DatasetPath.Split(text, "--segments") : null;
            if ((windows is null) == (fr.Paths.Count == 0))
                throw new Seiscat.Engine.SeiscatException("learn on an archive (files or folders) or on pre-cut windows (--segments), one of the two");
            var request = new LearnRequest
            {
                Features = fr,
                Epochs = p.GetValue(epochs),
                Sample = p.GetValue(sample),
                Seed = p.GetValue(seed),
                Segments = windows,
                Labels = p.GetValue(labels) is { } l ? Seiscat.Engine.Io.DatasetPath.Split(l, "--labels") : null,
            };
            var dir = p.GetValue(output)!;
            var result = LearnJob.Run(request, dir, warnings, (e, total) => o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"epoch {e.Epoch}/{total} loss {e.Loss:0.0000} (all windows, this epoch's model: {e.RefitLoss:0.0000} before the steps, " +
                    $"{e.StepsLoss:0.0000} after; learning rate {e.LearningRate:G3}; {e.Seconds:0.0} s)")));
            foreach (var w in warnings) p.InvocationConfiguration.Error.WriteLine("seiscat: warning: " + CliSettings.Render(w));
            if (result.ResumedEpochs > 0) o.WriteLine($"resumed after epoch {result.ResumedEpochs} (learn-state.h5)");
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"learned on {result.Windows} of {result.ArchiveWindows} windows × {result.Features} features in {result.Seconds:0.0} s; {result.Described}"));
            o.WriteLine($"bank: {Path.Combine(dir, LearnJob.BankName)} (use with features --bank or run --bank)");
            if (result.Evaluation is { } ev)
            {
                o.WriteLine($"initial bank against {ev.Source}: {EvaluateJob.Summary(ev.Initial)}");
                o.WriteLine($"learned bank against {ev.Source}: {EvaluateJob.Summary(ev.Learned)}");
            }
            o.WriteLine($"report: {LearnReport.Write(dir, result)}");
            return 0;
        });
        return command;
    }
}
