using System.Text.Json.Serialization;
using Seiscat.Engine.Evaluation;
using Seiscat.Engine.Mixture;
using Seiscat.Engine.Pipeline;

namespace Seiscat.Engine.Common;

// Source-generated serializers for everything the engine writes or reads as JSON: no reflection at run time, so the
// engine stays trimmable and Native-AOT compilable (the published binary). One context per set of options.

/// <summary>Files a person reads (evaluation.json, stability.json): indented, snake_case like the CLI's JSON.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(StabilityResult))]
[JsonSerializable(typeof(EvaluationReport))]
internal sealed partial class ReportJson : JsonSerializerContext;

/// <summary>Stage keys: every option that changes an output, as text (fields included, NaN allowed).</summary>
[JsonSourceGenerationOptions(IncludeFields = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(FitOptions))]
[JsonSerializable(typeof(FeaturesRequest))]
internal sealed partial class KeyJson : JsonSerializerContext;

/// <summary>Plain maps and lists stored inside outputs (label names, input file lists): compact.</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class PlainJson : JsonSerializerContext;

/// <summary>The run manifest (stage → key), indented for people.</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class ManifestJson : JsonSerializerContext;
