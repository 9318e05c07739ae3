using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Io.Storage;

/// <summary>How a dataset's chunks reach a window.</summary>
public enum ChunkRoute
{
    /// <summary>Not chunked, or chunks whose filters seiscat decodes itself from the memory-mapped file.</summary>
    Mapped,
    /// <summary>Chunks read by libhdf5 (H5Dread) through a built-in filter or a plugin from its search path.</summary>
    Libhdf5,
    /// <summary>A filter that neither seiscat nor any installed plugin decodes: the samples cannot be read.</summary>
    Unavailable,
}

/// <summary>
/// The HDF5 filters seismic and DAS archives are written with: their registered ids, short names, which ones seiscat
/// decodes itself (deflate, shuffle, Fletcher-32 and Zstandard, from the mapped file), and for the others the Debian
/// package whose plugin libhdf5 loads. Ids from The HDF Group's registry of filter plugins.
/// </summary>
public static class Hdf5Filters
{
    public const int Zstd = 32015;

    private static readonly Dictionary<int, (string Name, string? Package)> Known = new()
    {
        [H5Filter.Deflate] = ("deflate", null),
        [H5Filter.Shuffle] = ("shuffle", null),
        [H5Filter.Fletcher32] = ("fletcher32", null),
        [H5Filter.Szip] = ("szip", null),
        [5] = ("nbit", null),
        [6] = ("scaleoffset", null),
        [305] = ("lzo", null),
        [307] = ("bzip2", "hdf5-filter-plugin"),
        [32000] = ("lzf", "hdf5-plugin-lzf"),
        [32001] = ("blosc", "hdf5-filter-plugin-blosc-serial"),
        [32004] = ("lz4", "hdf5-filter-plugin"),
        [32008] = ("bitshuffle", "bitshuffle"),
        [32013] = ("zfp", "hdf5-filter-plugin-zfp-serial"),
        [Zstd] = ("zstd", null),
        [32017] = ("sz", null),
        [32018] = ("fcidecomp", null),
        [32024] = ("sz3", null),
        [32026] = ("blosc2", null),
    };

    /// <summary>Every filter with a Debian plugin package, for `seiscat doctor` (build.cake installs the same packages).</summary>
    public static IEnumerable<(int Id, string Name, string Package)> Plugins
        => Known.Where(k => k.Value.Package is not null).Select(k => (k.Key, k.Value.Name, k.Value.Package!)).OrderBy(k => k.Key);

    public static string Name(int id) => Known.TryGetValue(id, out var k) ? k.Name : $"filter{id}";

    /// <summary>Filters undone by <see cref="ChunkDecoder"/> on mapped chunk bytes.</summary>
    public static bool DecodedBySeiscat(int id) => id is H5Filter.Deflate or H5Filter.Shuffle or H5Filter.Fletcher32 or Zstd;

    public static ChunkRoute Route(StorageInfo storage)
    {
        if (storage.Layout != H5Layout.Chunked || storage.Filters.All(f => DecodedBySeiscat(f.Id))) return ChunkRoute.Mapped;
        return Unavailable(storage.Filters) is null ? ChunkRoute.Libhdf5 : ChunkRoute.Unavailable;
    }

    /// <summary>The first filter of the pipeline that nothing here decodes, or null. "Optional" filters count too: the
    /// flag lets a writer skip a filter that fails on a chunk (the chunk's mask then says so), not a reader.</summary>
    public static H5Filter? Unavailable(IReadOnlyList<H5Filter> filters)
        => filters.FirstOrDefault(f => !DecodedBySeiscat(f.Id) && !H5Library.FilterAvailable(f.Id));

    /// <summary>The one-line refusal for a dataset written with a filter no installed plugin provides.</summary>
    public static SeiscatException NoPlugin(string file, string dataset, H5Filter filter)
    {
        var name = Known.TryGetValue(filter.Id, out var k) ? k.Name : filter.Name is { Length: > 0 } n ? n : "unregistered";
        var paths = string.Join(":", H5Library.PluginPaths);
        var fix = k.Package is { } package
            ? $"install Debian's {package} (apt-get install {package}), or set HDF5_PLUGIN_PATH to a folder holding the plugin"
            : $"no Debian package provides this plugin: build or copy its HDF5 plugin into a folder and set HDF5_PLUGIN_PATH to it " +
              $"(searched now: {(paths.Length > 0 ? paths : "none")})";
        return SeiscatException.InInput(file, dataset, $"is compressed with HDF5 filter {filter.Id} ({name}), which no installed plugin decodes", fix);
    }
}
