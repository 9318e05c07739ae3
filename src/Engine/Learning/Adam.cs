namespace Seiscat.Engine.Learning;

/// <summary>Adam (Kingma and Ba 2015) with the paper's constants (β1 0.9, β2 0.999, ε 1e-8); state kept for resuming.</summary>
public sealed class Adam(int parameters)
{
    public double[] FirstMoment { get; init; } = new double[parameters];
    public double[] SecondMoment { get; init; } = new double[parameters];
    public long Steps { get; set; }

    public void Step(Span<double> theta, ReadOnlySpan<double> gradient, double learningRate)
    {
        const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;
        Steps++;
        var a = learningRate * Math.Sqrt(1 - Math.Pow(Beta2, Steps)) / (1 - Math.Pow(Beta1, Steps));
        for (var i = 0; i < theta.Length; i++)
        {
            FirstMoment[i] = Beta1 * FirstMoment[i] + (1 - Beta1) * gradient[i];
            SecondMoment[i] = Beta2 * SecondMoment[i] + (1 - Beta2) * gradient[i] * gradient[i];
            theta[i] -= a * FirstMoment[i] / (Math.Sqrt(SecondMoment[i]) + Epsilon);
        }
    }
}
