namespace Seiscat.Engine.Kernels;

/// <summary>
/// np.median of a float span (mean of the two middle values for an even count), by in-place selection
/// (Hoare partition, median-of-three pivot): O(n), no allocation. Destroys the order of <paramref name="values"/>.
/// </summary>
public static class Median
{
    public static double OfInPlace(Span<float> values)
    {
        var n = values.Length;
        if (n == 0) throw new ArgumentException("median of nothing");
        var upper = n / 2;
        var hi = Select(values, upper);
        if ((n & 1) == 1) return hi;
        // The lower middle is the largest value left of the upper one after selection.
        var lo = values[0];
        for (var i = 1; i < upper; i++) if (values[i] > lo) lo = values[i];
        return ((double)lo + hi) / 2;
    }

    /// <summary>Reference: sort a copy.</summary>
    public static double OfSorted(ReadOnlySpan<float> values)
    {
        var copy = values.ToArray();
        Array.Sort(copy);
        var n = copy.Length;
        return (n & 1) == 1 ? copy[n / 2] : ((double)copy[n / 2 - 1] + copy[n / 2]) / 2;
    }

    // Leaves the k-th smallest at index k, smaller-or-equal values before it, larger-or-equal after.
    private static float Select(Span<float> a, int k)
    {
        int left = 0, right = a.Length - 1;
        while (right > left)
        {
            if (right - left < 16)
            {
                for (var i = left + 1; i <= right; i++)
                {
                    var v = a[i];
                    var j = i - 1;
                    while (j >= left && a[j] > v) { a[j + 1] = a[j]; j--; }
                    a[j + 1] = v;
                }
                return a[k];
            }
            var mid = left + (right - left) / 2;
            if (a[mid] < a[left]) (a[mid], a[left]) = (a[left], a[mid]);
            if (a[right] < a[left]) (a[right], a[left]) = (a[left], a[right]);
            if (a[right] < a[mid]) (a[right], a[mid]) = (a[mid], a[right]);
            var pivot = a[mid];
            int i2 = left, j2 = right;
            while (i2 <= j2)
            {
                while (a[i2] < pivot) i2++;
                while (a[j2] > pivot) j2--;
                if (i2 <= j2)
                {
                    (a[i2], a[j2]) = (a[j2], a[i2]);
                    i2++; j2--;
                }
            }
            if (k <= j2) right = j2;
            else if (k >= i2) left = i2;
            else return a[k];
        }
        return a[k];
    }
}
