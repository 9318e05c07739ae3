using System.Globalization;
using Seiscat.Engine.Common;

namespace Seiscat.Engine.Learning;

/// <summary>loss.csv of a `learn` run: one row per epoch — epoch, loss, refitted loss, loss after the steps, learning rate
/// (all round-trip), seconds — for plotting the curve outside seiscat.</summary>
public static class LossFile
{
    public const string Name = "loss.csv";
    private const string Header = "epoch,loss,refit_loss,steps_loss,learning_rate,seconds";

    public static void Write(string path, IEnumerable<EpochRecord> history)
    {
        using var output = new AtomicOutput(path);
        using (var w = new StreamWriter(output.TempPath))
        {
            w.WriteLine(Header);
            foreach (var e in history)
                w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{e.Epoch},{e.Loss:R},{e.RefitLoss:R},{e.StepsLoss:R},{e.LearningRate:R},{e.Seconds:0.###}"));
        }
        output.Commit();
    }
}
