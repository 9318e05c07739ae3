using Seiscat.Native.Fftw;

namespace Seiscat.Engine.Signal;

/// <summary>
/// The templates of one station prepared for overlap-save correlation: each component demeaned and scaled to unit
/// norm, and the conjugate of its spectrum at the segment length, computed once and shared read-only by every thread.
/// Segment geometry: transforms of <see cref="FftLength"/> samples advance by <see cref="Hop"/> = N − M + 1 (M the
/// longest template), so every output lag of a segment is a full, non-circular correlation.
/// </summary>
public sealed class CorrelationPlan
{
    /// <summary>Templates × components × samples (demeaned, unit norm per component; all-zero components stay zero).</summary>
    public float[][][] Unit { get; }
    /// <summary>Conjugate spectra, templates × components × (N/2 + 1 complex, interleaved).</summary>
    internal float[][][] ConjugateSpectra { get; }
    public int Components { get; }
    public int FftLength { get; }
    public int LongestTemplate { get; }
    public int Hop => FftLength - LongestTemplate + 1;
    public int Templates => Unit.Length;
    public FftwEffort Effort { get; }
    /// <summary>Thread workspaces of finished calls, reused by the next (their FFTW buffers live as long as the plan).</summary>
    internal System.Collections.Concurrent.ConcurrentBag<NormalizedCorrelation.Workspace> Workspaces { get; } = [];
    /// <summary>The distinct template lengths (the sliding norms are computed once per length and segment).</summary>
    public int[] Lengths => Unit.Select(t => t[0].Length).Distinct().Order().ToArray();
    public int LengthOf(int template) => Unit[template][0].Length;

    /// <param name="templates">templates × components × samples; every template has the same component count.</param>
    /// <param name="fftLength">Segment length (power of two ≥ 2·longest); 0 chooses 8× the longest template (measured best of 4, 8, 16), at least 1024.</param>
    /// <param name="effort">FFTW planning effort: Estimate for tests and one-off uses, Measure (with wisdom) for matching.</param>
    public CorrelationPlan(IReadOnlyList<float[][]> templates, int fftLength = 0, FftwEffort effort = FftwEffort.Estimate)
    {
        if (templates.Count == 0) throw new ArgumentException("no templates", nameof(templates));
        Components = templates[0].Length;
        if (Components == 0 || templates.Any(t => t.Length != Components || t.Any(c => c.Length != t[0].Length) || t[0].Length < 2))
            throw new ArgumentException("every template needs the same components, each of one length ≥ 2 samples", nameof(templates));
        LongestTemplate = templates.Max(t => t[0].Length);
        FftLength = fftLength > 0 ? fftLength : (int)Math.Max(1024, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(8 * LongestTemplate)));
        if (FftLength < 2 * LongestTemplate) throw new ArgumentException($"segments of {FftLength} samples cannot hold templates of {LongestTemplate}");
        Unit = templates.Select(t => t.Select(UnitNorm).ToArray()).ToArray();
        var n = FftLength;
        Effort = effort;
        var forward = FftwPlan.Get(FftKind.RealToComplex, n, 1, effort);
        FftwPlan.Get(FftKind.ComplexToReal, n, 1, effort); // planned here, inside the caller's wisdom scope
        using var input = new FftwBuffer(n);
        using var output = new FftwBuffer(n + 2);
        ConjugateSpectra = Unit.Select(t => t.Select(c =>
        {
            input.Span.Clear();
            c.CopyTo(input.Span);
            forward.Execute(input, output);
            var s = output.Span.ToArray();
            for (var k = 1; k < s.Length; k += 2) s[k] = -s[k];
            return s;
        }).ToArray()).ToArray();
    }

    private static float[] UnitNorm(float[] x)
    {
        double mean = 0;
        foreach (var v in x) mean += v;
        mean /= x.Length;
        double ss = 0;
        foreach (var v in x) ss += (v - mean) * (v - mean);
        var result = new float[x.Length];
        if (ss <= 0) return result;
        var scale = 1 / Math.Sqrt(ss);
        for (var i = 0; i < x.Length; i++) result[i] = (float)((x[i] - mean) * scale);
        return result;
    }
}
