using Seiscat.Engine.Kernels;

namespace Seiscat.Engine.Matching;

/// <summary>What one group's trace gave in one block: the histogram of its valid values, the threshold (MAD multiple ×
/// MAD; NaN when fewer than two samples had data), the MAD, the samples with data, and the peaks (trace indices).</summary>
public sealed record GroupDetection(long[] Histogram, double Threshold, double Mad, long Samples, int[] Peaks);

/// <summary>
/// The detector of a template group (one cluster seen at several stations). Each member template has a correlation
/// trace at its own station; the group's trace is their mean after shifting each by its onset delay, defined only
/// where every member has data (NaN in a member's trace: a window in or ringing from a gap). A detection is the peak
/// of each run of the group's trace above a multiple of its median absolute deviation (MAD) over the block.
/// </summary>
public static class GroupDetector
{
    /// <summary>The group's trace over <paramref name="n"/> samples: sample i is the mean of member u's trace at
    /// i + shifts[u]; valid where every member has a value there (no detection across a gap), 0 elsewhere.</summary>
    public static (float[] Trace, bool[] Valid) Stack(IReadOnlyList<float[]> memberTraces, ReadOnlySpan<int> shifts, int n)
    {
        var trace = new float[n];
        var valid = new bool[n];
        var members = memberTraces.Count;
        for (var i = 0; i < n; i++)
        {
            double sum = 0;
            var votes = 0;
            for (var u = 0; u < members; u++)
            {
                var t = i + shifts[u];
                var tr = memberTraces[u];
                if (t < 0 || t >= tr.Length || float.IsNaN(tr[t])) continue;
                sum += tr[t];
                votes++;
            }
            valid[i] = votes == members;
            trace[i] = valid[i] ? (float)(sum / members) : 0;
        }
        return (trace, valid);
    }

    /// <summary>The MAD of the valid samples, the threshold <paramref name="madMultiple"/> × MAD, and the peak of every
    /// run of valid samples above it (the first of equal maxima). No peaks when the MAD is 0 (a constant trace).</summary>
    public static GroupDetection Detect(ReadOnlySpan<float> trace, ReadOnlySpan<bool> valid, double madMultiple)
    {
        var count = 0;
        foreach (var v in valid) if (v) count++;
        var kept = new float[count];
        for (int i = 0, k = 0; i < trace.Length; i++) if (valid[i]) kept[k++] = trace[i];
        var histogram = GroupTrace.HistogramOf(kept);
        if (kept.Length < 2) return new GroupDetection(histogram, double.NaN, double.NaN, 0, []);
        var median = Median.Of(kept, new float[kept.Length]);
        for (var i = 0; i < kept.Length; i++) kept[i] = Math.Abs(kept[i] - (float)median);
        var mad = Median.OfInPlace(kept);
        var threshold = madMultiple * mad;
        if (!(mad > 0)) return new GroupDetection(histogram, threshold, mad, kept.Length, []);
        var peaks = new List<int>();
        for (var i = 0; i < trace.Length; i++)
        {
            if (!valid[i] || trace[i] <= threshold) continue;
            var best = i;
            while (i + 1 < trace.Length && valid[i + 1] && trace[i + 1] > threshold) if (trace[++i] > trace[best]) best = i;
            peaks.Add(best);
        }
        return new GroupDetection(histogram, threshold, mad, kept.Length, peaks.ToArray());
    }

    /// <summary>
    /// A detection's size relative to its templates: the geometric mean, over members and components, of the norm of the
    /// (demeaned) record under the template ÷ the template's norm; log10 of it is a relative magnitude. NaN when no
    /// component has both norms above 0.
    /// </summary>
    /// <param name="members">Per member: its band-passed record (components × samples), where the template's window
    /// starts in it, and the template (components × samples).</param>
    public static double AmplitudeRatio(IEnumerable<(float[][] Record, int Start, float[][] Template)> members)
    {
        double logSum = 0;
        var count = 0;
        foreach (var (record, start, template) in members)
            for (var c = 0; c < template.Length; c++)
            {
                var a = Norm(record[c].AsSpan(start, template[c].Length));
                var b = Norm(template[c]);
                if (a > 0 && b > 0)
                {
                    logSum += Math.Log(a / b);
                    count++;
                }
            }
        return count > 0 ? Math.Exp(logSum / count) : double.NaN;
    }

    private static double Norm(ReadOnlySpan<float> x)
    {
        double mean = 0;
        foreach (var v in x) mean += v;
        mean /= Math.Max(1, x.Length);
        double s = 0;
        foreach (var v in x) s += (v - mean) * (v - mean);
        return Math.Sqrt(s);
    }
}
