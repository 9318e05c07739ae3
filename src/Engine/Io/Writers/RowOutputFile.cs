using Seiscat.Engine.Common;
using Seiscat.Engine.Common.Parts;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Io.Writers;

/// <summary>
/// An HDF5 output whose datasets grow by rows (features.h5, a prediction .h5): created under a temporary name, its
/// place in a parted output (shard or checkpoint part) recorded with its kind's attribute names, and renamed into
/// place by <see cref="Complete"/> after <c>n_windows</c> and <c>complete = 1</c> are written. Dispose without
/// Complete closes every handle and deletes the temporary.
/// </summary>
public abstract class RowOutputFile : IDisposable
{
    private readonly AtomicOutput _output;
    private readonly PartedKind _kind;
    private bool _closed;

    protected H5File File { get; }

    protected RowOutputFile(string path, PartedKind kind, FileFormat format)
    {
        _output = new AtomicOutput(path);
        _kind = kind;
        try
        {
            File = H5File.Create(_output.TempPath);
            format.Stamp(File);
        }
        catch
        {
            _output.Dispose();
            throw;
        }
    }

    /// <summary>Rows written so far (including any the writer still buffers).</summary>
    public abstract long Rows { get; }

    /// <summary>This file holds rows [place.First, place.First + Rows) of place.Total: shard or part place.Index of place.Count.</summary>
    public void SetPlace(ShardPlace place)
    {
        File.WriteAttribute(PartedKind.IndexAttribute, (long)place.Index);
        File.WriteAttribute(PartedKind.CountAttribute, (long)place.Count);
        File.WriteAttribute(_kind.FirstAttribute, place.First);
        File.WriteAttribute(_kind.TotalAttribute, place.Total);
    }

    /// <summary>Writes buffered rows, marks the file complete, closes it and renames it into place.</summary>
    public void Complete()
    {
        FlushRows();
        File.WriteAttribute(PartedKind.RowsAttribute, Rows);
        File.WriteAttribute(PartedKind.CompleteAttribute, 1L);
        File.Flush();
        Close();
        _output.Commit();
    }

    /// <summary>Writes rows still buffered (writers that write whole chunks).</summary>
    protected virtual void FlushRows() { }

    /// <summary>Every dataset the writer keeps open, closed before the file.</summary>
    protected abstract IEnumerable<H5Dataset?> OpenDatasets();

    /// <summary>Frees what a writer holds besides datasets (native compressor state), once, when the file closes.</summary>
    protected virtual void ReleaseResources() { }

    private void Close()
    {
        if (_closed) return;
        _closed = true;
        foreach (var d in OpenDatasets()) d?.Dispose();
        ReleaseResources();
        File.Dispose();
    }

    public void Dispose()
    {
        Close();
        _output.Dispose();
        GC.SuppressFinalize(this);
    }
}
