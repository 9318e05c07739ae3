using System.Globalization;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Io.Layouts;

/// <summary>Shared checks that turn a dataset and its attributes into a <see cref="ChannelPiece"/>.</summary>
internal static class PieceReading
{
    public static ChannelPiece FromDataset(H5Dataset ds, string channel, long startNs, double rate, int row = -1, bool samplesFirst = false)
    {
        CheckType(ds);
        var samples = ds.Rank switch
        {
            0 => 1,
            1 => ds.Dims[0],
            _ => samplesFirst ? ds.Dims[0] : ds.Dims[^1],
        };
        return new ChannelPiece(ds.FilePath, ds.ObjectPath, channel, startNs, rate, samples, ds.Type,
            new StorageInfo(ds.Layout, ds.ChunkDims, ds.Filters, ds.StorageSize), row, samplesFirst);
    }

    public static void CheckType(H5Dataset ds)
    {
        var t = ds.Type;
        var ok = (t.Class == H5TypeClass.Float && t.Size is 4 or 8)
                 || (t.Class == H5TypeClass.Integer && t.Size is 1 or 2 or 4 or 8);
        if (!ok)
            throw SeiscatException.For(ds.FilePath, ds.ObjectPath, $"holds {t} samples, which seiscat cannot read",
                "store waveforms as float32/float64 or 8/16/32/64-bit integers");
    }

    public static long RequireInt64(H5Object obj, string attribute)
    {
        if (!obj.HasAttribute(attribute))
            throw SeiscatException.For(obj.FilePath, obj.ObjectPath, $"has no '{attribute}' attribute",
                $"add {attribute} (int64 ns since 1970 UTC) or choose the layout/attribute with {Setting.Layout.Ref()}/{Setting.StartAttribute.Ref()}");
        return obj.ReadInt64Attribute(attribute);
    }

    public static double RequireRate(H5Object obj, string attribute)
    {
        if (!obj.HasAttribute(attribute))
            throw SeiscatException.For(obj.FilePath, obj.ObjectPath, $"has no '{attribute}' attribute", $"add {attribute} (Hz) or pass {Setting.Rate.Ref()}");
        return CheckRate(obj.ReadDoubleAttribute(attribute), obj.FilePath, obj.ObjectPath);
    }

    public static double CheckRate(double rate, string file, string dataset)
    {
        if (!(rate > 0) || double.IsInfinity(rate))
            throw SeiscatException.For(file, dataset, $"sampling rate {rate.ToString(CultureInfo.InvariantCulture)} Hz is impossible",
                $"fix the sampling_rate attribute or pass {Setting.Rate.Ref()}");
        return rate;
    }

    /// <summary>int64 ns, or an ISO-8601 UTC string (microseconds and a trailing Z allowed).</summary>
    public static long ReadStart(H5Object obj, string attribute)
    {
        var type = obj.AttributeType(attribute);
        if (type.Class == H5TypeClass.String)
        {
            var text = obj.ReadStringAttribute(attribute);
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
                throw SeiscatException.For(obj.FilePath, obj.ObjectPath, $"attribute '{attribute}' = '{text}' is not an ISO-8601 time",
                    "use e.g. 2012-07-25T00:00:00.000000Z or an int64 ns attribute");
            return (t.UtcTicks - DateTime.UnixEpoch.Ticks) * 100;
        }
        return obj.ReadInt64Attribute(attribute);
    }
}
