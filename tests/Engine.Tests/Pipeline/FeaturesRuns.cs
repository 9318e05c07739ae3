using Seiscat.Engine.Pipeline;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Tests.Pipeline;

/// <summary>`features` through the engine, for tests that compare the rows of two runs.</summary>
internal static class FeaturesRuns
{
    /// <summary>Runs <paramref name="request"/> into <paramref name="outPath"/> and returns its /features, row-major.</summary>
    public static float[] Rows(FeaturesRequest request, string outPath)
    {
        FeaturesJob.Run(request, outPath, []);
        using var f = H5File.OpenRead(outPath);
        return f.OpenDataset("features").ReadAll<float>();
    }
}
