namespace Seiscat.Engine.Linear;

/// <summary>
/// FastICA as scikit-learn 1.2 (algorithm="parallel", fun="logcosh", whiten="unit-variance", whiten_solver="svd"):
/// centre, whiten with the SVD (u signed by its first row), X1 = K·Xᵀ·√n, symmetric-decorrelation fixed point from
/// w_init until max|1 − |diag(W₁Wᵀ)|| &lt; tol, then sources rescaled to unit variance.
/// </summary>
public sealed class FastIca
{
    public required int Components { get; init; }
    public required double[] Mean { get; init; }          // d
    public required double[] Whitening { get; init; }     // c × d (whitening_)
    public required double[] Unmixing { get; init; }      // c × c (W after rescaling, sklearn's _unmixing)
    public required double[] ComponentsMatrix { get; init; } // c × d (components_ = W·K)
    public required double[] Mixing { get; init; }        // d × c (pinv(components_))
    public required int Iterations { get; init; }
    public required bool Converged { get; init; }
    public int Features => Mean.Length;

    /// <summary>Fits on X (n × d) from <paramref name="wInit"/> (c × c); returns the unit-variance sources (n × c).</summary>
    public static FastIca Fit(ReadOnlySpan<double> x, int n, int d, int c, ReadOnlySpan<double> wInit, out double[] sources, double tol = 1e-4,
        int maxIter = 500)
        => FitOverwriting(x.ToArray(), n, d, c, wInit, out sources, tol, maxIter);

    /// <summary>As <see cref="Fit"/>, centring X in place (X is left centred): one n × d array fewer.</summary>
    public static FastIca FitOverwriting(double[] x, int n, int d, int c, ReadOnlySpan<double> wInit, out double[] sources, double tol = 1e-4,
        int maxIter = 500)
    {
        if (c < 1 || c > Math.Min(n, d)) throw new SeiscatException($"FastICA with {c} components needs 1..min(samples, features) = {Math.Min(n, d)}");
        if (wInit.Length != c * c) throw new ArgumentException("w_init must be c × c");
        var xc = ThinSvd.CentreInPlace(x, n, d, out var mean);
        var svd = ThinSvd.Of(xc, n, d, c);
        // K = (u / s)ᵀ[:c] with u *= sign(u[0]); u = V of X (d × c) here since X is n × d.
        var k = new double[c * d];
        for (var j = 0; j < c; j++)
        {
            var sign = Math.Sign(svd.V[j]); // first row of u
            if (sign == 0) sign = 1;
            for (var f = 0; f < d; f++) k[j * d + f] = sign * svd.V[f * c + j] / svd.S[j];
        }
        // X1 = K·Xᵀ·√n  (c × n)
        var x1 = new double[c * n];
        var sqrtN = Math.Sqrt(n);
        for (var j = 0; j < c; j++)
            for (var i = 0; i < n; i++)
            {
                double s = 0;
                for (var f = 0; f < d; f++) s += k[j * d + f] * xc[i * d + f];
                x1[j * n + i] = s * sqrtN;
            }

        var w = SymmetricDecorrelation(wInit, c);
        var iterations = 0;
        var converged = false;
        var wx = new double[c * n];
        for (var it = 0; it < maxIter; it++)
        {
            iterations = it + 1;
            // g(WX) = tanh, g'(WX) mean = mean(1 − tanh²)
            var gMean = new double[c];
            for (var a = 0; a < c; a++)
            {
                double acc = 0;
                for (var i = 0; i < n; i++)
                {
                    double s = 0;
                    for (var b = 0; b < c; b++) s += w[a * c + b] * x1[b * n + i];
                    var t = Math.Tanh(s);
                    wx[a * n + i] = t;
                    acc += 1 - t * t;
                }
                gMean[a] = acc / n;
            }
            var next = new double[c * c];
            for (var a = 0; a < c; a++)
                for (var b = 0; b < c; b++)
                {
                    double s = 0;
                    for (var i = 0; i < n; i++) s += wx[a * n + i] * x1[b * n + i];
                    next[a * c + b] = s / n - gMean[a] * w[a * c + b];
                }
            var w1 = SymmetricDecorrelation(next, c);
            double lim = 0;
            for (var a = 0; a < c; a++)
            {
                double dot = 0;
                for (var b = 0; b < c; b++) dot += w1[a * c + b] * w[a * c + b];
                lim = Math.Max(lim, Math.Abs(Math.Abs(dot) - 1));
            }
            w = w1;
            if (lim < tol) { converged = true; break; }
        }

        // S = (W·K·Xcᵀ)ᵀ, then unit variance: S /= std(S), W /= std.
        var wk = Dense.Multiply(w, k, c, c, d);
        sources = new double[n * c];
        var std = new double[c];
        for (var a = 0; a < c; a++)
        {
            double sum = 0, sum2 = 0;
            for (var i = 0; i < n; i++)
            {
                double s = 0;
                for (var f = 0; f < d; f++) s += wk[a * d + f] * xc[i * d + f];
                sources[i * c + a] = s;
                sum += s;
            }
            var m = sum / n;
            for (var i = 0; i < n; i++) sum2 += (sources[i * c + a] - m) * (sources[i * c + a] - m);
            std[a] = Math.Sqrt(sum2 / n);
            for (var i = 0; i < n; i++) sources[i * c + a] /= std[a];
            for (var b = 0; b < c; b++) w[a * c + b] /= std[a];
        }
        var components = Dense.Multiply(w, k, c, c, d);
        return new FastIca
        {
            Components = c,
            Mean = mean,
            Whitening = k,
            Unmixing = w,
            ComponentsMatrix = components,
            Mixing = PseudoInverseRows(components, c, d),
            Iterations = iterations,
            Converged = converged,
        };
    }

    /// <summary>(x − mean)·componentsᵀ for one row.</summary>
    public void Transform(ReadOnlySpan<double> row, Span<double> output) => Dense.Project(row, Mean, ComponentsMatrix, Components, output);

    /// <summary>(W·Wᵀ)^(−1/2)·W, eigenvalues clipped at the smallest normal double as sklearn does.</summary>
    internal static double[] SymmetricDecorrelation(ReadOnlySpan<double> w, int c)
    {
        var wwt = Dense.Multiply(w, Dense.Transpose(w, c, c), c, c, c);
        var eig = new SymmetricEigen(wwt, c);
        var m = new double[c * c];
        for (var a = 0; a < c; a++)
            for (var b = 0; b < c; b++)
            {
                double s = 0;
                for (var j = 0; j < c; j++)
                    s += eig.Vectors[a * c + j] / Math.Sqrt(Math.Max(eig.Values[j], 2.2250738585072014E-308)) * eig.Vectors[b * c + j];
                m[a * c + b] = s;
            }
        return Dense.Multiply(m, w, c, c, c);
    }

    /// <summary>Moore–Penrose inverse of a full-row-rank c × d matrix: Aᵀ(AAᵀ)⁻¹ (d × c).</summary>
    internal static double[] PseudoInverseRows(ReadOnlySpan<double> a, int c, int d)
    {
        var at = Dense.Transpose(a, c, d);
        var aat = Dense.Multiply(a, at, c, d, c);
        var eig = new SymmetricEigen(aat, c);
        var inv = new double[c * c];
        for (var i = 0; i < c; i++)
            for (var j = 0; j < c; j++)
            {
                double s = 0;
                for (var k = 0; k < c; k++) s += eig.Vectors[i * c + k] * eig.Vectors[j * c + k] / eig.Values[k];
                inv[i * c + j] = s;
            }
        return Dense.Multiply(at, inv, d, c, c);
    }
}
