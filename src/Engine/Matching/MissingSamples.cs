namespace Seiscat.Engine.Matching;

/// <summary>
/// What a gap in the record does to matching. A band-pass rings for about a low-corner period on both sides of missing
/// data, so a correlation window that touches a missing sample or that ringing is not evidence of an event: it is masked
/// (NaN), neither voting nor counting in the MAD. The gaps themselves are reported.
/// </summary>
public static class MissingSamples
{
    /// <summary>Running count (length n + 1) of the samples that are missing or within <paramref name="ring"/> samples of a
    /// missing one: window [t, t + m) is masked when prefix[t + m] − prefix[t] &gt; 0.</summary>
    public static int[] RingingPrefix(ReadOnlySpan<bool> missing, int ring)
    {
        var n = missing.Length;
        var missingBefore = new int[n + 1];
        for (var i = 0; i < n; i++) missingBefore[i + 1] = missingBefore[i] + (missing[i] ? 1 : 0);
        var prefix = new int[n + 1];
        for (var i = 0; i < n; i++)
        {
            var near = missingBefore[Math.Min(n, i + ring + 1)] - missingBefore[Math.Max(0, i - ring)] > 0;
            prefix[i + 1] = prefix[i] + (near ? 1 : 0);
        }
        return prefix;
    }

    /// <summary>Sets to NaN every lag of <paramref name="trace"/> whose window of <paramref name="windowLength"/> samples is
    /// masked in <paramref name="prefix"/>.</summary>
    public static void MaskTrace(Span<float> trace, ReadOnlySpan<int> prefix, int windowLength)
    {
        for (var t = 0; t < trace.Length; t++) if (prefix[t + windowLength] - prefix[t] != 0) trace[t] = float.NaN;
    }

    /// <summary>The runs of missing samples of a record read from <paramref name="readStartNs"/> at <paramref name="rate"/>,
    /// clipped to [<paramref name="fromNs"/>, <paramref name="toNs"/>).</summary>
    public static IEnumerable<MatchGap> Gaps(string station, bool[] missing, long readStartNs, double rate, long fromNs, long toNs)
    {
        for (var i = 0; i < missing.Length; i++)
        {
            if (!missing[i]) continue;
            var j = i;
            while (j + 1 < missing.Length && missing[j + 1]) j++;
            var a = Math.Max(fromNs, readStartNs + (long)Math.Round(i * 1e9 / rate));
            var e = Math.Min(toNs, readStartNs + (long)Math.Round((j + 1) * 1e9 / rate));
            if (e > a) yield return new MatchGap(station, a, e);
            i = j;
        }
    }
}
