using Seiscat.Engine.Common;
using Seiscat.Engine.Mixture;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Learning;

/// <summary>
/// learn-state.h5: where `learn` stands after its last finished epoch (parameters, their trajectory, Adam's moments and
/// step count, the mixture that warm-starts the next epoch, the per-epoch records), under the fingerprint of everything
/// the learning depends on. Written through a temporary name after every epoch, so a killed run resumes from there.
/// </summary>
public static class LearnStateFile
{

    public static void Save(string path, string fingerprint, LearnState state)
    {
        using var output = new AtomicOutput(path);
        using (var f = H5File.Create(output.TempPath))
        {
            FileFormat.LearnState.Stamp(f);
            f.WriteAttribute("fingerprint", fingerprint);
            f.WriteAttribute("epoch", (long)state.Epoch);
            f.WriteAttribute("adam_steps", state.Optimiser.Steps);
            var p = state.Parameters.Length;
            f.WriteDataset<double>("parameters", state.Parameters, [p]);
            f.WriteDataset<double>("trajectory", state.Trajectory.SelectMany(t => t).ToArray(), [state.Trajectory.Count, p]);
            f.WriteDataset<double>("adam_first_moment", state.Optimiser.FirstMoment, [p]);
            f.WriteDataset<double>("adam_second_moment", state.Optimiser.SecondMoment, [p]);
            var h = state.History;
            f.WriteDataset<double>("history", h.SelectMany(e => new[] { e.Epoch, e.Loss, e.RefitLoss, e.StepsLoss, e.LearningRate, e.Seconds }).ToArray(),
                [h.Count, 6]);
            if (state.Mixture is { } m)
            {
                f.WriteDataset<double>("mixture_means", m.Means, [m.Means.Length]);
                f.WriteDataset<double>("mixture_weights", m.Weights!, [m.Weights!.Length]);
                f.WriteDataset<double>("mixture_precisions", m.Precisions!, [m.Precisions!.Length]);
            }
        }
        output.Commit();
    }

    /// <summary>The saved state when the file exists and has this fingerprint; else null (a fresh start).</summary>
    public static LearnState? TryLoad(string path, string fingerprint)
    {
        if (!File.Exists(path) || !H5File.IsHdf5(path)) return null;
        try
        {
            using var f = H5File.OpenRead(path);
            if (FileFormat.LearnState.Mismatch(f) is not null || f.ReadStringAttribute("fingerprint") != fingerprint) return null;
            var theta = f.ReadDataset<double>("parameters");
            var p = theta.Length;
            var trajectory = f.ReadDataset<double>("trajectory");
            var history = f.ReadDataset<double>("history");
            return new LearnState
            {
                Epoch = (int)f.ReadInt64Attribute("epoch"),
                Parameters = theta,
                Trajectory = Enumerable.Range(0, trajectory.Length / p).Select(i => trajectory.AsSpan(i * p, p).ToArray()).ToList(),
                Optimiser = new Adam(p)
                {
                    FirstMoment = f.ReadDataset<double>("adam_first_moment"),
                    SecondMoment = f.ReadDataset<double>("adam_second_moment"),
                    Steps = f.ReadInt64Attribute("adam_steps"),
                },
                History = Enumerable.Range(0, history.Length / 6).Select(i => new EpochRecord((int)history[6 * i], history[6 * i + 1], history[6 * i + 2],
                    history[6 * i + 3], history[6 * i + 4], history[6 * i + 5])).ToList(),
                Mixture = f.Exists("mixture_means")
                    ? new GmmInit(f.ReadDataset<double>("mixture_means"), f.ReadDataset<double>("mixture_weights"), f.ReadDataset<double>("mixture_precisions"))
                    : null,
            };
        }
        catch (Exception e) when (e is Hdf5Exception or SeiscatException) { return null; }
    }
}
