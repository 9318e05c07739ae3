using System.Globalization;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Io.Layouts;

/// <summary>
/// A DAS matrix (time × locus, or locus × time) as one <see cref="ChannelPiece"/> per locus: the channel id is
/// "DAS.NNNNN" (the locus index, "DAS.m00260" below zero) — not a SEED id, so every locus is its own one-component
/// unit, and consecutive files of one acquisition join by id.
/// </summary>
internal static class DasMatrix
{
    public static string ChannelId(long locus) => locus >= 0 ? $"DAS.{locus:00000}" : $"DAS.m{-locus:00000}";

    public static IEnumerable<ChannelPiece> Pieces(H5Dataset ds, bool timeFirst, long startNs, double rate, long firstLocus, double? spacingM = null,
        double? gaugeM = null)
    {
        if (ds.Rank != 2)
            throw SeiscatException.For(ds.FilePath, ds.ObjectPath, $"is {ds.Rank}-D, not a time × locus matrix", "check the file's layout with h5ls -r");
        PieceReading.CheckType(ds);
        PieceReading.CheckRate(rate, ds.FilePath, ds.ObjectPath);
        var loci = timeFirst ? ds.Dims[1] : ds.Dims[0];
        for (var k = 0; k < loci; k++)
            yield return PieceReading.FromDataset(ds, ChannelId(firstLocus + k), startNs, rate, k, timeFirst) with
            {
                Fibre = new FibrePosition(firstLocus + k, spacingM is > 0 ? spacingM : null, gaugeM is > 0 ? gaugeM : null),
            };
    }

    /// <summary>A length attribute in metres: the value, converted when a unit attribute (NAMEUnit, or a unit in the value's
    /// text) says feet or kilometres.</summary>
    public static double? Metres(H5Object o, string name)
    {
        if (Number(o, name) is not { } v) return null;
        var unit = o.HasAttribute(name + "Unit") && o.AttributeType(name + "Unit").Class == H5TypeClass.String
            ? o.ReadStringAttribute(name + "Unit").Trim() : "m";
        return unit.ToLowerInvariant() switch
        {
            "ft" or "foot" or "feet" => v * 0.3048,
            "km" => v * 1000,
            _ => v,
        };
    }

    /// <summary>A numeric attribute that may be stored as a number or as text (some instruments store every attribute as text).</summary>
    public static double? Number(H5Object o, string name)
    {
        if (!o.HasAttribute(name)) return null;
        if (o.AttributeType(name).Class == H5TypeClass.String)
            return double.TryParse(o.ReadStringAttribute(name).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
        return o.ReadDoubleAttribute(name);
    }
}

/// <summary>
/// PRODML 2.x (Silixa iDAS, OptaSense, Sintela): every /Acquisition/Raw[N]/RawData matrix, its order from
/// NumberOfLoci (the Dimensions attribute says the same), the rate from OutputDataRate, the start from the first
/// RawDataTime (int64 µs; PartEndTime can be wrong, PartStartTime is the fallback), loci numbered from
/// StartLocusIndex (may be negative). Files holding only processed data (frequency-band energy) are refused by name.
/// </summary>
public sealed class ProdmlLayout : IArchiveLayout
{
    public string Name => "prodml";

    public bool Sniff(H5File file)
    {
        if (!file.Exists("Acquisition") || file.KindOf("Acquisition") != H5ObjectKind.Group) return false;
        using var acquisition = file.OpenGroup("Acquisition");
        return acquisition.ChildNames().Any(n => n.StartsWith("Raw[", StringComparison.Ordinal) || n == "Processed");
    }

