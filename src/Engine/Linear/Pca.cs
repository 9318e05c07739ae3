namespace Seiscat.Engine.Linear;

/// <summary>
/// PCA as scikit-learn 1.2 (svd_solver="full", whiten=False): centred data, thin SVD, svd_flip signs (the largest
/// |entry| of each U column positive), explained variance S²/(n−1), noise variance the mean of the rest.
/// </summary>
public sealed class Pca
{
    public required int Components { get; init; }
    public required double[] Mean { get; init; }            // d
    public required double[] ComponentsMatrix { get; init; } // k × d (components_)
    public required double[] ExplainedVariance { get; init; }
    public required double[] ExplainedVarianceRatio { get; init; }
    public required double[] SingularValues { get; init; }
    public required double NoiseVariance { get; init; }
    public int Features => Mean.Length;

    /// <summary>Fits on X (n × d, row-major) and returns fit_transform(X) = U·S (n × k).</summary>
    public static Pca Fit(ReadOnlySpan<double> x, int n, int d, int k, out double[] transformed)
        => FitOverwriting(x.ToArray(), n, d, k, out transformed);

    /// <summary>As <see cref="Fit"/>, centring X in place (X is left centred): one n × d array fewer.</summary>
    public static Pca FitOverwriting(double[] x, int n, int d, int k, out double[] transformed)
    {
        if (k < 1 || k > Math.Min(n, d)) throw new SeiscatException($"PCA with {k} components needs 1..min(samples, features) = {Math.Min(n, d)}");
        var xc = ThinSvd.CentreInPlace(x, n, d, out var mean);
        var svd = ThinSvd.Of(xc, n, d, k);
        var u = svd.U;
        var v = svd.V;
        for (var j = 0; j < k; j++)
        {
            var best = 0;
            for (var i = 1; i < n; i++) if (Math.Abs(u[i * k + j]) > Math.Abs(u[best * k + j])) best = i;
            if (u[best * k + j] < 0)
            {
                for (var i = 0; i < n; i++) u[i * k + j] = -u[i * k + j];
                for (var f = 0; f < d; f++) v[f * k + j] = -v[f * k + j];
            }
        }
        var components = new double[k * d];
        for (var j = 0; j < k; j++)
            for (var f = 0; f < d; f++) components[j * d + f] = v[f * k + j];
        var ev = svd.S.Select(s => s * s / (n - 1)).ToArray();
        var totalVar = svd.TotalSumOfSquares / (n - 1);
        transformed = new double[n * k];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < k; j++) transformed[i * k + j] = u[i * k + j] * svd.S[j];
        return new Pca
        {
            Components = k,
            Mean = mean,
            ComponentsMatrix = components,
            ExplainedVariance = ev,
            ExplainedVarianceRatio = ev.Select(e => e / totalVar).ToArray(),
            SingularValues = svd.S,
            NoiseVariance = k < svd.Full ? (totalVar - ev.Sum()) / (svd.Full - k) : 0,
        };
    }

    /// <summary>(x − mean)·componentsᵀ for one row.</summary>
    public void Transform(ReadOnlySpan<double> row, Span<double> output) => Dense.Project(row, Mean, ComponentsMatrix, Components, output);
}
