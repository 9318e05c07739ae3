using Seiscat.Engine.Common;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Pipeline;

/// <summary>
/// Pre-cut windows in an HDF5 file: an (n, channels, samples) or (n, samples) array of numbers, as `scatter` and
/// `learn --segments` read them. Opening checks the file, the dataset and its shape, each failure one line naming them;
/// windows are read through H5Dread (they are small) and non-finite samples are refused, not guessed.
/// </summary>
public sealed class SegmentWindows : IDisposable
{
    private readonly H5File _file;
    private readonly H5Dataset _dataset;

    public string FilePath { get; }
    public string DatasetPath { get; }
    public long Count { get; }
    public int Channels { get; }
    public int Samples { get; }

    private SegmentWindows(string file, string dataset, H5File f, H5Dataset ds)
    {
        (FilePath, DatasetPath, _file, _dataset) = (file, dataset, f, ds);
        Count = ds.Dims[0];
        Channels = ds.Rank == 3 ? (int)ds.Dims[1] : 1;
        Samples = (int)ds.Dims[^1];
    }

    /// <summary>Opens and checks; <paramref name="bins"/> is the network's window length the windows must have.</summary>
    public static SegmentWindows Open(string file, string dataset, int bins)
    {
        if (!File.Exists(file)) throw SeiscatException.For(file, null, "no such file", $"check the {Setting.Segments.Ref()} path");
        if (!H5File.IsHdf5(file)) throw SeiscatException.For(file, null, "is not an HDF5 file", "pass FILE.h5:/dataset");
        Hdf5Vetting.Ensure([file]);
        var f = H5File.OpenRead(file);
        H5Dataset? ds = null;
        try
        {
            if (f.KindOf(dataset) != H5ObjectKind.Dataset)
                throw SeiscatException.For(file, dataset, "no such dataset", "list the file with h5ls -r and pass FILE.h5:/path/to/segments");
            ds = f.OpenDataset(dataset);
            var windows = new SegmentWindows(file, dataset, f, ds);
            if (ds.Type.Class is not (H5TypeClass.Float or H5TypeClass.Integer))
                throw SeiscatException.For(file, dataset, $"holds {ds.Type}, not numbers", "pass a float array of windows");
            if (ds.Rank is not (2 or 3))
                throw SeiscatException.For(file, dataset, $"has shape ({string.Join(", ", ds.Dims)}); expected (n, channels, samples) or (n, samples)",
                    "reshape the windows");
            if (windows.Samples != bins)
                throw SeiscatException.For(file, dataset, $"windows have {windows.Samples} samples but the configuration's bins is {bins}",
                    "set \"bins\" to the window length or cut the windows accordingly");
            if (windows.Count == 0) throw SeiscatException.For(file, dataset, "holds no windows", "pass a non-empty array");
            return windows;
        }
        catch
        {
            ds?.Dispose();
            f.Dispose();
            throw;
        }
    }

    /// <summary>Window <paramref name="index"/> (channels × samples) into <paramref name="window"/>.</summary>
    public void Read(long index, Span<float> window)
    {
        if (_dataset.Rank == 3) _dataset.ReadHyperslab<float>(window, [index, 0, 0], [1, Channels, Samples]);
        else _dataset.ReadHyperslab<float>(window, [index, 0], [1, Samples]);
        foreach (var v in window)
            if (!float.IsFinite(v))
                throw SeiscatException.For(FilePath, DatasetPath, $"window {index} holds NaN or Inf samples", "clean or drop that window");
    }

    public void Dispose()
    {
        _dataset.Dispose();
        _file.Dispose();
    }
}
