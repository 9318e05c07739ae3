using System.Text.Json;
using System.Text.Json.Nodes;

namespace Seiscat.Engine.Common;

/// <summary>The two network families a features file can come from.</summary>
public enum NetworkKind { Morlet, Paper }

/// <summary>
/// Which family a stored configuration describes. The kind is stored with the configuration itself — every features.h5,
/// model.h5 and bank.h5 holds the network's JSON, and the paper network's says <c>"network": "paper"</c> — so this is
/// the one place that reads it; the rooms that must not know the networks (Mixture) ask here.
/// </summary>
public static class NetworkKinds
{
    public const string PaperName = "paper";

    /// <summary>The kind of a configuration's JSON; Morlet when it names no network (or is empty or not JSON).</summary>
    public static NetworkKind Of(string? configJson)
    {
        if (string.IsNullOrEmpty(configJson)) return NetworkKind.Morlet;
        try
        {
            return JsonNode.Parse(configJson) is JsonObject o && o["network"] is JsonValue v && v.TryGetValue<string>(out var s) && s == PaperName
                ? NetworkKind.Paper : NetworkKind.Morlet;
        }
        catch (JsonException) { return NetworkKind.Morlet; }
    }
}
