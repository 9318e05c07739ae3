using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Seiscat.Engine.Common.Parts;

/// <summary>
/// A short hash of everything an output depends on: input files (path, size, modification time), options as text,
/// and the seiscat version. Names checkpoint folders (<c>OUT.parts-&lt;fingerprint&gt;</c>) and `run`'s stage keys, so
/// work is reused exactly when nothing it depends on changed. Never covers thread counts or memory budgets, which
/// do not change a byte.
/// </summary>
public sealed class Fingerprint
{
    private readonly StringBuilder _text = new();

    /// <summary>A file by identity: a copy, an edit or a touch changes the fingerprint; a missing file counts as such. A
    /// symbolic link counts by its target's size and time (a new target behind the same link changes the fingerprint).</summary>
    public Fingerprint File(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is FileInfo target) info = target;
        _text.Append(Path.GetFullPath(path)).Append('|')
            .Append(info.Exists ? info.Length : -1).Append('|')
            .Append(info.Exists ? info.LastWriteTimeUtc.Ticks : 0).Append('\n');
        return this;
    }

    public Fingerprint Files(IEnumerable<string> paths)
    {
        foreach (var p in paths) File(p);
        return this;
    }

    public Fingerprint Text(string value)
    {
        _text.Append(value).Append('\n');
        return this;
    }

    public Fingerprint Number(long value) => Text(value.ToString(CultureInfo.InvariantCulture));

    /// <summary>16 hex digits of SHA-256 over the parts and the code version.</summary>
    public string Hex()
    {
        var text = _text.ToString() + typeof(Fingerprint).Assembly.GetName().Version;
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }

    public override string ToString() => Hex();
}
