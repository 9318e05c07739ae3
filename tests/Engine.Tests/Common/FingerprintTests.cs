using Seiscat.Engine.Common.Parts;
using Seiscat.Tests.Shared;

namespace Seiscat.Engine.Tests.Common;

public class FingerprintTests
{
    [Fact]
    public void A_link_counts_by_its_target()
    {
        using var dir = TestPaths.NewTempDir();
        File.WriteAllText(dir.File("a.h5"), "first input");
        var link = dir.File("link.h5");
        File.CreateSymbolicLink(link, dir.File("a.h5"));
        var before = new Fingerprint().File(link).Hex();
        Assert.Equal(before, new Fingerprint().File(link).Hex());
        // The link itself stays as it was; what it points at grows.
        File.AppendAllText(dir.File("a.h5"), ", and more");
        Assert.NotEqual(before, new Fingerprint().File(link).Hex());
    }
}
