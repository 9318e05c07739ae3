using System.Collections.Concurrent;

namespace Seiscat.Native.Hdf5;

/// <summary>
/// HDF5 handles that were never disposed and were closed by the finalizer instead. Every handle seiscat opens must be
/// disposed (a leaked dataset keeps its file open until the GC runs); tests call <see cref="Leaks"/> after collecting
/// garbage and fail on any.
/// </summary>
public static class H5Handles
{
    private static readonly ConcurrentQueue<string> LeakList = new();

    /// <summary>Handles closed by the finalizer so far, as "Kind FILE:OBJECT".</summary>
    public static IReadOnlyList<string> Leaks => LeakList.ToArray();

    internal static void NoteLeak(string kind, string? description)
        => LeakList.Enqueue($"{kind.Replace("SafeH5", "").Replace("Handle", "")} {description ?? "(internal)"}");
}
