using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Io.Layouts;

/// <summary>
/// miniDAS (DAS-RCN's minimal format, discontinued but written by several groups): root attribute format = "miniDAS",
/// /traces samples × channels, start_time (uint64 ns since 1970), sampling_rate (Hz), gauge_length (m). The optional
/// scale_factor is not applied (one factor for every channel: clustering does not see it). Channels are numbered from 0;
/// the format gives coordinates per channel, not a spacing, so distances are left unknown.
/// </summary>
public sealed class MiniDasLayout : IArchiveLayout
{
    public string Name => "minidas";

    public bool Sniff(H5File file)
        => file.HasAttribute("format") && file.AttributeType("format").Class == H5TypeClass.String
            && file.ReadStringAttribute("format").Trim().Equals("miniDAS", StringComparison.OrdinalIgnoreCase);

    public IEnumerable<ChannelPiece> Pieces(H5File file, LayoutOptions options)
    {
        if (file.KindOf("traces") != H5ObjectKind.Dataset)
            throw SeiscatException.For(file.FilePath, "/traces", "is missing from this miniDAS file",
                "miniDAS keeps its samples in /traces (samples × channels)");
        var rate = DasMatrix.Number(file, "sampling_rate") ?? throw Missing(file, "sampling_rate");
        if (!file.HasAttribute("start_time")) throw Missing(file, "start_time");
        var start = file.AttributeType("start_time").Class == H5TypeClass.String
            ? TimeFormat.ParseInstant(file.ReadStringAttribute("start_time"), "start_time")
            : file.ReadAttribute<ulong>("start_time") is [var ns, ..] && ns <= long.MaxValue ? (long)ns : throw Missing(file, "start_time");
        using var data = file.OpenDataset("traces");
        return DasMatrix.Pieces(data, timeFirst: true, start, rate, 0, null, DasMatrix.Number(file, "gauge_length")).ToList();
    }

    private static SeiscatException Missing(H5File file, string attribute)
        => SeiscatException.For(file.FilePath, "/", $"has no {attribute} attribute", "miniDAS files carry start_time (ns) and sampling_rate (Hz) at the root");
}

/// <summary>
/// DAS-HDF5 (CF-1.7 based, Conventions "…DAS-HDF5…"): /das channel × time (either order is accepted: the axis as long
/// as /t is time), /t the sample times as a CF coordinate ("UNIT since DATE" in its units attribute; without one, float
/// seconds or integer nanoseconds since 1970). The rate is the times' spacing; channel distances come from /x (metres)
/// when it is evenly spaced.
/// </summary>
public sealed class DasCfLayout : IArchiveLayout
{
    public string Name => "das-cf";

    public bool Sniff(H5File file)
        => file.HasAttribute("Conventions") && file.AttributeType("Conventions").Class == H5TypeClass.String
            && file.ReadStringAttribute("Conventions").Contains("DAS-HDF5", StringComparison.OrdinalIgnoreCase);

    public IEnumerable<ChannelPiece> Pieces(H5File file, LayoutOptions options)
    {
        if (file.KindOf("das") != H5ObjectKind.Dataset || file.KindOf("t") != H5ObjectKind.Dataset)
            throw SeiscatException.For(file.FilePath, "/das", "is not in this DAS-HDF5 file (with its time coordinate /t)",
                "DAS-HDF5 keeps channel × time samples in /das and their times in /t");
        using var data = file.OpenDataset("das");
        var (start, rate, count) = SimpleDasLayout.Times(file, "t");
        if (data.Rank != 2 || (data.Dims[0] != count && data.Dims[1] != count))
            throw SeiscatException.For(file.FilePath, "/das", $"has shape ({string.Join(", ", data.Dims)}) but /t has {count} times",
                "the matrix must be channels × times");
        var timeFirst = data.Dims[1] != count;
        return DasMatrix.Pieces(data, timeFirst, start, rate, 0, SimpleDasLayout.Spacing(file, "x")).ToList();
    }
}

/// <summary>
/// The "simple" DAS layouts that DASCore and others write: a matrix /raw or /data beside a time vector /timestamp or
/// /time (float seconds since 1970, or integer ns) and optionally /distance. Recognised only by that exact shape (the
/// matrix, a time vector as long as one of its axes, nothing else but /distance); `--layout das-simple` forces it.
/// </summary>
public sealed class SimpleDasLayout : IArchiveLayout
{
    public string Name => "das-simple";

