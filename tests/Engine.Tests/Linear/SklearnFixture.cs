using Seiscat.Native.Hdf5;
using Seiscat.Tests.Shared;

namespace Seiscat.Engine.Tests.Linear;

/// <summary>Reads scikit-learn 1.2.1 reference arrays (tests/fixtures/sklearn, README §3).</summary>
internal static class SklearnFixture
{
    public static double[] Read(H5File f, string path) => f.OpenDataset(path).ReadAll<double>();
    public static long Long(H5File f, string path) => f.OpenDataset(path).ReadAll<long>()[0];
    public static H5File Open(string name) => H5File.OpenRead(TestPaths.Fixture($"sklearn/{name}"));

    /// <summary>max|a − b| / max|b| (README's "normwise").</summary>
    public static double Normwise(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        double e = 0, m = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            e = Math.Max(e, Math.Abs(actual[i] - expected[i]));
            m = Math.Max(m, Math.Abs(expected[i]));
        }
        return e / m;
    }

    public static double MaxAbs(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected)
    {
        double e = 0;
        for (var i = 0; i < expected.Length; i++) e = Math.Max(e, Math.Abs(actual[i] - expected[i]));
        return e;
    }
}
