using Seiscat.Engine.Pipeline;
using Seiscat.Engine.Scattering.Paper;
using Seiscat.Engine.Tests.Scattering;
using Seiscat.Native.Hdf5;
using Seiscat.Tests.Shared;

namespace Seiscat.Engine.Tests.Learning;

/// <summary>
/// `learn` stopped after an epoch resumes at the next one and ends with the same bytes as a run that was never
/// stopped; and the steps of an epoch lower the loss of that epoch's fixed model on a sample where they should.
/// </summary>
[Collection("native-hdf5-engine")]
public class LearnResumeTests
{
    private static (string Segments, string Config) Setup(TestPaths.TempDir dir)
    {
        var x = PaperGradientTests.Windows(48, 2, PaperGradientTests.Small.Bins, 21).Select(v => (float)v).ToArray();
        using (var f = H5File.Create(dir.File("w.h5"))) f.WriteDataset<float>("windows", x, [48, 2, PaperGradientTests.Small.Bins]);
        File.WriteAllText(dir.File("paper.json"), (PaperGradientTests.Small with { PcaComponents = 3, GmmComponents = 3, Batch = 8 }).ToJson());
        return (dir.File("w.h5"), dir.File("paper.json"));
    }

    private static LearnRequest Request(string segments, string config, int threads) => new()
    {
        Features = new FeaturesRequest { Paths = [], ConfigPath = config, Threads = threads },
        Segments = (segments, "/windows"),
        Epochs = 3,
        Sample = 40,
        Seed = 9,
    };

    [Fact]
    public void A_stopped_run_resumes_at_the_next_epoch_with_the_same_bytes()
    {
        using var dir = TestPaths.NewTempDir();
        var (segments, config) = Setup(dir);
        var whole = LearnJob.Run(Request(segments, config, 2), dir.File("whole"), []);
        Assert.Equal(3, whole.History.Count);
        Assert.Equal(0, whole.ResumedEpochs);

        using var stop = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            LearnJob.Run(Request(segments, config, 1), dir.File("cut"), [], (e, _) => { if (e.Epoch == 1) stop.Cancel(); }, stop.Token));
        using (var state = H5File.OpenRead(Path.Combine(dir.File("cut"), LearnJob.StateName))) Assert.Equal(1, state.ReadInt64Attribute("epoch"));
        var resumed = LearnJob.Run(Request(segments, config, 3), dir.File("cut"), []);
        Assert.Equal(1, resumed.ResumedEpochs);
        foreach (var name in new[] { LearnJob.BankName, LearnJob.WaveletsName })
            Assert.Equal(File.ReadAllBytes(Path.Combine(dir.File("whole"), name)), File.ReadAllBytes(Path.Combine(dir.File("cut"), name)));
        Assert.Equal(whole.Learned.ToJson(), resumed.Learned.ToJson());

        // A changed request (another seed) does not resume from the other run's state.
        var other = LearnJob.Run(Request(segments, config, 2) with { Seed = 10 }, dir.File("cut"), []);
        Assert.Equal(0, other.ResumedEpochs);
        Assert.NotEqual(whole.Learned.ToJson(), other.Learned.ToJson());
    }

    [Fact]
    public void Full_batch_steps_lower_the_epoch_loss_of_the_fixed_model()
    {
        using var dir = TestPaths.NewTempDir();
        var (segments, config) = Setup(dir);
        File.WriteAllText(config, (PaperConfig.Parse(File.ReadAllText(config)) with { Batch = 40, LearningRate = 1e-3 }).ToJson());
        var result = LearnJob.Run(Request(segments, config, 2) with { Epochs = 2 }, dir.File("l"), []);
        foreach (var e in result.History) Assert.True(e.StepsLoss < e.RefitLoss, $"epoch {e.Epoch}: {e.RefitLoss} before the step, {e.StepsLoss} after");
    }
}
