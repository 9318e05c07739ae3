namespace Seiscat.Engine.Common;

/// <summary>Progress of a streaming stage, reported from the consuming thread.</summary>
public readonly record struct StageProgress(long Done, long Total, TimeSpan Elapsed)
{
    public double PerSecond => Elapsed.TotalSeconds > 0 ? Done / Elapsed.TotalSeconds : 0;
    public TimeSpan? Remaining => PerSecond > 0 ? TimeSpan.FromSeconds((Total - Done) / PerSecond) : null;
}
