namespace Seiscat.Engine.Io;

/// <summary>"file.h5:/group/data" as used on the command line: the last ':' followed by '/' separates file and dataset.</summary>
public static class DatasetPath
{
    /// <summary>(file, dataset), or (text, null) when there is no dataset part.</summary>
    public static (string File, string? Dataset) TrySplit(string text)
    {
        var i = text.LastIndexOf(":/", StringComparison.Ordinal);
        return i > 0 ? (text[..i], text[(i + 1)..]) : (text, null);
    }

    /// <summary>(file, dataset); the dataset part is required.</summary>
    public static (string File, string Dataset) Split(string text, string option)
    {
        var (file, dataset) = TrySplit(text);
        return dataset is null ? throw new SeiscatException($"{option} '{text}' must be FILE.h5:/path/to/dataset") : (file, dataset);
    }
}
