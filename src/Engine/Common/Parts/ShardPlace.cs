namespace Seiscat.Engine.Common.Parts;

/// <summary>
/// The place of one file in a larger whole: shard <see cref="Index"/> of <see cref="Count"/> (or checkpoint part),
/// holding rows [<see cref="First"/>, First + its rows) of <see cref="Total"/>. Written into the file as attributes
/// whose names the <see cref="PartedKind"/> gives, read back by <see cref="ShardSet"/>.
/// </summary>
public readonly record struct ShardPlace(int Index, int Count, long First, long Total)
{
    /// <summary>
    /// Rows of shard <paramref name="index"/> of <paramref name="count"/>: contiguous ranges starting on multiples of
    /// <paramref name="alignment"/> (a writer that appends in batches then sees the same batches in shards as in one
    /// process, which keeps a merge byte-identical).
    /// </summary>
    public static (long First, long Count) Range(long total, int index, int count, int alignment)
    {
        if (count < 1 || index < 0 || index >= count)
            throw new SeiscatException($"shard {index} of {count} is impossible; use {Setting.Shard.Ref()} 0..N-1 with {Setting.ShardCount.Ref()} N ≥ 1");
        ArgumentOutOfRangeException.ThrowIfLessThan(alignment, 1);
        long Start(int i) => i >= count ? total : Math.Min(total, total * i / count / alignment * alignment);
        return (Start(index), Start(index + 1) - Start(index));
    }
}
