using System.Runtime.InteropServices;
using Seiscat.Engine.Io.Storage;
using Seiscat.Engine.Kernels;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Io;

/// <summary>
/// Reads samples of a piece into a caller span as float32, from memory-mapped raw storage: contiguous datasets at
/// their file offset, chunked 1-D datasets chunk by chunk (deflate, shuffle and Fletcher-32 undone in managed
/// code, decoded chunks cached). One reader per thread; all readers share one <see cref="ArchiveStorage"/>.
/// Steady-state reads allocate nothing. Results equal H5Dread's conversion to float exactly.
/// </summary>
public sealed class SampleReader
{
    private readonly ArchiveStorage _storage;
    private readonly ChunkDecoder _decoder = new();
    // Decoded chunks, least recently used evicted first. A window's components are separate datasets read one after
    // the other, and with overlapping windows each component alternates between at most two chunks: two slots per
    // component keep every chunk decoded once per thread. (Two slots for all components made a three-component window
    // decode three chunks every time: issue 14 measured `features` at 30 % of the network's own speed.)
    private readonly CachedChunk[] _cache;
    private long _clock;

    /// <summary>Chunks decoded so far (cache misses): each chunk once per reader when windows are read in order.</summary>
    public long ChunksDecoded { get; private set; }

    /// <summary>Decoded chunks kept per component of a window.</summary>
    public const int ChunksPerComponent = 2;

    private sealed class CachedChunk
    {
        public string? Dataset; // FILE:DATASET — the columns of one matrix share its decoded chunks
        public long Index = -1;
        public byte[] Bytes = [];
        public long LastUse;
    }

    /// <summary>A reader whose chunk cache holds <see cref="ChunksPerComponent"/> decoded chunks per component.</summary>
    public SampleReader(ArchiveStorage storage, int components = 1)
    {
        _storage = storage;
        _cache = Enumerable.Range(0, ChunksPerComponent * Math.Clamp(components, 1, 64)).Select(_ => new CachedChunk()).ToArray();
    }

    /// <summary>Samples [offset, offset + destination.Length) of the piece.</summary>
    public void Read(ChannelPiece piece, long offset, Span<float> destination)
    {
        if (offset < 0 || offset + destination.Length > piece.Samples)
            throw new ArgumentOutOfRangeException(nameof(offset),
                $"samples {offset}..{offset + destination.Length} outside {piece.Where} (0..{piece.Samples})");
        if (destination.IsEmpty) return;
        var layout = _storage.Layout(piece);
        try
        {
            if (piece.Stack > 1) ReadStack(layout, offset, destination);
            else ReadColumn(layout, piece.Row, offset, destination);
        }
        catch (InvalidDataException e)
        {
            throw SeiscatException.InInput(piece.File, piece.Dataset, e.Message, "the file is corrupt or truncated; re-copy it or exclude it");
        }
    }

    /// <summary>
    /// Samples [offset, offset + rows) of consecutive columns of one time × channel matrix — <paramref name="pieces"/>
    /// are columns Row, Row + 1, … of the same dataset and stretch (or stacks of Stack columns each, averaged as
    /// <see cref="Read"/> averages them) — into <c>destination[k·stride ..]</c> for piece k,
    /// read row block by row block and transposed in registers (<see cref="Transpose"/>): every stored byte is touched
    /// once, where reading the columns one by one touches each cache line once per column. False when the storage does
    /// not allow it (H5Dread fallback, another sample type); the caller then reads column by column.
    /// </summary>
    public bool TryReadColumns(ReadOnlySpan<ChannelPiece> pieces, long offset, int rows, Span<float> destination, int stride)
    {
        if (pieces.IsEmpty) return true;
        var first = pieces[0];
        var stack = first.Stack;
        if (!first.SamplesAlongFirstAxis || first.Row < 0 || first.Blocks is not null || Kind(first.Type) is not { } kind) return false;
        for (var k = 1; k < pieces.Length; k++)
        {
            var p = pieces[k];
            if (p.Row != first.Row + k * stack || p.Stack != stack || !ReferenceEquals(p.File, first.File) && p.File != first.File
                || p.Dataset != first.Dataset || p.StartNs != first.StartNs || p.Samples != first.Samples) return false;
        }
        if (offset < 0 || offset + rows > first.Samples)
            throw new ArgumentOutOfRangeException(nameof(offset), $"samples {offset}..{offset + rows} outside {first.Where} (0..{first.Samples})");
        if (rows == 0) return true;
        var layout = _storage.Layout(first);
        if (layout.Fallback || layout.DecodedByLibhdf5) return false;
        try
        {
            if (stack == 1)
            {
                ReadBlock(layout, kind, offset, rows, pieces.Length, destination, stride);
                return true;
            }
            // Stacks: every column of every stack into a scratch block, then each stack's mean in column order (as ReadStack).
            var columns = pieces.Length * stack;
            if (_stackBlock.Length < (long)columns * rows) _stackBlock = new float[(long)columns * rows];
            ReadBlock(layout, kind, offset, rows, columns, _stackBlock, rows);
            if (_sum.Length < rows) _sum = new double[rows];
            var sum = _sum.AsSpan(0, rows);
            for (var j = 0; j < pieces.Length; j++)
            {
                sum.Clear();
                for (var k = 0; k < stack; k++)
                {
                    var column = _stackBlock.AsSpan((j * stack + k) * rows, rows);
                    for (var i = 0; i < rows; i++) sum[i] += column[i];
                }
                var target = destination.Slice(j * stride, rows);
                for (var i = 0; i < rows; i++) target[i] = (float)(sum[i] / stack);
            }
            return true;
        }
        catch (InvalidDataException e)
        {
            throw SeiscatException.InInput(first.File, first.Dataset, e.Message, "the file is corrupt or truncated; re-copy it or exclude it");
        }
    }