    private static (string Data, string Time)? Names(H5File file)
    {
        var names = file.ChildNames();
        var data = names.FirstOrDefault(n => n is "raw" or "data");
        var time = names.FirstOrDefault(n => n is "timestamp" or "time");
        if (data is null || time is null || names.Any(n => n != data && n != time && n != "distance")) return null;
        if (file.KindOf(data) != H5ObjectKind.Dataset || file.KindOf(time) != H5ObjectKind.Dataset) return null;
        return (data, time);
    }

    public bool Sniff(H5File file)
    {
        if (Names(file) is not var (data, time)) return false;
        using var d = file.OpenDataset(data);
        using var t = file.OpenDataset(time);
        return d.Rank == 2 && t.Rank == 1 && (d.Dims[0] == t.Dims[0] || d.Dims[1] == t.Dims[0]);
    }

    public IEnumerable<ChannelPiece> Pieces(H5File file, LayoutOptions options)
    {
        if (Names(file) is not var (dataName, timeName))
            throw SeiscatException.For(file.FilePath, "/", "is not a simple DAS file (/raw or /data with /timestamp or /time)",
                $"drop {Setting.Layout.Ref()} das-simple to let seiscat recognise the file");
        using var data = file.OpenDataset(dataName);
        var (start, rate, count) = Times(file, timeName);
        if (data.Rank != 2 || (data.Dims[0] != count && data.Dims[1] != count))
            throw SeiscatException.For(file.FilePath, "/" + dataName, $"does not match /{timeName} ({count} times)", "the matrix must be time × channel");
        // Time along the first axis when it matches (and when both do, as DASCore writes /raw: time × distance).
        var timeFirst = data.Dims[0] == count;
        return DasMatrix.Pieces(data, timeFirst, start, rate, 0, Spacing(file, "distance")).ToList();
    }

    /// <summary>Start (ns), rate (Hz) and count of a time vector: CF units "UNIT since DATE", else float seconds or
    /// integer ns since 1970; the rate from the mean spacing, which must be steady (a jittered clock is refused).</summary>
    internal static (long StartNs, double Rate, long Count) Times(H5File file, string path)
    {
        using var ds = file.OpenDataset(path);
        if (ds.Rank != 1 || ds.Dims[0] < 2)
            throw SeiscatException.For(file.FilePath, "/" + path, "needs at least two times", "the file's time vector is too short to give a rate");
        var (unitNs, originNs) = CfUnits(file, ds, path);
        double step;
        long first;
        if (ds.Type.Class == H5TypeClass.Integer)
        {
            // Integer times (int64 ns since 1970 is 1.7e18) in integer arithmetic: a double keeps only ~300 ns of it.
            var t = ds.ReadAll<long>();
            step = (double)(t[^1] - t[0]) / (t.Length - 1) * unitNs;
            first = Instant(file, path, originNs, t[0], (long)unitNs);
        }
        else
        {
            var t = ds.ReadAll<double>();
            step = (t[^1] - t[0]) / (t.Length - 1) * unitNs;
            first = originNs + (long)Math.Round(t[0] * unitNs);
        }
        if (!(step > 0)) throw SeiscatException.For(file.FilePath, "/" + path, "does not increase", "the time vector must run forward");
        return (first, 1e9 / step, ds.Dims[0]);
    }

    /// <summary>origin + value × unit (ns), exactly, or a one-line refusal when it leaves the int64 ns range.</summary>
    internal static long Instant(H5File file, string path, long originNs, long value, long unitNs)
    {
        try { return checked(originNs + value * unitNs); }
        catch (OverflowException)
        {
            throw SeiscatException.For(file.FilePath, "/" + path, $"holds a time ({value} × {unitNs} ns) beyond the years 1678–2262",
                "check the time vector's units");
        }
    }

    /// <summary>A CF time variable's unit (ns per unit) and origin (ns since 1970) from its "UNIT since DATE" units
    /// attribute; without one, float seconds or integer nanoseconds since 1970.</summary>
    internal static (double UnitNs, long OriginNs) CfUnits(H5File file, H5Dataset ds, string path)
    {
        if (!ds.HasAttribute("units") || ds.AttributeType("units").Class != H5TypeClass.String)
            return (ds.Type.Class == H5TypeClass.Integer ? 1.0 : 1e9, 0L);
        var units = ds.ReadStringAttribute("units").Trim();
        var parts = units.Split(" since ", 2, StringSplitOptions.TrimEntries);
        var unitNs = parts[0].ToLowerInvariant() switch
        {
            "s" or "sec" or "second" or "seconds" => 1e9,
            "ms" or "millisecond" or "milliseconds" => 1e6,
            "us" or "µs" or "microsecond" or "microseconds" => 1e3,
            "ns" or "nanosecond" or "nanoseconds" => 1,
            "d" or "day" or "days" => 86400e9,
            _ => throw SeiscatException.For(file.FilePath, "/" + path, $"has time units '{units}'", "use seconds, ms, us or ns since a date"),
        };
        return (unitNs, parts.Length == 2 ? TimeFormat.ParseInstant(parts[1].Replace(' ', 'T'), "/" + path + " units") : 0L);
    }

