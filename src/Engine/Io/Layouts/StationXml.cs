using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace Seiscat.Engine.Io.Layouts;

/// <summary>One channel epoch's overall sensitivity from FDSN StationXML: counts per input unit (e.g. M/S).</summary>
public sealed record ChannelSensitivity(string ChannelId, long StartNs, long EndNs, double Value, string InputUnits);

/// <summary>
/// The overall gain of each channel epoch in an FDSN StationXML document (Network/Station/Channel →
/// Response/InstrumentSensitivity/Value), as ASDF stores it beside the waveforms. Only the scalar sensitivity: enough to
/// put broadband and strong-motion amplitudes on one scale for clustering, not a full response removal.
/// </summary>
public static class StationXml
{
    public static IReadOnlyList<ChannelSensitivity> Sensitivities(string xml)
    {
        XDocument doc;
        try { doc = XDocument.Parse(xml); }
        catch (XmlException e) { throw new FormatException($"StationXML is not valid XML ({e.Message})", e); }
        var result = new List<ChannelSensitivity>();
        foreach (var net in Children(doc.Root, "Network"))
            foreach (var sta in Children(net, "Station"))
                foreach (var cha in Children(sta, "Channel"))
                {
                    var sensitivity = Children(Children(cha, "Response").FirstOrDefault(), "InstrumentSensitivity").FirstOrDefault();
                    var value = Children(sensitivity, "Value").FirstOrDefault()?.Value;
                    if (value is null || !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || v == 0
                        || !double.IsFinite(v)) continue;
                    var units = Children(Children(sensitivity, "InputUnits").FirstOrDefault(), "Name").FirstOrDefault()?.Value ?? "";
                    var id = $"{Attr(net, "code")}.{Attr(sta, "code")}.{Attr(cha, "locationCode")}.{Attr(cha, "code")}";
                    result.Add(new ChannelSensitivity(id, Time(Attr(cha, "startDate"), long.MinValue), Time(Attr(cha, "endDate"), long.MaxValue), v,
                        units));
                }
        return result;
    }

    /// <summary>The sensitivity of the epoch of <paramref name="channelId"/> that holds <paramref name="atNs"/>, or null.</summary>
    public static double? At(IReadOnlyList<ChannelSensitivity> epochs, string channelId, long atNs)
        => epochs.FirstOrDefault(e => e.ChannelId == channelId && e.StartNs <= atNs && atNs < e.EndNs)?.Value;

    private static IEnumerable<XElement> Children(XElement? e, string localName)
        => e is null ? [] : e.Elements().Where(c => c.Name.LocalName == localName);

    private static string Attr(XElement e, string name) => e.Attribute(name)?.Value ?? "";

    private static long Time(string text, long missing)
    {
        if (string.IsNullOrEmpty(text)) return missing;
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t))
            return missing;
        var ticks = t.Ticks - DateTime.UnixEpoch.Ticks;
        return ticks > long.MaxValue / 100 ? long.MaxValue : ticks * 100;
    }
}
