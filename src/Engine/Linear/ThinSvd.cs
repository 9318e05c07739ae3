namespace Seiscat.Engine.Linear;

/// <summary>
/// The leading singular triplets of a centred n × d matrix, from the eigen-decomposition of the smaller Gram
/// matrix (n × n when n ≤ d, else d × d), in double. Singular values descending; U (n × r) and V (d × r) column
/// vectors stored row-major. Also the total sum of squares (for explained-variance ratios).
/// </summary>
internal sealed class ThinSvd
{
    public required double[] S { get; init; }
    public required double[] U { get; init; }   // n × r
    public required double[] V { get; init; }   // d × r
    public required int Rank { get; init; }
    public required double TotalSumOfSquares { get; init; }
    /// <summary>min(n, d): how many singular values the full thin SVD has.</summary>
    public required int Full { get; init; }

    public static ThinSvd Of(ReadOnlySpan<double> xc, int n, int d, int r)
    {
        r = Math.Min(r, Math.Min(n, d));
        double total = 0;
        foreach (var value in xc) total += value * value;
        var small = Math.Min(n, d);
        var gram = new double[small * small];
        if (n <= d)
        {
            for (var i = 0; i < n; i++)
                for (var j = 0; j <= i; j++)
                {
                    double dot = 0;
                    for (var k = 0; k < d; k++) dot += xc[i * d + k] * xc[j * d + k];
                    gram[i * n + j] = gram[j * n + i] = dot;
                }
        }
        else
        {
            for (var i = 0; i < n; i++)
                for (var a = 0; a < d; a++)
                {
                    var xa = xc[i * d + a];
                    for (var b = 0; b <= a; b++) gram[a * d + b] += xa * xc[i * d + b];
                }
            for (var a = 0; a < d; a++)
                for (var b = 0; b < a; b++) gram[b * d + a] = gram[a * d + b];
        }
        var eig = new SymmetricEigen(gram, small);
        var s = new double[r];
        var u = new double[n * r];
        var v = new double[d * r];
        for (var j = 0; j < r; j++)
        {
            var col = small - 1 - j; // descending
            s[j] = Math.Sqrt(Math.Max(eig.Values[col], 0));
            var inv = s[j] > 0 ? 1 / s[j] : 0;
            if (n <= d)
            {
                for (var i = 0; i < n; i++) u[i * r + j] = eig.Vectors[i * small + col];
                for (var k = 0; k < d; k++)
                {
                    double acc = 0;
                    for (var i = 0; i < n; i++) acc += xc[i * d + k] * u[i * r + j];
                    v[k * r + j] = acc * inv;
                }
            }
            else
            {
                for (var k = 0; k < d; k++) v[k * r + j] = eig.Vectors[k * small + col];
                for (var i = 0; i < n; i++)
                {
                    double acc = 0;
                    for (var k = 0; k < d; k++) acc += xc[i * d + k] * v[k * r + j];
                    u[i * r + j] = acc * inv;
                }
            }
        }
        return new ThinSvd { S = s, U = u, V = v, Rank = r, TotalSumOfSquares = total, Full = small };
    }

    /// <summary>Subtracts the column means from X itself and returns it.</summary>
    public static double[] CentreInPlace(double[] x, int n, int d, out double[] mean)
    {
        mean = new double[d];
        for (var i = 0; i < n; i++)
            for (var k = 0; k < d; k++) mean[k] += x[i * d + k];
        for (var k = 0; k < d; k++) mean[k] /= n;
        for (var i = 0; i < n; i++)
            for (var k = 0; k < d; k++) x[i * d + k] -= mean[k];
        return x;
    }
}
