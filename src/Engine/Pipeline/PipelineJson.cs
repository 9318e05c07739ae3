using System.Text.Json.Serialization;
using Seiscat.Engine.Evaluation;
using Seiscat.Engine.Mixture;

namespace Seiscat.Engine.Pipeline;

// Source-generated serializers for the pipeline's own JSON (see Common/EngineJson.cs for plain maps and lists).

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

