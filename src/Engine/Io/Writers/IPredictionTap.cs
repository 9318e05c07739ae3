namespace Seiscat.Engine.Io.Writers;

/// <summary>
/// Sees every predicted block in row order, with the feature rows it came from (row-major, the source's columns):
/// how `run` gathers its report and evaluation in the same pass that writes the labels.
/// </summary>
public interface IPredictionTap
{
    void Add(PredictionBlock block, ReadOnlySpan<double> rows);
}
