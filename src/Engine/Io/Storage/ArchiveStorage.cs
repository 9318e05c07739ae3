using System.Collections.Concurrent;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Io.Storage;

/// <summary>Where one piece's bytes are: a contiguous file offset, or a chunk map, or neither (fall back to H5Dread).</summary>
internal sealed record PieceLayout
{
    public required ChannelPiece Piece { get; init; }
    public required MappedFile File { get; init; }
    public long? ContiguousOffset { get; init; }
    public long[] Dims { get; init; } = [];
    /// <summary>Chunked 1-D: chunk k covers samples [k·ChunkLength, (k+1)·ChunkLength). Chunked 2-D time × channel
    /// matrices whose chunks hold whole rows (DAS): chunk k covers rows [k·ChunkLength, (k+1)·ChunkLength), each
    /// <see cref="RowWidth"/> values wide, and the piece is column <see cref="ChannelPiece.Row"/>.</summary>
    public int ChunkLength { get; init; }
    public int RowWidth { get; init; } = 1;
    public H5ChunkInfo?[] Chunks { get; init; } = [];
    /// <summary>What a never-written chunk holds (the dataset's fill value, as HDF5 would return it).</summary>
    public float FillValue { get; init; }
    /// <summary>Set when the dataset has too many chunks to walk its index (<see cref="ChunkIndex.WalkLimit"/>): chunks are then
    /// read one by one by coordinate, copied out by HDF5 instead of mapped.</summary>
    public DirectChunks? Direct { get; init; }
    /// <summary>Chunks whose filters only libhdf5 decodes (plugins, szip, n-bit, scale-offset): <see cref="Direct"/>'s
    /// dataset reads each whole chunk once, converted to float32, into the reader's chunk slots — windows that share a
    /// chunk then reuse it, where a read per window would decode every chunk it touches again.</summary>
    public bool DecodedByLibhdf5 { get; init; }
    public bool Fallback { get; init; }
    /// <summary>FILE:DATASET, the key decoded chunks are cached under: one instance per dataset (every column of a
    /// matrix shares it), so the cache compares references.</summary>
    public required string DatasetKey { get; init; }
}

/// <summary>An open dataset whose chunks are read by coordinate (H5Dread_chunk), and the largest stored size a chunk may have.</summary>
internal sealed class DirectChunks(H5File file, H5Dataset dataset, long largestStored) : IDisposable
{
    public H5Dataset Dataset => dataset;
    public long LargestStored => largestStored;

    public void Dispose()
    {
        dataset.Dispose();
        file.Dispose();
    }
}

/// <summary>
/// Concurrency contract: one ArchiveStorage is shared by all reading threads. Metadata (dataset offsets, chunk
/// maps) is gathered once per piece under the HDF5 lock and cached immutable; sample bytes are then read from
/// read-only memory maps with no lock at all. Only pieces whose storage seiscat cannot decode (other filters,
/// 2-D arrays chunked across channels, compact layout) go through H5Dread, serialised by the HDF5 lock.
/// </summary>
public sealed class ArchiveStorage : IDisposable
{
    /// <summary>
    /// Bytes read through the maps before their pages are dropped from the resident set. Whole-file maps otherwise
    /// keep every page read so far resident (and counted in RSS) until the file is closed; releasing is cheap and
    /// safe while other threads read (pages fault back from the page cache).
    /// </summary>
    public long ResidentLimitBytes { get; init; } = 256L << 20;

    /// <summary>Decoded matrix chunks kept for all threads (<see cref="SharedChunkCache"/>): enough for the chunks one
    /// window spans plus the next window's, per thread.</summary>
    public long SharedChunkBytes { get; init; } = 64L << 20;

    internal SharedChunkCache Shared => LazyInitializer.EnsureInitialized(ref _shared, () => new SharedChunkCache(SharedChunkBytes));
    private SharedChunkCache? _shared;

    /// <summary>Chunks decoded into the shared matrix cache so far.</summary>
    public long SharedChunksDecoded => _shared?.Decoded ?? 0;

    private long _touched;
    private int _releasing;

    /// <summary>Number of times mapped pages were released (for tests and the memory benchmark).</summary>
    public int Releases => Volatile.Read(ref _releases);
    private int _releases;

    internal void Touched(long bytes)
    {
        if (Interlocked.Add(ref _touched, bytes) < ResidentLimitBytes) return;
        if (Interlocked.Exchange(ref _releasing, 1) != 0) return;
        try
        {
            Interlocked.Exchange(ref _touched, 0);
            foreach (var f in _files.Values)
                if (f.IsValueCreated) f.Value.ReleaseResident();
            Interlocked.Increment(ref _releases);
        }
        finally { Volatile.Write(ref _releasing, 0); }
    }

    private readonly ConcurrentDictionary<string, Lazy<MappedFile>> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ChannelPiece, Lazy<PieceLayout>> _pieces = new();
    private readonly ConcurrentBag<DirectChunks> _direct = [];
    private readonly ConcurrentDictionary<string, string> _datasetKeys = new(StringComparer.Ordinal);