    private float[] _stackBlock = [];

    // Columns Row … Row + columns − 1 of the layout's matrix, rows [offset, offset + rows), transposed into destination.
    private void ReadBlock(PieceLayout layout, StoredSample kind, long offset, int rows, int columns, Span<float> destination, int stride)
    {
        var first = layout.Piece;
        var size = first.Type.Size;
        if (layout.ContiguousOffset is { } baseOffset)
        {
            var width = layout.Dims[1];
            var span = ((long)(rows - 1) * width + columns) * size;
            var bytes = layout.File.Bytes(baseOffset + (offset * width + first.Row) * size, span, first.Where);
            Transpose.ToColumns(bytes, kind, (int)width, rows, columns, destination, stride);
            _storage.Touched(span);
            return;
        }
        var length = layout.ChunkLength;
        var rowWidth = layout.RowWidth;
        var done = 0;
        while (done < rows)
        {
            var sample = offset + done;
            var c = sample / length;
            var within = (int)(sample - c * length);
            var n = Math.Min(rows - done, length - within);
            var rawBytes = length * rowWidth * size;
            var chunk = _storage.Shared.Get(layout.DatasetKey, c, rawBytes, () => DecodeShared(layout, c, rawBytes));
            var part = destination[done..];
            if (chunk is null)
                for (var k = 0; k < columns; k++) part.Slice(k * stride, n).Fill(layout.FillValue);
            else Transpose.ToColumns(chunk.AsSpan((within * rowWidth + first.Row) * size), kind, rowWidth, n, columns, part, stride);
            done += n;
        }
    }

    private static StoredSample? Kind(H5TypeInfo t) => t.Order == H5ByteOrder.BigEndian ? null : (t.Class, t.Size, t.IsSigned) switch
    {
        (H5TypeClass.Integer, 2, true) => StoredSample.Int16,
        (H5TypeClass.Integer, 4, true) => StoredSample.Int32,
        (H5TypeClass.Float, 4, _) => StoredSample.Float32,
        _ => null,
    };

    // A chunk for the shared cache: its own array (the cache owns it), decoded by this reader's decoder.
    private byte[]? DecodeShared(PieceLayout layout, long k, int rawBytes)
    {
        var output = new byte[rawBytes];
        if (layout.Direct is { } direct)
        {
            if (DirectStored(layout, direct, k, out var stored, out var mask) == 0) return null;
            _decoder.Decode(_staging.AsSpan(0, (int)stored), layout.Piece.Storage.Filters, mask, layout.Piece.Type.Size, output);
        }
        else
        {
            if (layout.Chunks[k] is not { } info) return null;
            var bytes = layout.File.Bytes(info.Address, info.Size, $"chunk {k} of {layout.Piece.Where}");
            _storage.Touched(bytes.Length);
            _decoder.Decode(bytes, layout.Piece.Storage.Filters, info.FilterMask, layout.Piece.Type.Size, output);
        }
        ChunksDecoded++;
        return output;
    }

    private void ReadColumn(PieceLayout layout, int row, long offset, Span<float> destination)
    {
        if (layout.Fallback) ReadWithHdf5(layout.Piece, row, offset, destination);
        else if (layout.ContiguousOffset is { } baseOffset) ReadContiguous(layout, row, baseOffset, offset, destination);
        else ReadChunked(layout, row, offset, destination);
    }

