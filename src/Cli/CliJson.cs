using System.Text.Json.Serialization;
using Seiscat.Engine.Benchmarks;
using Seiscat.Engine.Evaluation;
using Seiscat.Engine.Pipeline;

namespace Seiscat.Cli;

/// <summary>
/// The JSON every command prints or writes for scripts: indented, snake_case names (Python's convention). Source
/// generated, so the published binary needs no reflection (Native AOT).
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(StabilityResult))]
[JsonSerializable(typeof(List<ScatterBenchResult>))]
[JsonSerializable(typeof(MixtureBenchResult))]
[JsonSerializable(typeof(MatchBenchResult))]
[JsonSerializable(typeof(DasReadBenchResult))]
[JsonSerializable(typeof(ArchiveSummary))]
[JsonSerializable(typeof(EvaluationReport))]
internal sealed partial class CliJson : JsonSerializerContext;
