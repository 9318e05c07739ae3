using System.Globalization;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Common;

/// <summary>
/// The version stamp of a seiscat HDF5 output: a root attribute <c>format</c> = "seiscat-KIND-VERSION" (e.g.
/// "seiscat-features-1"). Every writer stamps its file; every reader checks the stamp and refuses, in one line naming the
/// file, a file of another kind or another version. A layout change bumps its VERSION and nothing else.
/// </summary>
/// <param name="Kind">What the file holds ("features", "model", …).</param>
/// <param name="Version">The layout's version.</param>
/// <param name="Writer">The command that writes it, for the refusal's fix ("seiscat features").</param>
/// <param name="StampedSince">True when every file of this kind has carried the stamp; false for kinds that were written
/// without one before stamps existed (their unstamped files have version 1's layout and are read as version 1).</param>
public sealed record FileFormat(string Kind, int Version, string Writer, bool StampedSince)
{
    public const string Attribute = "format";
    private const string Prefix = "seiscat-";

    public static readonly FileFormat Features = new("features", 1, "seiscat features (or run)", StampedSince: false);
    public static readonly FileFormat Model = new("model", 1, "seiscat fit (or run)", StampedSince: false);
    public static readonly FileFormat Prediction = new("prediction", 1, "seiscat predict (or run)", StampedSince: false);
    public static readonly FileFormat Candidates = new("candidates", 1, "seiscat run", StampedSince: false);
    public static readonly FileFormat Scatter = new("scatter", 1, "seiscat scatter", StampedSince: false);
    public static readonly FileFormat Templates = new("templates", 1, "seiscat templates", StampedSince: true);
    public static readonly FileFormat Wavelets = new("wavelets", 1, "seiscat learn", StampedSince: true);
    public static readonly FileFormat Bank = new("bank", 1, "seiscat learn", StampedSince: true);
    public static readonly FileFormat LearnState = new("learn-state", 1, "seiscat learn", StampedSince: true);

    /// <summary>The attribute's value: "seiscat-KIND-VERSION".</summary>
    public string Tag => string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Kind}-{Version}");

    public void Stamp(H5Object file) => file.WriteAttribute(Attribute, Tag);

    /// <summary>Null when <paramref name="file"/> is of this kind and version; else why not, as a refusal's middle part.</summary>
    public string? Mismatch(H5Object file)
    {
        if (!file.HasAttribute(Attribute) || file.AttributeType(Attribute).Class != H5TypeClass.String)
            return StampedSince ? $"is not a seiscat {Kind} file (no format \"{Tag}\")" : null;
        var tag = file.ReadStringAttribute(Attribute);
        if (!TryParse(tag, out var kind, out var version)) return $"is not a seiscat {Kind} file (format \"{tag}\")";
        if (kind != Kind) return $"is a seiscat {kind} file, not a {Kind} file";
        if (version != Version)
            return string.Create(CultureInfo.InvariantCulture, $"has {Kind} format version {version}; this seiscat reads version {Version}");
        return null;
    }

    /// <summary>Throws the one-line refusal when <paramref name="file"/> (at <paramref name="path"/>) is not of this kind
    /// and version.</summary>
    public void Ensure(H5Object file, string path)
    {
        if (Mismatch(file) is not { } why) return;
        var fix = file.HasAttribute(Attribute) && TryParse(file.ReadStringAttribute(Attribute), out var kind, out var version) && kind == Kind
            ? version > Version ? "read it with the newer seiscat that wrote it" : $"write it again with {Writer}"
            : $"pass the {Kind} file that {Writer} wrote";
        throw SeiscatException.For(path, "/", why, fix);
    }

    private static bool TryParse(string tag, out string kind, out int version)
    {
        (kind, version) = ("", 0);
        if (!tag.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var dash = tag.LastIndexOf('-');
        if (dash <= Prefix.Length) return false;
        kind = tag[Prefix.Length..dash];
        return int.TryParse(tag.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out version);
    }
}
