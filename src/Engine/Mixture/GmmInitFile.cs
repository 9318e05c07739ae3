using Seiscat.Engine.Common;
using Seiscat.Engine.Io;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Mixture;

/// <summary>
/// A Gaussian mixture's starting point as scikit-learn takes it: an HDF5 group (<c>FILE.h5:/group</c>) holding
/// <c>means_init</c> (k × d) and optionally <c>weights_init</c> (k) and <c>precisions_init</c> (k × d × d), the shapes of
/// GaussianMixture's <c>means_init</c>, <c>weights_init</c> and <c>precisions_init</c>.
/// </summary>
public static class GmmInitFile
{
    public static GmmInit Read(string spec)
    {
        var (file, group) = DatasetPath.Split(spec, Setting.Init.Ref());
        if (!File.Exists(file)) throw SeiscatException.For(file, group, "no such file", "pass FILE.h5:/group holding means_init");
        if (!H5File.IsHdf5(file)) throw SeiscatException.For(file, group, "is not an HDF5 file", "pass FILE.h5:/group holding means_init");
        Hdf5Vetting.Ensure([file]);
        using var f = H5File.OpenRead(file);
        if (!f.Exists(group + "/means_init")) throw SeiscatException.For(file, group + "/means_init", "missing",
            "the group needs means_init (k × d), optionally weights_init and precisions_init");
        double[]? Optional(string name) => f.Exists($"{group}/{name}") ? f.ReadDataset<double>($"{group}/{name}") : null;
        return new GmmInit(f.ReadDataset<double>(group + "/means_init"), Optional("weights_init"), Optional("precisions_init"));
    }
}
