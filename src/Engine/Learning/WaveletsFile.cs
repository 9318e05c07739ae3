using System.Globalization;
using Seiscat.Engine.Common;
using Seiscat.Engine.Scattering.Paper;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Learning;

/// <summary>
/// <c>wavelets.h5</c> ("seiscat-wavelets-1"), readable with h5py: the bank of every epoch of a `learn` run under
/// <c>epoch_000</c> (initial), <c>epoch_001</c>, … in <see cref="PaperBank"/>'s layout, and per epoch the loss,
/// the refitted loss, the loss after the steps and the learning rate.
/// </summary>
public static class WaveletsFile
{
    /// <summary>Every epoch's wavelets (index = epoch, 0 = initial) and the per-epoch records.</summary>
    public static void Save(string path, IReadOnlyList<PaperConfig> epochs, IReadOnlyList<EpochRecord> history)
    {
        using var output = new AtomicOutput(path);
        using (var f = H5File.Create(output.TempPath))
        {
            FileFormat.Wavelets.Stamp(f);
            for (var e = 0; e < epochs.Count; e++)
            {
                using var g = f.CreateGroup(string.Create(CultureInfo.InvariantCulture, $"epoch_{e:000}"));
                PaperBank.WriteBank(g, epochs[e], e);
            }
            f.WriteDataset<double>("loss", history.Select(h => h.Loss).ToArray(), [history.Count]);
            f.WriteDataset<double>("refit_loss", history.Select(h => h.RefitLoss).ToArray(), [history.Count]);
            f.WriteDataset<double>("steps_loss", history.Select(h => h.StepsLoss).ToArray(), [history.Count]);
            f.WriteDataset<double>("learning_rate", history.Select(h => h.LearningRate).ToArray(), [history.Count]);
        }
        output.Commit();
    }
}
