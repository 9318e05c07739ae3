namespace Seiscat.Engine.Linear;

/// <summary>
/// Eigen-decomposition of a real symmetric matrix in double: Householder tridiagonalisation then implicit QL
/// (the EISPACK tred2/tql2 pair). Eigenvalues ascending; eigenvectors in the columns of <see cref="Vectors"/>
/// (row-major n × n). Used for Gram/covariance matrices (PCA, whitening) and W·Wᵀ (FastICA).
/// </summary>
public sealed class SymmetricEigen
{
    public double[] Values { get; }
    /// <summary>Row-major; column j is the eigenvector of Values[j].</summary>
    public double[] Vectors { get; }
    public int N { get; }

    public SymmetricEigen(ReadOnlySpan<double> matrix, int n)
    {
        if (matrix.Length != n * n) throw new ArgumentException("matrix must be n × n");
        N = n;
        var v = matrix.ToArray();
        var d = new double[n];
        var e = new double[n];
        if (n > 0)
        {
            Tridiagonalize(v, d, e, n);
            QL(v, d, e, n);
        }
        Values = d;
        Vectors = v;
    }

    private static void Tridiagonalize(double[] V, double[] d, double[] e, int n)
    {
        for (var j = 0; j < n; j++) d[j] = V[(n - 1) * n + j];
        for (var i = n - 1; i > 0; i--)
        {
            double scale = 0, h = 0;
            for (var k = 0; k < i; k++) scale += Math.Abs(d[k]);
            if (scale == 0)
            {
                e[i] = d[i - 1];
                for (var j = 0; j < i; j++)
                {
                    d[j] = V[(i - 1) * n + j];
                    V[i * n + j] = 0;
                    V[j * n + i] = 0;
                }
            }
            else
            {
                for (var k = 0; k < i; k++)
                {
                    d[k] /= scale;
                    h += d[k] * d[k];
                }
                var f = d[i - 1];
                var g = Math.Sqrt(h);
                if (f > 0) g = -g;
                e[i] = scale * g;
                h -= f * g;
                d[i - 1] = f - g;
                for (var j = 0; j < i; j++) e[j] = 0;
                for (var j = 0; j < i; j++)
                {
                    f = d[j];
                    V[j * n + i] = f;
                    g = e[j] + V[j * n + j] * f;
                    for (var k = j + 1; k <= i - 1; k++)
                    {
                        g += V[k * n + j] * d[k];
                        e[k] += V[k * n + j] * f;
                    }
                    e[j] = g;
                }
                f = 0;
                for (var j = 0; j < i; j++)
                {
                    e[j] /= h;
                    f += e[j] * d[j];
                }
                var hh = f / (h + h);
                for (var j = 0; j < i; j++) e[j] -= hh * d[j];
                for (var j = 0; j < i; j++)
                {
                    f = d[j];
                    g = e[j];
                    for (var k = j; k <= i - 1; k++) V[k * n + j] -= f * e[k] + g * d[k];
                    d[j] = V[(i - 1) * n + j];
                    V[i * n + j] = 0;
                }
            }
            d[i] = h;
        }
        for (var i = 0; i < n - 1; i++)
        {
            V[(n - 1) * n + i] = V[i * n + i];
            V[i * n + i] = 1;
            var h = d[i + 1];
            if (h != 0)
            {
                for (var k = 0; k <= i; k++) d[k] = V[k * n + i + 1] / h;
                for (var j = 0; j <= i; j++)
                {
                    double g = 0;
                    for (var k = 0; k <= i; k++) g += V[k * n + i + 1] * V[k * n + j];
                    for (var k = 0; k <= i; k++) V[k * n + j] -= g * d[k];
                }
            }
            for (var k = 0; k <= i; k++) V[k * n + i + 1] = 0;
        }
        for (var j = 0; j < n; j++)
        {
            d[j] = V[(n - 1) * n + j];
            V[(n - 1) * n + j] = 0;
        }
        V[(n - 1) * n + n - 1] = 1;
        e[0] = 0;
    }

    private static void QL(double[] V, double[] d, double[] e, int n)
    {
        for (var i = 1; i < n; i++) e[i - 1] = e[i];
        e[n - 1] = 0;
        double f = 0, tst1 = 0;
        var eps = Math.Pow(2, -52);
        for (var l = 0; l < n; l++)
        {
            tst1 = Math.Max(tst1, Math.Abs(d[l]) + Math.Abs(e[l]));
            var m = l;
            while (m < n && Math.Abs(e[m]) > eps * tst1) m++;
            if (m == n) m = n - 1;
            if (m > l)
            {
                var iter = 0;
                do
                {
                    if (++iter > 100) throw new InvalidOperationException("symmetric eigen-decomposition did not converge");
                    var g = d[l];
                    var p = (d[l + 1] - g) / (2 * e[l]);
                    var r = Hypot(p, 1);
                    if (p < 0) r = -r;
                    d[l] = e[l] / (p + r);
                    d[l + 1] = e[l] * (p + r);
                    var dl1 = d[l + 1];
                    var h = g - d[l];
                    for (var i = l + 2; i < n; i++) d[i] -= h;
                    f += h;
                    p = d[m];
                    double c = 1, c2 = 1, c3 = 1, el1 = e[l + 1], s = 0, s2 = 0;
                    for (var i = m - 1; i >= l; i--)
                    {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        g = c * e[i];
                        h = c * p;
                        r = Hypot(p, e[i]);
                        e[i + 1] = s * r;
                        s = e[i] / r;
                        c = p / r;
                        p = c * d[i] - s * g;
                        d[i + 1] = h + s * (c * g + s * d[i]);
                        for (var k = 0; k < n; k++)
                        {
                            h = V[k * n + i + 1];
                            V[k * n + i + 1] = s * V[k * n + i] + c * h;
                            V[k * n + i] = c * V[k * n + i] - s * h;
                        }
                    }
                    p = -s * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * p;
                    d[l] = c * p;
                } while (Math.Abs(e[l]) > eps * tst1);
            }
            d[l] += f;
            e[l] = 0;
        }
        // Ascending eigenvalues, vectors permuted alongside.
        for (var i = 0; i < n - 1; i++)
        {
            var k = i;
            var p = d[i];
            for (var j = i + 1; j < n; j++)
                if (d[j] < p) { k = j; p = d[j]; }
            if (k != i)
            {
                d[k] = d[i];
                d[i] = p;
                for (var j = 0; j < n; j++) (V[j * n + i], V[j * n + k]) = (V[j * n + k], V[j * n + i]);
            }
        }
    }

    private static double Hypot(double a, double b)
    {
        a = Math.Abs(a); b = Math.Abs(b);
        if (a < b) (a, b) = (b, a);
        if (a == 0) return 0;
        var r = b / a;
        return a * Math.Sqrt(1 + r * r);
    }
}
