using System.Runtime.InteropServices;
using Seiscat.Engine.Kernels;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Io.Storage;

/// <summary>
/// Rows of a 2-D chunked little-endian float32 matrix whose chunks hold whole rows (the layout `features` writes),
/// decoded from the memory-mapped file in managed code, outside the HDF5 lock: H5Dread inflates and converts under
/// that lock, so `predict` on any number of threads read at one core's inflate speed (issue 12: a third of predict's
/// time). Each calling thread decodes with its own <see cref="ChunkDecoder"/>; the chunk index is validated up front
/// as the archive reader's is (a corrupt index is a refusal, never a read outside the map). The same values as
/// H5Dread to the bit (FeatureSourceTests).
/// </summary>
internal sealed class RowChunkReader : IDisposable
{
    private readonly MappedFile _file;
    private readonly H5ChunkInfo[] _chunks;
    private readonly IReadOnlyList<H5Filter> _filters;
    private readonly int _rowsPerChunk;
    private readonly int _columns;
    private readonly long _rows;
    private readonly ThreadLocal<(ChunkDecoder Decoder, byte[] Raw)> _perThread;

    private RowChunkReader(MappedFile file, H5ChunkInfo[] chunks, IReadOnlyList<H5Filter> filters, int rowsPerChunk, int columns, long rows)
    {
        (_file, _chunks, _filters, _rowsPerChunk, _columns, _rows) = (file, chunks, filters, rowsPerChunk, columns, rows);
        _perThread = new ThreadLocal<(ChunkDecoder, byte[])>(() => (new ChunkDecoder(), new byte[(long)rowsPerChunk * columns * sizeof(float)]));
    }

    /// <summary>A reader for the dataset when its layout allows one (else null: the caller keeps H5Dread).</summary>
    public static RowChunkReader? TryCreate(string path, H5Dataset ds)
    {
        if (ds.Layout != H5Layout.Chunked || ds.Rank != 2 || ds.ChunkDims is not { Length: 2 } chunk || chunk[1] != ds.Dims[1]
            || ds.Type is not { Class: H5TypeClass.Float, Size: 4, Order: not H5ByteOrder.BigEndian } || !ChunkDecoder.CanDecode(ds.Filters)
            || chunk[0] <= 0 || chunk[0] * chunk[1] * 4 > int.MaxValue || ds.Dims[0] == 0) return null;
        var file = new MappedFile(path);
        try
        {
            // A chunk never written holds fill values, which only H5Dread knows: such matrices keep H5Dread.
            var chunks = ChunkIndex.Read(ds, (int)chunk[0], file.Length);
            return chunks.Any(c => c is null) ? Dispose(file)
                : new RowChunkReader(file, chunks.Select(c => c!.Value).ToArray(), ds.Filters, (int)chunk[0], (int)ds.Dims[1], ds.Dims[0]);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static RowChunkReader? Dispose(MappedFile file)
    {
        file.Dispose();
        return null;
    }

    /// <summary>Rows [first, first + count) as doubles, row-major. Thread-safe.</summary>
    public void ReadRows(long first, int count, Span<double> destination)
    {
        var (decoder, raw) = _perThread.Value;
        var values = MemoryMarshal.Cast<byte, float>(raw.AsSpan());
        var done = 0;
        while (done < count)
        {
            var row = first + done;
            var index = (int)(row / _rowsPerChunk);
            var chunkFirst = (long)index * _rowsPerChunk;
            var c = _chunks[index];
            decoder.Decode(_file.Bytes(c.Address, c.Size, "feature rows"), _filters, c.FilterMask, sizeof(float), raw);
            var from = (int)(row - chunkFirst);
            var take = (int)Math.Min(count - done, Math.Min(_rowsPerChunk - from, _rows - row));
            var src = values.Slice(from * _columns, take * _columns);
            var dst = destination.Slice(done * _columns, take * _columns);
            Widen(src, dst);
            done += take;
        }
    }

    private static void Widen(ReadOnlySpan<float> src, Span<double> dst) => Elementwise.Widen(src, dst);

    public void Dispose()
    {
        _perThread.Dispose();
        _file.Dispose();
    }
}