    // --stack-channels: the mean of the piece's Stack columns, summed in double in column order (TryReadColumns sums the
    // same way, so a stack reads the same whichever path cuts it).
    private void ReadStack(PieceLayout layout, long offset, Span<float> destination)
    {
        var p = layout.Piece;
        var n = destination.Length;
        if (_column.Length < n) _column = new float[n];
        if (_sum.Length < n) _sum = new double[n];
        var sum = _sum.AsSpan(0, n);
        sum.Clear();
        for (var k = 0; k < p.Stack; k++)
        {
            var column = _column.AsSpan(0, n);
            ReadColumn(layout, p.Row + k, offset, column);
            for (var i = 0; i < n; i++) sum[i] += column[i];
        }
        for (var i = 0; i < n; i++) destination[i] = (float)(sum[i] / p.Stack);
    }

    private float[] _column = [];
    private double[] _sum = [];

    private void ReadContiguous(PieceLayout layout, int row, long baseOffset, long offset, Span<float> destination)
    {
        var p = layout.Piece;
        var size = p.Type.Size;
        if (p.Blocks is { } blocks)
        {
            // Blocks × rows × channels: the kept rows of each block, one strided column segment per block.
            var width = (int)layout.Dims[2];
            for (var done = 0; done < destination.Length;)
            {
                var sample = offset + done;
                var (block, within) = Math.DivRem(sample, blocks.KeepRows);
                var n = (int)Math.Min(destination.Length - done, blocks.KeepRows - within);
                var element = (block * blocks.RowsPerBlock + blocks.KeepStart + within) * width + row;
                var span = ((long)(n - 1) * width + 1) * size;
                SampleConversion.ToFloat(layout.File.Bytes(baseOffset + element * size, span, p.Where), p.Type, destination.Slice(done, n), width);
                _storage.Touched(span);
                done += n;
            }
        }
        else if (row < 0)
        {
            var bytes = layout.File.Bytes(baseOffset + offset * size, (long)destination.Length * size, p.Where);
            SampleConversion.ToFloat(bytes, p.Type, destination);
            _storage.Touched(bytes.Length);
        }
        else if (!p.SamplesAlongFirstAxis)
        {
            var start = (row * layout.Dims[1] + offset) * size;
            SampleConversion.ToFloat(layout.File.Bytes(baseOffset + start, (long)destination.Length * size, p.Where), p.Type, destination);
            _storage.Touched((long)destination.Length * size);
        }
        else
        {
            var channels = (int)layout.Dims[1];
            var start = (offset * channels + row) * size;
            var span = ((long)(destination.Length - 1) * channels + 1) * size;
            SampleConversion.ToFloat(layout.File.Bytes(baseOffset + start, span, p.Where), p.Type, destination, channels);
            _storage.Touched(span);
        }
    }

    // What a libhdf5-decoded chunk holds: float32, as H5Dread converted it.
    private static readonly H5TypeInfo DecodedFloat = new(H5TypeClass.Float, 4, H5ByteOrder.LittleEndian, true, false);

    private void ReadChunked(PieceLayout layout, int row, long offset, Span<float> destination)
    {
        var type = layout.DecodedByLibhdf5 ? DecodedFloat : layout.Piece.Type;
        var size = type.Size;
        var length = layout.ChunkLength;
        var width = layout.RowWidth;
        var column = width > 1 ? row : 0;
        var done = 0;
        while (done < destination.Length)
        {
            var sample = offset + done;
            var k = sample / length;
            var within = (int)(sample - k * length);
            var n = Math.Min(destination.Length - done, length - within);
            var rawBytes = length * width * size;
            var chunk = layout.Direct is { } direct ? DecodedDirect(layout, direct, k, rawBytes)
                : layout.Chunks[k] is { } info ? Decoded(layout, k, info, rawBytes) : null;
            // A never-written chunk holds the dataset's fill value (0 unless its writer chose one).
            if (chunk is null) destination.Slice(done, n).Fill(layout.FillValue);
            else if (width == 1) SampleConversion.ToFloat(chunk.AsSpan(within * size, n * size), type, destination.Slice(done, n));
            else SampleConversion.ToFloat(chunk.AsSpan((within * width + column) * size, ((n - 1) * width + 1) * size), type,
                destination.Slice(done, n), width);
            done += n;
        }
    }

    // A chunk read by coordinate: its stored bytes are copied out by HDF5 (under the HDF5 lock), then decoded here.
    private byte[]? DecodedDirect(PieceLayout layout, DirectChunks direct, long k, int rawBytes)
    {
        if (Cached(layout, k) is { } hit) return hit;
        if (layout.DecodedByLibhdf5) return DecodedByLibhdf5(layout, direct, k, rawBytes);
        if (DirectStored(layout, direct, k, out var stored, out var mask) == 0) return null;
        var slot = Slot(layout, k, rawBytes);
        _decoder.Decode(_staging.AsSpan(0, (int)stored), layout.Piece.Storage.Filters, mask, layout.Piece.Type.Size, slot.Bytes);
        ChunksDecoded++;
        slot.Dataset = layout.DatasetKey;
        slot.Index = k;
        return slot.Bytes;
    }