    /// <summary>An evenly spaced coordinate vector's spacing (metres), or null.</summary>
    internal static double? Spacing(H5File file, string path)
    {
        if (file.KindOf(path) != H5ObjectKind.Dataset) return null;
        using var ds = file.OpenDataset(path);
        if (ds.Rank != 1 || ds.Dims[0] < 2) return null;
        var x = ds.ReadAll<double>();
        var dx = (x[^1] - x[0]) / (x.Length - 1);
        return dx > 0 && x.Zip(x.Skip(1)).All(p => Math.Abs(p.Second - p.First - dx) <= 1e-6 * Math.Abs(dx) + 1e-9) ? dx : null;
    }
}

/// <summary>
/// Febus A1 (/DEVICE/SourceN/ZoneM/DATA: blocks × rows × channels, block times in /DEVICE/SourceN/time). Each block
/// may repeat the ends of its neighbours; only its middle rows are kept, so the blocks join without duplicated samples:
/// the rule of Febus' own library as DASCore applies it — the row step is Spacing[1] ms when the zone has a Version
/// (rows per block 1 + Extent[3] − Extent[2]), else 1 / SamplingRate (rows per block from the shape); a block lasts
/// 1000 / BlockRate s, else the mean spacing of the block times (outliers fenced); rows kept per block: block time / step
/// when Extent[2] ≠ 0 (overlaps already trimmed), else rows / (1 + Overlap %); the surplus is cut half before, half
/// after. Time of the first kept sample: time[0] + Origin[1] ms + first kept row × step. Loci from Extent[0], spacing
/// Spacing[0] m. The block times are taken as a regular grid (they jitter by ~1 % in the files seen).
/// </summary>
public sealed class FebusLayout : IArchiveLayout
{
    public string Name => "febus";

    private static IEnumerable<(string Zone, string Source, string Data)> Zones(H5File file)
    {
        foreach (var device in file.ChildNames().Where(n => file.KindOf(n) == H5ObjectKind.Group))
        {
            using var d = file.OpenGroup(device);
            foreach (var source in d.ChildNames().Where(n => n.StartsWith("Source", StringComparison.Ordinal) && d.KindOf(n) == H5ObjectKind.Group))
            {
                using var s = d.OpenGroup(source);
                foreach (var zone in s.ChildNames().Where(n => n.StartsWith("Zone", StringComparison.Ordinal) && s.KindOf(n) == H5ObjectKind.Group))
                {
                    using var z = s.OpenGroup(zone);
                    var data = z.ChildNames().Where(n => z.KindOf(n) == H5ObjectKind.Dataset).ToList();
                    if (data.Count == 1 && !data[0].StartsWith("PSD", StringComparison.Ordinal))
                        yield return ($"{device}/{source}/{zone}", $"{device}/{source}", $"{device}/{source}/{zone}/{data[0]}");
                }
            }
        }
    }

    public bool Sniff(H5File file) => Zones(file).Any();

