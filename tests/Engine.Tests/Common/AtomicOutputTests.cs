using Seiscat.Engine.Common;
using Seiscat.Tests.Shared;

namespace Seiscat.Engine.Tests.Common;

public class AtomicOutputTests
{
    [Fact]
    public void Nothing_appears_under_the_final_name_until_commit()
    {
        using var dir = TestPaths.NewTempDir();
        var final = dir.File("out.h5");
        using (var o = new AtomicOutput(final))
        {
            File.WriteAllText(o.TempPath, "partial");
            Assert.False(File.Exists(final));
            Assert.StartsWith(dir.Path, o.TempPath);
        }
        Assert.False(File.Exists(final));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Commit_renames_over_an_existing_file()
    {
        using var dir = TestPaths.NewTempDir();
        var final = dir.File("out.csv");
        File.WriteAllText(final, "old");
        using (var o = new AtomicOutput(final))
        {
            File.WriteAllText(o.TempPath, "new");
            o.Commit();
        }
        Assert.Equal("new", File.ReadAllText(final));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Missing_output_directory_is_a_user_error_naming_it()
    {
        var e = Assert.Throws<SeiscatException>(() => new AtomicOutput("/nonexistent-seiscat-dir/out.h5"));
        Assert.Contains("/nonexistent-seiscat-dir", e.Message);
    }
}
