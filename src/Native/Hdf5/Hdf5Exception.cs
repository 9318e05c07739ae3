using System.Runtime.InteropServices;
using System.Text;

namespace Seiscat.Native.Hdf5;

/// <summary>An HDF5 call failed; carries HDF5's own error-stack text and the file/object it concerned.</summary>
public sealed class Hdf5Exception : Exception
{
    public string? FilePath { get; }
    public string? ObjectPath { get; }
    public string Hdf5Message { get; }

    public Hdf5Exception(string operation, string? filePath, string? objectPath, string hdf5Message)
        : base(Compose(operation, filePath, objectPath, hdf5Message))
    {
        FilePath = filePath;
        ObjectPath = objectPath;
        Hdf5Message = hdf5Message;
    }

    private static string Compose(string operation, string? file, string? obj, string hdf5)
    {
        var where = file is null ? "" : obj is null ? $" for {file}" : $" for {file}:{obj}";
        return string.IsNullOrEmpty(hdf5) ? $"{operation} failed{where}" : $"{operation} failed{where}: {hdf5}";
    }
}

internal static unsafe class H5Error
{
    /// <summary>Throws with the current thread's error stack when status is negative. Call under H5Lock.</summary>
    public static long Check(long status, string operation, string? file = null, string? obj = null)
    {
        if (status < 0) throw Capture(operation, file, obj);
        return status;
    }

    public static Hdf5Exception Capture(string operation, string? file, string? obj)
    {
        var messages = new List<string>();
        var handle = GCHandle.Alloc(messages);
        try
        {
            Interop.H5Ewalk2(Interop.H5E_DEFAULT, Interop.H5E_WALK_DOWNWARD, &Walk, (void*)GCHandle.ToIntPtr(handle));
        }
        finally
        {
            handle.Free();
            Interop.H5Eclear2(Interop.H5E_DEFAULT);
        }
        // The deepest entries say what actually went wrong (e.g. "truncated file"); keep the stack short but complete.
        return new Hdf5Exception(operation, file, obj, string.Join(" <- ", messages.Distinct()));
    }

    [UnmanagedCallersOnly]
    private static int Walk(uint n, Interop.H5E_error2_t* err, void* clientData)
    {
        var messages = (List<string>)GCHandle.FromIntPtr((nint)clientData).Target!;
        var desc = Marshal.PtrToStringUTF8((nint)err->desc) ?? "";
        var minor = MessageText(err->min_num);
        var text = string.IsNullOrEmpty(minor) ? desc : string.IsNullOrEmpty(desc) ? minor : $"{desc} ({minor})";
        if (!string.IsNullOrWhiteSpace(text)) messages.Add(text.Trim());
        return 0;
    }

    private static string MessageText(long msgId)
    {
        Span<byte> buffer = stackalloc byte[256];
        int type;
        fixed (byte* p = buffer)
        {
            var len = (int)Interop.H5Eget_msg(msgId, &type, p, (nuint)buffer.Length);
            return len <= 0 ? "" : Encoding.UTF8.GetString(buffer[..Math.Min(len, buffer.Length - 1)]);
        }
    }
}
