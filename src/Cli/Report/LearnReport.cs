using System.Globalization;
using System.Net;
using System.Text;
using ScottPlot;
using Seiscat.Engine.Learning;
using Seiscat.Engine.Pipeline;
using Seiscat.Engine.Scattering.Paper;

namespace Seiscat.Cli.Report;

/// <summary>
/// learn.html: the loss per epoch, and per layer the learned wavelets against the initial ones in time and in frequency
/// (|DTFT| of the peak-normalised wavelets, every scale), with the centre frequencies and bandwidths measured on them.
/// Drawing only: the banks come from the engine.
/// </summary>
internal static class LearnReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static string Write(string dir, LearnResult result)
    {
        var images = new ReportImages(dir);
        var history = result.History;
        LossCurve(images, history);
        var initial = new PaperNetwork(result.Initial);
        var learned = new PaperNetwork(result.Learned);
        for (var l = 0; l < initial.Depth; l++)
        {
            var (a, b) = (initial.Banks[l], learned.Banks[l]);
            var time = new Plot();
            foreach (var (bank, name, i) in new[] { (a, "initial", 0), (b, "learned", 0), (a, "initial", a.Count - 1), (b, "learned", b.Count - 1) })
            {
                var (times, values) = bank.Wavelet(i);
                var line = time.Add.Scatter(times.Select(t => t / bank.SamplingRate).ToArray(), values);
                line.MarkerSize = 0;
                line.LegendText = string.Create(C, $"{name}, scale {bank.Scales[i]:0.##}");
                if (name == "initial") line.LinePattern = LinePattern.Dashed;
            }
            time.Title(string.Create(C, $"Layer {l + 1} wavelets (real part before the analytic step; at {a.SamplingRate:0.###} Hz)"));
            time.XLabel("time (s)");
            time.YLabel("amplitude (peak = 1)");
            time.ShowLegend(Alignment.UpperRight);
            images.Save(time, $"wavelets_layer{l + 1}.png", $"Layer {l + 1}: the smallest and the largest scale, initial (dashed) and learned.");

            var freq = new Plot();
            foreach (var (bank, learnedBank) in new[] { (a, false), (b, true) })
                for (var i = 0; i < bank.Count; i++)
                {
                    var magnitude = bank.FineSpectrum(i, 4096);
                    var hz = Enumerable.Range(1, magnitude.Length - 1).Select(k => Math.Log10(k * bank.SamplingRate / 4096)).ToArray();
                    var line = freq.Add.Scatter(hz, magnitude.Skip(1).ToArray());
                    line.MarkerSize = 0;
                    line.Color = learnedBank ? Colors.Category10[i % 10] : Colors.Gray.WithAlpha(0.5);
                    if (!learnedBank) line.LinePattern = LinePattern.Dashed;
                }
            freq.Title($"Layer {l + 1} filter bank: |Ψ(f)|, initial (grey, dashed) and learned");
            freq.XLabel("log10 frequency (Hz)");
            freq.YLabel("|Ψ|");
            images.Save(freq, $"spectra_layer{l + 1}.png", $"Layer {l + 1}: every wavelet's amplitude spectrum.");
        }
        var body = new StringBuilder();
        body.Append(C, $"<p>Learned on {result.Windows} of {result.ArchiveWindows} windows ({result.Features} features each), ")
            .Append(C, $"{history.Count} epochs, {result.Seconds:0.0} s; {WebUtility.HtmlEncode(result.Described)}.</p>");
        body.Append("<table><tr><th>epoch</th><th>loss</th><th>before the steps</th><th>after the steps</th><th>learning rate</th><th>s</th></tr>");
        foreach (var h in history)
            body.Append(C, $"<tr><td>{h.Epoch}</td><td>{h.Loss:0.0000}</td><td>{h.RefitLoss:0.0000}</td><td>{h.StepsLoss:0.0000}</td>")
                .Append(C, $"<td>{h.LearningRate:G3}</td>")
                .Append(C, $"<td>{h.Seconds:0.0}</td></tr>");
        if (result.Evaluation is { } ev)
        {
            body.Append(C, $"</table><h2>Clusters against {WebUtility.HtmlEncode(ev.Source)}</h2><p>The paper's model (PCA + mixture) refitted ")
                .Append("on the sampled windows' features of each bank; each window in its most probable component.</p>")
                .Append("<table><tr><th>bank</th><th>ARI</th><th>NMI</th><th>event classes recovered</th><th>noise in noise clusters</th></tr>");
            foreach (var (name, r) in new[] { ("initial", ev.Initial), ("learned", ev.Learned) })
                body.Append(C, $"<tr><td>{name}</td><td>{r.AdjustedRand:0.000}</td><td>{r.NormalizedMutualInfo:0.000}</td>")
                    .Append(C, $"<td>{r.RecoveredClasses} of {r.EventClasses}</td><td>{r.BackgroundInBackgroundClusters:P1}</td></tr>");
        }
        body.Append("</table><h2>Centre frequencies (Hz), initial → learned</h2><table><tr><th>layer</th><th>wavelet</th><th>initial</th><th>learned</th>")
            .Append("<th>bandwidth initial</th><th>bandwidth learned</th></tr>");
        for (var l = 0; l < initial.Depth; l++)
            for (var i = 0; i < initial.Banks[l].Count; i++)
                body.Append(C, $"<tr><td>{l + 1}</td><td>{i}</td><td>{initial.Banks[l].CentersHz[i]:G4}</td><td>{learned.Banks[l].CentersHz[i]:G4}</td>")
                    .Append(C, $"<td>{initial.Banks[l].BandwidthsHz[i]:G4}</td><td>{learned.Banks[l].BandwidthsHz[i]:G4}</td></tr>");
        body.Append("</table>");
        return images.WritePage("learn.html", "seiscat learn", body.ToString());
    }

    private static void LossCurve(ReportImages images, IReadOnlyList<EpochRecord> history)
    {
        if (history.Count > 0)
        {
            var plot = new Plot();
            var epochs = history.Select(h => (double)h.Epoch).ToArray();
            var steps = plot.Add.Scatter(epochs, history.Select(h => h.Loss).ToArray());
            steps.LegendText = "mean loss over the epoch's gradient steps";
            var refit = plot.Add.Scatter(epochs, history.Select(h => h.RefitLoss).ToArray());
            refit.LegendText = "all windows, the epoch's refitted PCA + mixture, before the steps";
            var after = plot.Add.Scatter(epochs, history.Select(h => h.StepsLoss).ToArray());
            after.LegendText = "the same model after the steps";
            plot.Title("Clustering loss (negative log-likelihood per window)");
            plot.XLabel("epoch");
            plot.YLabel("loss");
            plot.ShowLegend(Alignment.UpperRight);
            images.Save(plot, "loss.png", "The loss per epoch: PCA and the mixture are refitted at the start of each epoch, then held fixed.");
        }
    }
}
