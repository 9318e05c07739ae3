using System.IO.MemoryMappedFiles;

namespace Seiscat.Engine.Io.Storage;

/// <summary>
/// A whole file mapped read-only. Byte access needs no lock: readers on any thread share one mapping.
/// Bounds are checked against the file length so truncated files fail with a message instead of SIGBUS.
/// </summary>
internal sealed unsafe class MappedFile : IDisposable
{
    private readonly MemoryMappedFile? _map;
    private readonly MemoryMappedViewAccessor? _view;
    private readonly byte* _base;
    private readonly byte* _mapStart; // page-aligned start of the view (madvise needs it)

    public string Path { get; }
    public long Length { get; }

    public MappedFile(string path)
    {
        Path = path;
        // The length of what the path opens, not of the path: a symbolic link's own length is that of its target's name,
        // and a linked archive was refused as "truncated".
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        Length = stream.Length;
        if (Length == 0)
        {
            stream.Dispose();
            return;
        }
        _map = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
        _view = _map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        byte* p = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        _mapStart = p;
        _base = p + _view.PointerOffset;
    }

    public ReadOnlySpan<byte> Bytes(long offset, long count, string what)
    {
        if (offset < 0 || count < 0 || offset + count > Length)
            throw new InvalidDataException($"{what} lies at bytes {offset}..{offset + count} but the file has {Length} bytes (truncated?)");
        return new ReadOnlySpan<byte>(_base + offset, checked((int)count));
    }

    /// <summary>Drops this mapping's pages from the resident set (they stay readable; see <see cref="Seiscat.Native.Posix.MappedPages"/>).</summary>
    public void ReleaseResident()
    {
        if (_view is not null && Volatile.Read(ref _disposed) == 0) Seiscat.Native.Posix.MappedPages.Release(_mapStart, Length + (_base - _mapStart));
    }

    private int _disposed;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (_view is not null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
        }
        _map?.Dispose();
    }
}