    internal PieceLayout Layout(ChannelPiece piece) => _pieces.GetOrAdd(piece, p => new Lazy<PieceLayout>(() => ForPiece(p))).Value;

    // Every column of a DAS matrix is its own piece, but the storage description (offset, chunk index) is the dataset's:
    // described once per dataset — 5 000 channels would otherwise open the file and walk its chunk index 5 000 times.
    private readonly ConcurrentDictionary<string, Lazy<PieceLayout>> _datasets = new(StringComparer.Ordinal);

    private PieceLayout ForPiece(ChannelPiece piece)
    {
        if (piece.Row < 0) return Describe(piece);
        var shared = _datasets.GetOrAdd(piece.File + ":" + piece.Dataset, _ => new Lazy<PieceLayout>(() => Describe(piece))).Value;
        return ReferenceEquals(shared.Piece, piece) ? shared : shared with { Piece = piece };
    }

    private MappedFile Map(string path) => _files.GetOrAdd(path, p => new Lazy<MappedFile>(() => new MappedFile(p))).Value;

    /// <summary>Storage descriptions made (file opened, chunk index walked): once per dataset, not per column.</summary>
    internal int Described => Volatile.Read(ref _described);
    private int _described;

    private PieceLayout Describe(ChannelPiece piece)
    {
        Interlocked.Increment(ref _described);
        try
        {
            using var file = H5File.OpenRead(piece.File);
            using var ds = file.OpenDataset(piece.Dataset);
            if (ds.Layout == H5Layout.Chunked && Hdf5Filters.Unavailable(ds.Filters) is { } missing)
                throw Hdf5Filters.NoPlugin(piece.File, piece.Dataset, missing);
            var mapped = Map(piece.File);
            var key = _datasetKeys.GetOrAdd(piece.File + ":" + piece.Dataset, k => k);
            if (ds.Layout == H5Layout.Contiguous && ds.ContiguousOffset is { } offset)
            {
                mapped.Bytes(offset, ds.ElementCount * ds.Type.Size, $"{piece.Where} samples"); // truncation check up front
                return new PieceLayout { Piece = piece, DatasetKey = key, File = mapped, ContiguousOffset = offset, Dims = ds.Dims };
            }
            // A chunked time × channel matrix whose chunks span every channel: one column is read with a stride.
            var wholeRows = ds.Rank == 2 && piece.SamplesAlongFirstAxis && ds.ChunkDims is { } dims && dims[1] == ds.Dims[1];
            if (ds.Layout == H5Layout.Chunked && (ds.Rank == 1 || wholeRows) && ChunkDecoder.CanDecode(ds.Filters))
            {
                var length = (int)ds.ChunkDims![0];
                var width = ds.Rank == 2 ? (int)ds.Dims[1] : 1;
                var layout = new PieceLayout
                {
                    Piece = piece,
                    DatasetKey = key,
                    File = mapped,
                    Dims = ds.Dims,
                    ChunkLength = length,
                    RowWidth = width,
                    FillValue = (float)ds.FillValue,
                };
                if (ds.ChunkCount <= ChunkIndex.WalkLimit) return layout with { Chunks = ChunkIndex.Read(ds, length, mapped.Length) };
                // A long record (a year at 100 Hz in 16 384-sample chunks is 190 000 chunks): walking its index with
                // H5Dget_chunk_info would take minutes before the first window.
                var directFile = H5File.OpenRead(piece.File);
                var direct = new DirectChunks(directFile, directFile.OpenDataset(piece.Dataset), ChunkIndex.LargestStored(ds, length));
                _direct.Add(direct);
                return layout with { Direct = direct };
            }
            if (ds.Layout == H5Layout.Chunked && (ds.Rank == 1 || wholeRows) && piece.Blocks is null)
            {
                var directFile = H5File.OpenRead(piece.File);
                var direct = new DirectChunks(directFile, directFile.OpenDataset(piece.Dataset), 0);
                _direct.Add(direct);
                return new PieceLayout
                {
                    Piece = piece,
                    DatasetKey = key,
                    File = mapped,
                    Dims = ds.Dims,
                    ChunkLength = (int)ds.ChunkDims![0],
                    RowWidth = ds.Rank == 2 ? (int)ds.Dims[1] : 1,
                    Direct = direct,
                    DecodedByLibhdf5 = true,
                };
            }
            return new PieceLayout { Piece = piece, DatasetKey = key, File = mapped, Dims = ds.Dims, Fallback = true };
        }
        catch (Hdf5Exception e)
        {
            throw SeiscatException.InInput(piece.File, piece.Dataset, "cannot read the dataset's storage: " + e.Hdf5Message,
                "the file may be truncated or corrupt", e);
        }
        catch (InvalidDataException e)
        {
            throw SeiscatException.InInput(piece.File, piece.Dataset, e.Message, "the file is corrupt or truncated; re-copy it or exclude it");
        }
    }

    public void Dispose()
    {
        foreach (var f in _files.Values.Where(f => f.IsValueCreated)) f.Value.Dispose();
        foreach (var d in _direct) d.Dispose();
    }
}