    public IEnumerable<ChannelPiece> Pieces(H5File file, LayoutOptions options)
    {
        var pieces = new List<ChannelPiece>();
        foreach (var (zonePath, sourcePath, dataPath) in Zones(file))
        {
            using var zone = file.OpenGroup(zonePath);
            using var data = file.OpenDataset(dataPath);
            if (data.Rank != 3)
                throw SeiscatException.For(file.FilePath, "/" + dataPath, $"is {data.Rank}-D, not blocks × rows × channels",
                    "this Febus file is not an A1 strain file");
            double[] Attr(string name) => zone.HasAttribute(name) ? zone.ReadAttribute<double>(name)
                : throw SeiscatException.For(file.FilePath, "/" + zonePath, $"has no {name} attribute", "the Febus file is incomplete");
            var extent = Attr("Extent");
            var spacing = Attr("Spacing");
            var origin = zone.HasAttribute("Origin") ? zone.ReadAttribute<double>("Origin") : [0, 0, 0];
            if (extent.Length < 4 || spacing.Length < 2 || origin.Length < 2)
                throw SeiscatException.For(file.FilePath, "/" + zonePath, "has an Extent, Spacing or Origin attribute that is too short",
                    "the Febus file is damaged or of an unknown version; export the record with Febus' own tools");
            double step;
            long rowsPerBlock;
            if (zone.HasAttribute("Version"))
            {
                rowsPerBlock = 1 + (long)(extent[3] - extent[2]);
                step = spacing[1] / 1000;
            }
            else
            {
                rowsPerBlock = data.Dims[1];
                step = 1 / (DasMatrix.Number(zone, "SamplingRate") ?? (Attr("SamplingRate") is [var sr, ..] ? sr : double.NaN));
            }
            if (rowsPerBlock != data.Dims[1] || !(step > 0))
                throw SeiscatException.For(file.FilePath, "/" + dataPath, $"has {data.Dims[1]} rows per block but its Extent says {rowsPerBlock}",
                    "this Febus version is not understood; export the record with Febus' own tools");
            if (file.KindOf(sourcePath + "/time") != H5ObjectKind.Dataset)
                throw SeiscatException.For(file.FilePath, "/" + sourcePath, "has no block times (time)", "the Febus file is incomplete");
            using var times = file.OpenDataset(sourcePath + "/time");
            var t = times.ReadAll<double>();
            if (t.Length == 0 || !double.IsFinite(t[0]))
                throw SeiscatException.For(file.FilePath, "/" + sourcePath + "/time", "holds no usable block time", "the Febus file is incomplete");
            var blockSeconds = BlockSeconds(zone, t);
            var overlap = (zone.HasAttribute("Overlap") ? zone.ReadAttribute<double>("Overlap")
                : zone.HasAttribute("BlockOverlap") ? zone.ReadAttribute<double>("BlockOverlap") : []) is [var percent, ..] ? percent : 0;
            var keep = extent[2] != 0 ? (long)Math.Round(blockSeconds / step) : (long)Math.Round(rowsPerBlock / (1 + overlap / 100));
            if (keep < 1 || keep > rowsPerBlock)
                throw SeiscatException.For(file.FilePath, "/" + dataPath, $"keeps {keep} of {rowsPerBlock} rows per block",
                    "the block times and the row step disagree; export the record with Febus' own tools");
            var surplus = rowsPerBlock - keep;
            var keepStart = (int)(surplus / 2);
            var startNs = (long)Math.Round((t[0] + origin[1] / 1000 + keepStart * step) * 1e9);
            var blocks = new TimeBlocks((int)rowsPerBlock, keepStart, (int)keep);
            var first = (long)extent[0];
            for (var k = 0; k < data.Dims[2]; k++)
                pieces.Add(PieceReading.FromDataset(data, DasMatrix.ChannelId(first + k), startNs, 1 / step, k, samplesFirst: true) with
                {
                    Samples = data.Dims[0] * keep,
                    Blocks = blocks,
                    Fibre = new FibrePosition(first + k, spacing[0] > 0 ? spacing[0] : null, DasMatrix.Number(zone, "GaugeLength")),
                });
        }
        return pieces;
    }

    // 1000 / BlockRate when set; else the mean spacing of the block times within Tukey's fences (some blocks are late).
    private static double BlockSeconds(H5Group zone, double[] t)
    {
        if (DasMatrix.Number(zone, "BlockRate") is > 0 and var rate) return 1000 / rate;
        if (t.Length < 2) return double.NaN;
        var d = t.Zip(t.Skip(1), (a, b) => b - a).Order().ToArray();
        var (q1, q3) = (d[(int)(0.25 * (d.Length - 1))], d[(int)(0.75 * (d.Length - 1))]);
        var (lo, hi) = (q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1));
        return d.Where(x => x >= lo && x <= hi).Average();
    }
}

/// <summary>
/// xdas' NetCDF/HDF5 DataArrays (CF, written by h5netcdf): /__values__ time × distance, its coordinates given as
/// linear tie points (time_indices/time_values with CF units, distance_indices/distance_values). Read when the time
/// tie points describe one evenly sampled stretch (the file has no gap); a record with gaps (several stretches) is
/// refused with what to do.
/// </summary>
public sealed class XdasLayout : IArchiveLayout
{
    public string Name => "xdas";

    public bool Sniff(H5File file) => file.KindOf("__values__") == H5ObjectKind.Dataset && file.KindOf("time_indices") == H5ObjectKind.Dataset
        && file.KindOf("time_values") == H5ObjectKind.Dataset;

