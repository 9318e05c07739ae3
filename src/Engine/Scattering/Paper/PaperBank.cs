using System.Globalization;
using Seiscat.Engine.Common;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Scattering.Paper;

/// <summary>
/// Learned wavelets on disk, readable with h5py. A bank file (<c>bank.h5</c>, format "seiscat-bank-1") is what
/// <c>features --bank</c> and <c>run --bank</c> read: root attribute <c>config</c> (the paper configuration with every
/// layer's learned <c>m</c> and <c>p</c>: the network is fully described by it), <c>epoch</c>, and one group per layer
/// (<c>layer_1</c>, …) holding <c>m</c>, <c>p</c> (raw spline values and derivatives on the knots), <c>scales</c>,
/// <c>centers_hz</c>, <c>bandwidths_hz</c> (measured on the peak-normalised wavelet's spectrum), <c>times</c> (integer
/// sample times, at the layer's rate) and <c>wavelets</c> (J × times, real, peak-normalised, zero outside each support).
/// `seiscat learn`'s wavelets file (<c>Learning/WaveletsFile</c>) holds the same groups for every epoch.
/// </summary>
public static class PaperBank
{

    public static void Save(string path, PaperConfig config, int epoch)
    {
        using var output = new AtomicOutput(path);
        using (var f = H5File.Create(output.TempPath))
        {
            FileFormat.Bank.Stamp(f);
            WriteBank(f, config, epoch);
        }
        output.Commit();
    }

    /// <summary>One bank's attributes and layer groups into <paramref name="g"/> (a bank file's root, or an epoch's group
    /// of a wavelets file).</summary>
    public static void WriteBank(H5Group g, PaperConfig config, int epoch)
    {
        g.WriteAttribute("config", config.ToJson());
        g.WriteAttribute("epoch", (long)epoch);
        var network = new PaperNetwork(config);
        for (var l = 0; l < network.Depth; l++)
        {
            using var layer = g.CreateGroup(string.Create(CultureInfo.InvariantCulture, $"layer_{l + 1}"));
            var bank = network.Banks[l];
            var (m, p) = config.Parameters(l);
            layer.WriteAttribute("sampling_rate", bank.SamplingRate);
            layer.WriteDataset<double>("m", m, [m.Length]);
            layer.WriteDataset<double>("p", p, [p.Length]);
            layer.WriteDataset<double>("scales", bank.Scales, [bank.Count]);
            layer.WriteDataset<double>("centers_hz", bank.CentersHz.ToArray(), [bank.Count]);
            layer.WriteDataset<double>("bandwidths_hz", bank.BandwidthsHz.ToArray(), [bank.Count]);
            var waves = Enumerable.Range(0, bank.Count).Select(bank.Wavelet).ToList();
            var first = waves.Min(w => w.Times.Length == 0 ? 0 : w.Times[0]);
            var last = waves.Max(w => w.Times.Length == 0 ? 0 : w.Times[^1]);
            var width = last - first + 1;
            var grid = new double[bank.Count * width];
            for (var i = 0; i < bank.Count; i++)
                for (var t = 0; t < waves[i].Times.Length; t++) grid[i * width + waves[i].Times[t] - first] = waves[i].Values[t];
            layer.WriteDataset<long>("times", Enumerable.Range(first, width).Select(t => (long)t).ToArray(), [width]);
            layer.WriteDataset<double>("wavelets", grid, [bank.Count, width]);
        }
    }

    /// <summary>The network configuration a bank file holds; one-line refusals name the file and what to pass instead.</summary>
    public static PaperConfig Load(string path)
    {
        const string Fix = "pass the bank.h5 that `seiscat learn` wrote";
        if (!File.Exists(path)) throw SeiscatException.For(path, null, "no such file", Fix);
        if (!H5File.IsHdf5(path)) throw SeiscatException.For(path, null, "is not HDF5", Fix);
        Hdf5Vetting.Ensure([path]);
        using var f = H5File.OpenRead(path);
        FileFormat.Bank.Ensure(f, path);
        if (!f.HasAttribute("config")) throw SeiscatException.For(path, "/", "is a bank file without its config attribute", Fix);
        return PaperConfig.Parse(f.ReadStringAttribute("config"), null, $"{path}:/config");
    }

    /// <summary>The configuration text stored in a bank file (for fingerprints), or "" when it cannot be read.</summary>
    public static string ConfigText(string path)
    {
        try { return Load(path).ToJson(); }
        catch (SeiscatException) { return ""; }
    }
}