    public IEnumerable<ChannelPiece> Pieces(H5File file, LayoutOptions options)
    {
        using var acquisition = file.OpenGroup("Acquisition");
        var raws = acquisition.ChildNames().Where(n => n.StartsWith("Raw[", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        var pieces = new List<ChannelPiece>();
        foreach (var name in raws)
        {
            using var raw = acquisition.OpenGroup(name);
            if (raw.KindOf("RawData") != H5ObjectKind.Dataset) continue;
            using var data = raw.OpenDataset("RawData");
            var path = data.ObjectPath;
            var rate = DasMatrix.Number(raw, "OutputDataRate") ?? DasMatrix.Number(acquisition, "OutputDataRate")
                ?? throw SeiscatException.For(file.FilePath, raw.ObjectPath, "has no OutputDataRate attribute",
                    $"pass {Setting.Rate.Ref()} with the generic layout");
            var loci = (long?)(DasMatrix.Number(raw, "NumberOfLoci") ?? DasMatrix.Number(acquisition, "NumberOfLoci"));
            var firstLocus = (long)(DasMatrix.Number(raw, "StartLocusIndex") ?? DasMatrix.Number(acquisition, "StartLocusIndex") ?? 0);
            if (data.Rank != 2) throw SeiscatException.For(file.FilePath, path, $"is {data.Rank}-D", "PRODML RawData is time × locus");
            // The Dimensions attribute names the axes ("time", "locus"); without it, time along the first axis unless the
            // loci count says otherwise (time × locus is what PRODML writes).
            var timeFirst = FirstAxisIsTime(data) ?? (loci is not { } n || data.Dims[1] == n || data.Dims[0] != n);
            var startNs = Start(file, raw, data);
            var spacing = DasMatrix.Metres(raw, "SpatialSamplingInterval") ?? DasMatrix.Metres(acquisition, "SpatialSamplingInterval");
            var gauge = DasMatrix.Metres(raw, "GaugeLength") ?? DasMatrix.Metres(acquisition, "GaugeLength");
            pieces.AddRange(DasMatrix.Pieces(data, timeFirst, startNs, rate, firstLocus, spacing, gauge));
        }
        if (pieces.Count > 0) return pieces;
        var processed = acquisition.ChildNames().Contains("Processed") ? Describe(acquisition, "Processed") : "nothing";
        throw SeiscatException.For(file.FilePath, "/Acquisition", $"holds no raw time series (Raw[N]/RawData), only processed data: {processed}",
            "cluster the raw PRODML files of the acquisition; frequency-band energy and spectra are not waveforms");
    }

    private static bool? FirstAxisIsTime(H5Dataset data)
    {
        if (!data.HasAttribute("Dimensions") || data.AttributeType("Dimensions").Class != H5TypeClass.String) return null;
        var first = data.ReadStringAttribute("Dimensions").Split([',', ' ', '[', ']', '\''], StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault()?.ToLowerInvariant();
        return first switch
        {
            "time" => true,
            "locus" or "loci" or "distance" or "channel" => false,
            _ => null,
        };
    }

    private static long Start(H5File file, H5Group raw, H5Dataset data)
    {
        if (raw.KindOf("RawDataTime") == H5ObjectKind.Dataset)
        {
            using var times = raw.OpenDataset("RawDataTime");
            if (times.Rank == 1 && times.Dims[0] > 0 && times.Type.Class == H5TypeClass.Integer)
            {
                Span<long> first = stackalloc long[1];
                times.ReadHyperslab(first, [0], [1]);
                return checked(first[0] * 1000); // µs → ns
            }
        }
        foreach (var o in new H5Object[] { data, raw })
            if (o.HasAttribute("PartStartTime")) return PieceReading.ReadStart(o, "PartStartTime");
        throw SeiscatException.For(file.FilePath, raw.ObjectPath, "has neither RawDataTime nor PartStartTime",
            $"pass {Setting.Start.Ref()} with the generic layout");
    }

    private static string Describe(H5Group acquisition, string name)
    {
        using var g = acquisition.OpenGroup(name);
        return string.Join(", ", g.ChildNames().Take(4)) + (g.ChildNames().Count > 4 ? ", …" : "");
    }
}

/// <summary>
/// GDR / DAS-RCN (/DasMetadata + /DasRawData): RawData time × locus, the start from DasTimeArray (uint64 ns), the rate
/// from AcquisitionSampleRate (text) or the time array's spacing. RawData's Count attribute is stale and ignored.
/// </summary>
public sealed class GdrLayout : IArchiveLayout
{
    public string Name => "gdr";

    public bool Sniff(H5File file) => file.KindOf("DasRawData") == H5ObjectKind.Group && file.KindOf("DasMetadata") == H5ObjectKind.Group;

    public IEnumerable<ChannelPiece> Pieces(H5File file, LayoutOptions options)
    {
        if (file.KindOf("DasRawData/RawData") != H5ObjectKind.Dataset || file.KindOf("DasRawData/DasTimeArray") != H5ObjectKind.Dataset)
            throw SeiscatException.For(file.FilePath, "/DasRawData", "lacks RawData or DasTimeArray", "the GDR file is incomplete; re-download it");
        using var data = file.OpenDataset("DasRawData/RawData");
        using var times = file.OpenDataset("DasRawData/DasTimeArray");
        var n = (int)Math.Min(times.Dims[0], 2);
        if (n < 1) throw SeiscatException.For(file.FilePath, "/DasRawData/DasTimeArray", "is empty", "the GDR file is incomplete; re-download it");
        Span<ulong> t = stackalloc ulong[2];
        times.ReadHyperslab(t[..n], [0], [n]);
        double? rate = null, spacing = null, gauge = null;
        if (file.KindOf("DasMetadata/Interrogator/Acquisition") == H5ObjectKind.Group)
        {
            using var acquisition = file.OpenGroup("DasMetadata/Interrogator/Acquisition");
            rate = DasMatrix.Number(acquisition, "AcquisitionSampleRate");
            spacing = DasMatrix.Metres(acquisition, "SpatialSamplingInterval");
            gauge = DasMatrix.Metres(acquisition, "GaugeLength");
        }
        if (rate is not > 0 && n == 2 && t[1] > t[0]) rate = 1e9 / (t[1] - t[0]);
        var timeFirst = data.Rank == 2 && data.Dims[0] == times.Dims[0];
        return DasMatrix.Pieces(data, timeFirst, (long)t[0], rate ?? double.NaN, 0, spacing, gauge).ToList();
    }
}

/// <summary>
/// The single-matrix DAS families: Terra15 Treble (/data_product/data, rate 1/dT, start posix_time[0]), ASN OptoDAS
/// (/data, header/dt and header/time), Silixa native (/Acoustic, every attribute text: SamplingFrequency[Hz] and
/// "ISO8601 Timestamp"), AP Sensing (/DAS int32, ProcessingServer/DataRate and Metadata/Timestamp). All are time ×
/// locus; loci are numbered from 0.
/// </summary>
public sealed class DasMatrixLayout : IArchiveLayout
{
    public string Name => "das";

    private enum Family { None, Terra15, OptoDas, Silixa, ApSensing }

    private static Family Of(H5File file)
    {
        if (file.KindOf("data_product/data") == H5ObjectKind.Dataset) return Family.Terra15;
        var names = file.ChildNames();
        if (names.Contains("acqSpec") && file.KindOf("data") == H5ObjectKind.Dataset && file.KindOf("header") == H5ObjectKind.Group) return Family.OptoDas;
        if (names.Contains("Acoustic") && file.KindOf("Acoustic") == H5ObjectKind.Dataset) return Family.Silixa;
        if (names.Contains("DAQ") && file.KindOf("DAS") == H5ObjectKind.Dataset) return Family.ApSensing;
        return Family.None;
    }

    public bool Sniff(H5File file) => Of(file) != Family.None;

    public IEnumerable<ChannelPiece> Pieces(H5File file, LayoutOptions options)
    {
        string path;
        double rate;
        long start;
        double? spacing = null, gauge = null;
        switch (Of(file))
        {
            case Family.Terra15:
                path = "/data_product/data";
                using (var ds = file.OpenDataset(path))
                    rate = DasMatrix.Number(ds, "dT") is > 0 and var dt ? 1 / dt : throw Missing(file, path, "dT");
                start = Seconds(file, "data_product/posix_time");
                spacing = DasMatrix.Number(file, "dx");
                gauge = DasMatrix.Number(file, "gauge_length");
                break;
            case Family.OptoDas:
                path = "/data";
                rate = Scalar(file, "header/dt") is > 0 and var step ? 1 / step : throw Missing(file, "/header", "dt");
                start = Seconds(file, "header/time");
                spacing = Scalar(file, "header/dx");
                gauge = Scalar(file, "header/gaugeLength");
                break;
            case Family.Silixa:
                path = "/Acoustic";
                using (var ds = file.OpenDataset(path))
                {
                    spacing = DasMatrix.Number(ds, "SpatialResolution[m]");
                    gauge = DasMatrix.Number(ds, "GaugeLength");
                    rate = DasMatrix.Number(ds, "SamplingFrequency[Hz]") ?? throw Missing(file, path, "SamplingFrequency[Hz]");
                    start = ds.HasAttribute("ISO8601 Timestamp") ? PieceReading.ReadStart(ds, "ISO8601 Timestamp")
                        : throw Missing(file, path, "ISO8601 Timestamp");
                }
                break;
            default:
                path = "/DAS";
                rate = Scalar(file, "ProcessingServer/DataRate") ?? throw Missing(file, "/ProcessingServer", "DataRate");
                start = file.KindOf("Metadata/Timestamp") == H5ObjectKind.Dataset && file.ReadStringDataset("Metadata/Timestamp") is [var text, ..]
                    ? TimeFormat.ParseInstant(text, "Metadata/Timestamp") : throw Missing(file, "/Metadata", "Timestamp");
                break;
        }
        using var data = file.OpenDataset(path);
        return DasMatrix.Pieces(data, timeFirst: true, start, rate, 0, spacing, gauge).ToList();
    }

    private static double? Scalar(H5File file, string path)
    {
        if (file.KindOf(path) != H5ObjectKind.Dataset) return null;
        var values = file.ReadDataset<double>(path);
        return values.Length > 0 ? values[0] : null;
    }

    // A time in float seconds since 1970 (the first of an array, or a scalar dataset) as ns.
    private static long Seconds(H5File file, string path)
        => Scalar(file, path) is { } s && double.IsFinite(s) ? (long)Math.Round(s * 1e9) : throw Missing(file, "/" + path, "a start time");

    private static SeiscatException Missing(H5File file, string path, string what)
        => SeiscatException.For(file.FilePath, path, $"has no {what}", $"pass {Setting.Rate.Ref()} and {Setting.Start.Ref()} with the generic layout");
}

/// <summary>
/// DAS files seiscat recognises but does not read: each gets one line naming the instrument family and what to do,
/// instead of "no sampling_rate attribute" from the generic layout (Febus spectra).
/// </summary>
public sealed class RecognisedDasLayout : IArchiveLayout
{
    public string Name => "das-recognised";

    private static string? Family(H5File file)
    {
        var names = file.ChildNames();
        foreach (var top in names.Where(n => file.KindOf(n) == H5ObjectKind.Group))
            if (file.KindOf($"{top}/Source1") == H5ObjectKind.Group)
            {
                using var zone = file.KindOf($"{top}/Source1/Zone1") == H5ObjectKind.Group ? file.OpenGroup($"{top}/Source1/Zone1") : null;
                var spectra = zone?.ChildNames().Any(n => n.StartsWith("PSD", StringComparison.Ordinal)) == true;
                if (spectra) return "Febus, power spectral densities (PSD): not a time series";
            }
        return null;
    }

    public bool Sniff(H5File file) => Family(file) is not null;

    public IEnumerable<ChannelPiece> Pieces(H5File file, LayoutOptions options)
    {
        var family = Family(file) ?? "an unknown DAS layout";
        var what = family.Contains("not a time series", StringComparison.Ordinal)
            ? "holds spectra, which cannot be clustered as waveforms; use the raw strain-rate files of the acquisition"
            : $"read the matrix with {Setting.Layout.Ref()} generic {Setting.Dataset.Ref()} PATH {Setting.Rate.Ref()} HZ {Setting.Start.Ref()} TIME " +
                "(this DAS family is recognised but not read natively yet)";
        throw SeiscatException.For(file.FilePath, null, $"is {family}", what);
    }
}
