using System.Numerics;

namespace Seiscat.Engine.Signal;

public enum FilterKind { Lowpass, Highpass, Bandpass }

/// <summary>
/// Digital Butterworth filters as second-order sections, designed like scipy.signal.butter(output="sos"):
/// analog prototype poles, frequency transform, bilinear transform with pre-warping. Sections may be paired
/// differently from scipy's zpk2sos, but the transfer function (hence every filtered sample, up to rounding) is the same.
/// </summary>
public static class Butterworth
{
    /// <summary>Sections as rows [b0 b1 b2 1 a1 a2] (a0 normalised to 1), like scipy's sos array.</summary>
    public static double[][] Design(int order, FilterKind kind, double samplingRate, double lowHz, double highHz = double.NaN)
    {
        var nyquist = samplingRate / 2;
        if (order is < 1 or > 16)
            throw new SeiscatException($"filter order {order} is out of range; use 1..16 (4 is typical)");
        void CheckCorner(double f, string name)
        {
            if (!(f > 0 && f < nyquist))
                throw new SeiscatException($"{name} corner {f} Hz must lie strictly between 0 and the Nyquist frequency {nyquist} Hz");
        }
        CheckCorner(lowHz, kind == FilterKind.Lowpass ? "low-pass" : kind == FilterKind.Highpass ? "high-pass" : "band-pass low");
        if (kind == FilterKind.Bandpass)
        {
            CheckCorner(highHz, "band-pass high");
            if (highHz <= lowHz) throw new SeiscatException($"band-pass corners {lowHz}-{highHz} Hz: the high corner must exceed the low one");
        }

        // scipy: fs = 2 after normalising by Nyquist; pre-warp each corner so the digital filter hits it exactly.
        const double fs2 = 4.0;
        static double Warp(double wn) => fs2 * Math.Tan(Math.PI * wn / 2);
        var poles = new List<Complex>();
        for (var m = -order + 1; m < order; m += 2) poles.Add(-Complex.Exp(new Complex(0, Math.PI * m / (2.0 * order))));
        var zeros = new List<Complex>();
        var gain = 1.0;

        switch (kind)
        {
            case FilterKind.Lowpass:
                {
                    var wc = Warp(lowHz / nyquist);
                    poles = poles.Select(p => p * wc).ToList();
                    gain = Math.Pow(wc, order);
                    break;
                }
            case FilterKind.Highpass:
                {
                    var wc = Warp(lowHz / nyquist);
                    var prodNegP = poles.Aggregate(Complex.One, (acc, p) => acc * -p);
                    gain = (Complex.One / prodNegP).Real;
                    poles = poles.Select(p => wc / p).ToList();
                    zeros.AddRange(Enumerable.Repeat(Complex.Zero, order));
                    break;
                }
            case FilterKind.Bandpass:
                {
                    var w1 = Warp(lowHz / nyquist);
                    var w2 = Warp(highHz / nyquist);
                    var bw = w2 - w1;
                    var w0 = Math.Sqrt(w1 * w2);
                    var bp = new List<Complex>();
                    foreach (var p in poles)
                    {
                        var half = p * bw / 2;
                        var root = Complex.Sqrt(half * half - w0 * w0);
                        bp.Add(half + root);
                        bp.Add(half - root);
                    }
                    poles = bp;
                    zeros.AddRange(Enumerable.Repeat(Complex.Zero, order));
                    gain = Math.Pow(bw, order);
                    break;
                }
        }

        // Bilinear transform; zeros at infinity map to z = -1.
        var numGain = zeros.Aggregate(Complex.One, (acc, z) => acc * (fs2 - z));
        var denGain = poles.Aggregate(Complex.One, (acc, p) => acc * (fs2 - p));
        gain *= (numGain / denGain).Real;
        var zd = zeros.Select(z => (fs2 + z) / (fs2 - z)).ToList();
        zd.AddRange(Enumerable.Repeat(new Complex(-1, 0), poles.Count - zeros.Count));
        var pd = poles.Select(p => (fs2 + p) / (fs2 - p)).ToList();
        return ToSections(zd, pd, gain);
    }

    // Conjugate pole pairs become biquads (the real pole of an odd order a first-order section); zeros are all real
    // (+1 or -1) for Butterworth, so any assignment of two zeros per section gives the same overall response.
    private static double[][] ToSections(List<Complex> zeros, List<Complex> poles, double gain)
    {
        var upper = poles.Where(p => p.Imaginary > 1e-14).OrderBy(p => Complex.Abs(p)).ToList();
        var reals = poles.Where(p => Math.Abs(p.Imaginary) <= 1e-14).Select(p => p.Real).OrderBy(r => r).ToList();
        var zs = zeros.Select(z => z.Real).OrderBy(r => r).ToList();
        var sections = new List<double[]>();
        var zi = 0;
        double[] TakeZeros(int n)
        {
            var c = new[] { 1.0, 0, 0 };
            for (var k = 0; k < n; k++)
            {
                var r = zs[zi++];
                // multiply polynomial (in z^-1) by (1 - r z^-1)
                c = [c[0], c[1] - r * c[0], c[2] - r * c[1]];
            }
            return c;
        }
        foreach (var p in upper)
        {
            var b = TakeZeros(2);
            sections.Add([b[0], b[1], b[2], 1, -2 * p.Real, p.Real * p.Real + p.Imaginary * p.Imaginary]);
        }
        for (var i = 0; i < reals.Count; i += 2)
        {
            if (i + 1 < reals.Count)
            {
                var b = TakeZeros(2);
                sections.Add([b[0], b[1], b[2], 1, -(reals[i] + reals[i + 1]), reals[i] * reals[i + 1]]);
            }
            else
            {
                var b = TakeZeros(1);
                sections.Add([b[0], b[1], 0, 1, -reals[i], 0]);
            }
        }
        for (var k = 0; k < 3; k++) sections[0][k] *= gain;
        return sections.ToArray();
    }
}
