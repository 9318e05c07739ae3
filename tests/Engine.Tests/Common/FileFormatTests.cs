using Seiscat.Engine.Common;
using Seiscat.Engine.Io;
using Seiscat.Engine.Io.Writers;
using Seiscat.Engine.Tests.Io;
using Seiscat.Engine.Mixture;
using Seiscat.Native.Hdf5;
using Seiscat.Tests.Shared;

namespace Seiscat.Engine.Tests.Common;

[Collection("native-hdf5-engine")]
public class FileFormatTests
{
    private static string WriteFeatures(TestPaths.TempDir dir, string name = "features.h5")
    {
        var path = dir.File(name);
        using var w = new FeaturesWriter(path, FeaturesWriterTests.Columns(2), ["XX.A"], "{}", 40_000_000_000, 20_000_000_000);
        w.Append([1f, 2f, 3f, 4f], [0L, 20_000_000_000L], [0, 0], [0f, 0f]);
        w.Complete();
        return path;
    }

    /// <summary>Rewrites the root format attribute, as a file of another kind or version would carry it.</summary>
    private static void Restamp(string path, string? tag)
    {
        using var f = H5File.OpenReadWrite(path);
        if (f.HasAttribute(FileFormat.Attribute)) f.DeleteAttribute(FileFormat.Attribute);
        if (tag is not null) f.WriteAttribute(FileFormat.Attribute, tag);
    }

    [Fact]
    public void Writers_stamp_their_kind_and_version()
    {
        using var dir = TestPaths.NewTempDir();
        var path = WriteFeatures(dir);
        using var f = H5File.OpenRead(path);
        Assert.Equal("seiscat-features-1", f.ReadStringAttribute("format"));
        Assert.Null(FileFormat.Features.Mismatch(f));
        Assert.Equal("is a seiscat features file, not a model file", FileFormat.Model.Mismatch(f));
    }

    [Fact]
    public void A_newer_version_is_refused_in_one_line_naming_the_file()
    {
        using var dir = TestPaths.NewTempDir();
        var path = WriteFeatures(dir);
        Restamp(path, "seiscat-features-2");
        var e = Assert.Throws<SeiscatException>(() => FeatureSource.Open(path).Dispose());
        Assert.Contains(path, e.Message);
        Assert.Contains("has features format version 2; this seiscat reads version 1", e.Message);
        Assert.Contains("newer seiscat", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void An_older_version_asks_for_the_file_to_be_written_again()
    {
        using var dir = TestPaths.NewTempDir();
        var path = WriteFeatures(dir);
        Restamp(path, "seiscat-features-0");
        var e = Assert.Throws<SeiscatException>(() => FeatureSource.Open(path).Dispose());
        Assert.Contains("version 0", e.Message);
        Assert.Contains("write it again with seiscat features", e.Message);
    }

    [Fact]
    public void A_file_of_another_kind_is_named_for_what_it_is()
    {
        using var dir = TestPaths.NewTempDir();
        var path = WriteFeatures(dir);
        var e = Assert.Throws<SeiscatException>(() => ModelFile.Load(path));
        Assert.Contains("is a seiscat features file, not a model file", e.Message);
        Assert.Contains("seiscat fit", e.Message);
        e = Assert.Throws<SeiscatException>(() => PredictionFile.ForEach(path, _ => { }));
        Assert.Contains("is a seiscat features file, not a prediction file", e.Message);
    }

    [Fact]
    public void Unstamped_files_written_before_stamps_read_as_version_1()
    {
        using var dir = TestPaths.NewTempDir();
        var path = WriteFeatures(dir);
        Restamp(path, null);
        using var source = FeatureSource.Open(path);
        Assert.Equal(2, source.Rows);
        using var f = H5File.OpenRead(path);
        Assert.Equal("is not a seiscat templates file (no format \"seiscat-templates-1\")", FileFormat.Templates.Mismatch(f));
    }

    [Fact]
    public void Feature_shards_of_another_format_are_not_merged()
    {
        using var dir = TestPaths.NewTempDir();
        var path = WriteFeatures(dir);
        using (var f = H5File.OpenRead(path)) Assert.True(Seiscat.Engine.Pipeline.FeaturesMerge.IsFeatures(f));
        Restamp(path, "seiscat-features-9");
        using (var f = H5File.OpenRead(path)) Assert.False(Seiscat.Engine.Pipeline.FeaturesMerge.IsFeatures(f));
    }
}
