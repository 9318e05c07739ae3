namespace Seiscat.Engine.Io.Storage;

/// <summary>
/// Decoded chunks of time × channel matrices, shared by all reading threads: a DAS chunk spans every channel, and the
/// threads that cut neighbouring channels at one time need the same chunk, so a per-thread cache would inflate it once
/// per thread and batch (8× over 500 loci). One decode per chunk: the first thread to ask decodes it, others wait for
/// that result. Least recently used chunks leave once the cache holds more than its byte budget (the chunks in use by
/// a reader are referenced by it and stay valid: eviction only drops the cache's reference).
/// </summary>
internal sealed class SharedChunkCache(long budgetBytes)
{
    private sealed class Entry(string key, long index, Lazy<byte[]?> bytes)
    {
        public readonly string Key = key;
        public readonly long Index = index;
        public readonly Lazy<byte[]?> Bytes = bytes;
        public long LastUse;
        public long Size;
    }

    private readonly List<Entry> _entries = [];
    private readonly Lock _lock = new();
    private long _clock;
    private long _bytes;

    /// <summary>Chunks decoded through this cache (misses).</summary>
    public long Decoded => Interlocked.Read(ref _decoded);
    private long _decoded;

    /// <summary>The decoded chunk <paramref name="index"/> of the dataset <paramref name="key"/> (an interned
    /// FILE:DATASET), decoding it with <paramref name="decode"/> on a miss; null for a chunk never written.</summary>
    public byte[]? Get(string key, long index, int rawBytes, Func<byte[]?> decode)
    {
        Entry entry;
        lock (_lock)
        {
            entry = _entries.Find(e => e.Index == index && ReferenceEquals(e.Key, key))!;
            if (entry is null)
            {
                entry = new Entry(key, index, new Lazy<byte[]?>(() =>
                {
                    Interlocked.Increment(ref _decoded);
                    return decode();
                }, LazyThreadSafetyMode.ExecutionAndPublication))
                { Size = rawBytes };
                _entries.Add(entry);
                _bytes += rawBytes;
                while (_bytes > budgetBytes && _entries.Count > 1)
                {
                    var oldest = _entries[0];
                    foreach (var e in _entries) if (e.LastUse < oldest.LastUse && e != entry) oldest = e;
                    if (oldest == entry) break;
                    _entries.Remove(oldest);
                    _bytes -= oldest.Size;
                }
            }
            entry.LastUse = ++_clock;
        }
        return entry.Bytes.Value;
    }
}
