namespace Seiscat.Engine.Linear;

/// <summary>Small dense kernels in double, row-major arrays: products, Cholesky, triangular inverse.</summary>
public static class Dense
{
    /// <summary>C (m × n) = A (m × k) · B (k × n).</summary>
    public static double[] Multiply(ReadOnlySpan<double> a, ReadOnlySpan<double> b, int m, int k, int n)
    {
        var c = new double[m * n];
        for (var i = 0; i < m; i++)
            for (var p = 0; p < k; p++)
            {
                var aip = a[i * k + p];
                if (aip == 0) continue;
                for (var j = 0; j < n; j++) c[i * n + j] += aip * b[p * n + j];
            }
        return c;
    }

    /// <summary>output_j = Σ_f (row_f − mean_f)·components[j, f]: the PCA/ICA projection of one row (components k × d).</summary>
    public static void Project(ReadOnlySpan<double> row, ReadOnlySpan<double> mean, ReadOnlySpan<double> components, int k, Span<double> output)
    {
        var d = mean.Length;
        for (var j = 0; j < k; j++)
        {
            double s = 0;
            for (var f = 0; f < d; f++) s += (row[f] - mean[f]) * components[j * d + f];
            output[j] = s;
        }
    }

    /// <summary>Aᵀ (n × m) of A (m × n).</summary>
    public static double[] Transpose(ReadOnlySpan<double> a, int m, int n)
    {
        var t = new double[m * n];
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++) t[j * m + i] = a[i * n + j];
        return t;
    }

    /// <summary>Lower Cholesky factor L (L·Lᵀ = A) of a symmetric positive-definite d × d matrix; false when it is not.</summary>
    public static bool TryCholesky(ReadOnlySpan<double> a, int d, Span<double> lower)
    {
        lower.Clear();
        for (var j = 0; j < d; j++)
        {
            var s = a[j * d + j];
            for (var k = 0; k < j; k++) s -= lower[j * d + k] * lower[j * d + k];
            if (!(s > 0)) return false;
            var ljj = Math.Sqrt(s);
            lower[j * d + j] = ljj;
            for (var i = j + 1; i < d; i++)
            {
                var t = a[i * d + j];
                for (var k = 0; k < j; k++) t -= lower[i * d + k] * lower[j * d + k];
                lower[i * d + j] = t / ljj;
            }
        }
        return true;
    }

    /// <summary>L⁻¹ for lower-triangular L (forward substitution on the identity).</summary>
    public static double[] InvertLower(ReadOnlySpan<double> lower, int d)
    {
        var inv = new double[d * d];
        for (var c = 0; c < d; c++)
        {
            for (var i = c; i < d; i++)
            {
                var s = i == c ? 1.0 : 0.0;
                for (var k = c; k < i; k++) s -= lower[i * d + k] * inv[k * d + c];
                inv[i * d + c] = s / lower[i * d + i];
            }
        }
        return inv;
    }
}
