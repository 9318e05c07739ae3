using Seiscat.Engine.Scattering;
using Seiscat.Native.Hdf5;
using Seiscat.Tests.Shared;

namespace Seiscat.Engine.Tests.Scattering;

/// <summary>One scatseisnet 0.4.1 reference file (tests/fixtures/scatseisnet, see ../shared/fixtures/README.md §2).</summary>
internal sealed class ScatseisnetFixture
{
    public required string Name { get; init; }
    public required ScatteringConfig Config { get; init; }
    public required float[] Segments { get; init; }
    public required long[] SegmentDims { get; init; }
    public required double[][] Layers { get; init; }
    public required long[][] LayerDims { get; init; }
    public required H5File File { get; init; }

    public int Windows => (int)SegmentDims[0];
    public int Channels => (int)SegmentDims[1];
    public int Bins => (int)SegmentDims[2];

    public static readonly string[] Names = ["tutorial", "jgr_max", "median_taper", "l1_norm", "scalogram_small"];

    public static ScatseisnetFixture Load(string name)
    {
        var f = H5File.OpenRead(TestPaths.Fixture($"scatseisnet/{name}.h5"));
        using var seg = f.OpenDataset("input/segments");
        var layers = new List<double[]>();
        var dims = new List<long[]>();
        for (var l = 1; f.Exists($"output/layer{l}"); l++)
        {
            using var d = f.OpenDataset($"output/layer{l}");
            layers.Add(d.ReadAll<double>());
            dims.Add(d.Dims);
        }
        return new ScatseisnetFixture
        {
            Name = name,
            File = f,
            Config = ScatteringConfig.Parse(f.ReadStringAttribute("config")),
            Segments = seg.ReadAll<float>(),
            SegmentDims = seg.Dims,
            Layers = layers.ToArray(),
            LayerDims = dims.ToArray(),
        };
    }
}
