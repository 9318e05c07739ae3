using System.Text.Json.Serialization;

namespace Seiscat.Engine.Common;

// Source-generated serializers (no reflection at run time, so the engine stays trimmable and Native-AOT compilable).
// One context per set of options; contexts for engine types live with the layer that owns them (Pipeline/PipelineJson.cs),
// so this file depends on nothing of the engine.

/// <summary>Plain maps and lists stored inside outputs (label names, input file lists): compact.</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class PlainJson : JsonSerializerContext;

/// <summary>The run manifest (stage → key), indented for people.</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class ManifestJson : JsonSerializerContext;