    public IEnumerable<ChannelPiece> Pieces(H5File file, LayoutOptions options)
    {
        using var data = file.OpenDataset("__values__");
        var index = file.ReadDataset<long>("time_indices");
        using var values = file.OpenDataset("time_values");
        var (unitNs, originNs) = SimpleDasLayout.CfUnits(file, values, "time_values");
        // Tie-point times as integers when stored so (ns since 1970 does not fit a double exactly).
        var exact = values.Type.Class == H5TypeClass.Integer ? values.ReadAll<long>() : null;
        var t = exact?.Select(v => (double)v).ToArray() ?? values.ReadAll<double>();
        if (data.Rank != 2 || index.Length < 2 || index.Length != t.Length || index[0] != 0 || index[^1] != data.Dims[0] - 1)
            throw SeiscatException.For(file.FilePath, "/__values__", "has time tie points that do not span its first axis",
                "export the DataArray with one time coordinate per sample, or as a simple matrix + time vector");
        var step = (t[^1] - t[0]) * unitNs / (index[^1] - index[0]);
        for (var j = 1; j < index.Length; j++)
        {
            var segment = (t[j] - t[j - 1]) * unitNs / Math.Max(1, index[j] - index[j - 1]);
            if (index[j] <= index[j - 1] || Math.Abs(segment - step) > 1e-3 * step)
                throw SeiscatException.For(file.FilePath, "/time_values", "describes several stretches with gaps between them",
                    "split the record at its gaps (xdas: DataArray.isel per stretch) and write one file each");
        }
        double? spacing = null;
        if (file.KindOf("distance_indices") == H5ObjectKind.Dataset && file.KindOf("distance_values") == H5ObjectKind.Dataset)
        {
            var di = file.ReadDataset<long>("distance_indices");
            var dv = file.ReadDataset<double>("distance_values");
            if (di.Length == 2 && dv.Length == 2 && di[1] > di[0]) spacing = (dv[1] - dv[0]) / (di[1] - di[0]);
        }
        var start = exact is { } e ? SimpleDasLayout.Instant(file, "time_values", originNs, e[0], (long)unitNs) : originNs + (long)Math.Round(t[0] * unitNs);
        return DasMatrix.Pieces(data, timeFirst: true, start, 1e9 / step, 0, spacing).ToList();
    }
}

/// <summary>
/// DASCore's own format (DASDAE, root __format__ = "DASDAE", written through PyTables): one group per patch under
/// /waveforms with its data matrix (axis order in the _dims attribute), _coord_time (int64 ns) and _coord_distance (m).
/// Rate from the time coordinate's mean step; loci numbered from the first distance ÷ the channel spacing, so patches of
/// one fibre keep their channels' names.
/// </summary>
public sealed class DasdaeLayout : IArchiveLayout
{
    public string Name => "dasdae";

    public bool Sniff(H5File file) => file.KindOf("waveforms") == H5ObjectKind.Group && file.HasAttribute("__format__")
        && file.AttributeType("__format__").Class == H5TypeClass.String && file.ReadStringAttribute("__format__").Trim() == "DASDAE";

    public IEnumerable<ChannelPiece> Pieces(H5File file, LayoutOptions options)
    {
        using var waveforms = file.OpenGroup("waveforms");
        var pieces = new List<ChannelPiece>();
        foreach (var name in waveforms.ChildNames().Where(n => waveforms.KindOf(n) == H5ObjectKind.Group).Order(StringComparer.Ordinal))
        {
            var patch = $"waveforms/{name}";
            using var g = file.OpenGroup(patch);
            if (g.KindOf("data") != H5ObjectKind.Dataset || g.KindOf("_coord_time") != H5ObjectKind.Dataset) continue;
            var dims = g.HasAttribute("_dims") ? g.ReadStringAttribute("_dims").Split(',', StringSplitOptions.TrimEntries) : ["time", "distance"];
            if (dims is not (["time", "distance"] or ["distance", "time"]))
                throw SeiscatException.For(file.FilePath, "/" + patch, $"has dimensions ({string.Join(", ", dims)})",
                    "only time × distance patches are waveforms; transform the patch back to time and distance in DASCore");
            var (start, rate, _) = SimpleDasLayout.Times(file, patch + "/_coord_time");
            var spacing = SimpleDasLayout.Spacing(file, patch + "/_coord_distance");
            long firstLocus = 0;
            if (spacing is { } dx && g.KindOf("_coord_distance") == H5ObjectKind.Dataset)
                firstLocus = (long)Math.Round(file.ReadDataset<double>(patch + "/_coord_distance")[0] / dx);
            using var data = g.OpenDataset("data");
            pieces.AddRange(DasMatrix.Pieces(data, dims[0] == "time", start, rate, firstLocus, spacing));
        }
        if (pieces.Count == 0)
            throw SeiscatException.For(file.FilePath, "/waveforms", "holds no patch with data and a time coordinate", "the DASDAE file is empty");
        return pieces;
    }
}
