namespace Seiscat.Tests.Shared;

/// <summary>Locates the repository's test inputs (tests/fixtures, tests/data) from any test binary.</summary>
internal static class TestPaths
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Engine.sln"))) return dir.FullName;
        throw new InvalidOperationException("Engine.sln not found above " + AppContext.BaseDirectory);
    });

    public static string RepoRoot => Root.Value;

    /// <summary>A copy of ../shared/fixtures, e.g. Fixture("scatseisnet/tutorial.h5").</summary>
    public static string Fixture(string relative) => Path.Combine(RepoRoot, "tests", "fixtures", relative);

    /// <summary>A copy of ../shared/data, e.g. Data("continuous/YH.DC06_2012-07-25T00_1h_50Hz_3C.h5").</summary>
    public static string Data(string relative) => Path.Combine(RepoRoot, "tests", "data", relative);

    /// <summary>Appends a measured figure to artifacts/test-results/NAME.txt (quoted in closing notes and DEVELOPERS.md).</summary>
    public static void Record(string name, string line)
    {
        var dir = Path.Combine(RepoRoot, "artifacts", "test-results");
        Directory.CreateDirectory(dir);
        lock (Root) File.AppendAllText(Path.Combine(dir, name + ".txt"), line + Environment.NewLine);
    }

    /// <summary>A fresh directory under the system temp folder, removed by the caller's Dispose.</summary>
    public static TempDir NewTempDir() => new();

    public sealed class TempDir : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("seiscat-test-").FullName;
        public string File(string name) => System.IO.Path.Combine(Path, name);
        public void Dispose() { try { Directory.Delete(Path, true); } catch (IOException) { } }
    }
}