    // Chunk k's rows, whole, through libhdf5's filter pipeline (never-written chunks come back as the fill value).
    private byte[] DecodedByLibhdf5(PieceLayout layout, DirectChunks direct, long k, int rawBytes)
    {
        var slot = Slot(layout, k, rawBytes);
        var start = k * layout.ChunkLength;
        var rows = Math.Min(layout.ChunkLength, layout.Dims[0] - start);
        var floats = MemoryMarshal.Cast<byte, float>(slot.Bytes.AsSpan());
        try
        {
            if (layout.RowWidth == 1) direct.Dataset.ReadHyperslab(floats, [start], [rows]);
            else direct.Dataset.ReadHyperslab(floats, [start, 0], [rows, layout.RowWidth]);
        }
        catch (Hdf5Exception e)
        {
            throw new InvalidDataException($"the chunk at sample {start} cannot be decoded: {e.Hdf5Message}", e);
        }
        ChunksDecoded++;
        slot.Dataset = layout.DatasetKey;
        slot.Index = k;
        return slot.Bytes;
    }

    private byte[] _staging = [];

    // Copies chunk k's stored bytes into _staging; returns their count (0: never written).
    private long DirectStored(PieceLayout layout, DirectChunks direct, long k, out long stored, out uint mask)
    {
        Span<long> offset = layout.RowWidth > 1 ? [k * layout.ChunkLength, 0] : [k * layout.ChunkLength];
        try { stored = direct.Dataset.ReadChunk(offset, direct.LargestStored, ref _staging, out mask); }
        catch (Hdf5Exception e)
        {
            throw new InvalidDataException($"the chunk at sample {offset[0]} cannot be read: {e.Hdf5Message}", e);
        }
        if (stored < 0 || stored > direct.LargestStored)
            throw new InvalidDataException($"the chunk index is corrupt: the chunk at sample {offset[0]} has a stored size of {stored} bytes");
        return stored;
    }

    private byte[]? Cached(PieceLayout layout, long k)
    {
        foreach (var c in _cache)
            if (c.Index == k && ReferenceEquals(c.Dataset, layout.DatasetKey))
            {
                c.LastUse = ++_clock;
                return c.Bytes;
            }
        return null;
    }

    // The least recently used slot, emptied and sized for a chunk.
    private CachedChunk Slot(PieceLayout layout, long k, int rawBytes)
    {
        var slot = _cache[0];
        foreach (var c in _cache) if (c.LastUse < slot.LastUse) slot = c;
        slot.LastUse = ++_clock;
        if (slot.Bytes.Length != rawBytes) slot.Bytes = new byte[rawBytes];
        slot.Dataset = null;
        return slot;
    }

    private byte[] Decoded(PieceLayout layout, long k, H5ChunkInfo info, int rawBytes)
    {
        if (Cached(layout, k) is { } hit) return hit;
        var slot = Slot(layout, k, rawBytes);
        var stored = layout.File.Bytes(info.Address, info.Size, $"chunk {k} of {layout.Piece.Where}");
        _storage.Touched(stored.Length);
        _decoder.Decode(stored, layout.Piece.Storage.Filters, info.FilterMask, layout.Piece.Type.Size, slot.Bytes);
        ChunksDecoded++;
        slot.Dataset = layout.DatasetKey;
        slot.Index = k;
        return slot.Bytes;
    }

    private static void ReadWithHdf5(ChannelPiece p, int row, long offset, Span<float> destination)
    {
        try
        {
            using var file = H5File.OpenRead(p.File);
            using var ds = file.OpenDataset(p.Dataset);
            if (p.Blocks is { } blocks)
                for (var done = 0; done < destination.Length;)
                {
                    var (block, within) = Math.DivRem(offset + done, blocks.KeepRows);
                    var n = (int)Math.Min(destination.Length - done, blocks.KeepRows - within);
                    ds.ReadHyperslab(destination.Slice(done, n), [block, blocks.KeepStart + within, row], [1, n, 1]);
                    done += n;
                }
            else if (row < 0) ds.ReadHyperslab(destination, [offset], [destination.Length]);
            else if (!p.SamplesAlongFirstAxis) ds.ReadHyperslab(destination, [row, offset], [1, destination.Length]);
            else ds.ReadHyperslab(destination, [offset, row], [destination.Length, 1]);
        }
        catch (Hdf5Exception e)
        {
            throw SeiscatException.InInput(p.File, p.Dataset, "H5Dread failed: " + e.Hdf5Message, "the file may be corrupt or use a filter this HDF5 lacks");
        }
    }
}
