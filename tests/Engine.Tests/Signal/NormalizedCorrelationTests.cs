using Seiscat.Engine.Common;
using Seiscat.Engine.Signal;
using Seiscat.Tests.Shared;

namespace Seiscat.Engine.Tests.Signal;

public class NormalizedCorrelationTests
{
    /// <summary>The O(N·M) reference: Pearson's r of each component window with the template, in double, averaged over
    /// components; 0 where a window is constant (no variance) or holds a missing sample.</summary>
    internal static double[] Direct(float[][] template, float[][] data, bool[]? missing = null)
    {
        var m = template[0].Length;
        var lags = Math.Max(0, data[0].Length - m + 1);
        var result = new double[lags];
        for (var t = 0; t < lags; t++)
        {
            if (missing is not null && missing.AsSpan(t, m).Contains(true)) continue;
            double sum = 0;
            for (var c = 0; c < template.Length; c++)
            {
                double mt = 0, mx = 0;
                for (var i = 0; i < m; i++) { mt += template[c][i]; mx += data[c][t + i]; }
                mt /= m; mx /= m;
                double stx = 0, stt = 0, sxx = 0;
                for (var i = 0; i < m; i++)
                {
                    var (a, b) = (template[c][i] - mt, data[c][t + i] - mx);
                    stx += a * b; stt += a * a; sxx += b * b;
                }
                if (sxx > 1e-20 * Math.Max(1, mx * mx * m) && stt > 0) sum += stx / Math.Sqrt(stt * sxx);
            }
            result[t] = sum / template.Length;
        }
        return result;
    }

    private static float[] Noise(Xoshiro256 rng, int n, double sigma = 1)
    {
        var x = new float[n];
        for (var i = 0; i < n; i++) x[i] = (float)(sigma * rng.NextGaussian());
        return x;
    }

    private static double MaxError(float[] trace, double[] reference)
    {
        double worst = 0;
        for (var t = 0; t < reference.Length; t++) worst = Math.Max(worst, Math.Abs(trace[t] - reference[t]));
        return worst;
    }

    [Theory]
    [InlineData(1, 200, 1)]
    [InlineData(3, 400, 1)]
    [InlineData(3, 257, 4)]
    public void Equals_the_direct_computation_on_noise_with_an_event_an_offset_and_a_planted_copy(int components, int m, int threads)
    {
        var rng = new Xoshiro256(7, (ulong)m);
        var n = 20_000;
        var data = Enumerable.Range(0, components).Select(_ => Noise(rng, n)).ToArray();
        var template = Enumerable.Range(0, components).Select(_ => Noise(rng, m, 3)).ToArray();
        // A large event (10⁴ × the noise) makes quiet windows beside it hard for a float FFT; an offset and a planted,
        // scaled copy of the template with noise give a correlation near 1.
        for (var c = 0; c < components; c++)
        {
            for (var i = 0; i < 600; i++) data[c][9000 + i] += (float)(1e4 * Math.Sin(i * 0.3) * Math.Exp(-i / 150.0));
            for (var i = 0; i < m; i++) data[c][3000 + i] += 20 * template[c][i];
            for (var i = 0; i < n; i++) data[c][i] += 500;
        }
        var plan = new CorrelationPlan([template]);
        var trace = new float[NormalizedCorrelation.Lags(n, m)];
        var direct = NormalizedCorrelation.Correlate(plan, data, null, [trace], threads);
        var reference = Direct(template, data);
        var error = MaxError(trace, reference);
        TestPaths.Record("match-accuracy", FormattableString.Invariant($"random C={components} M={m} N={plan.FftLength}: max |cc − direct| = {error:0.0e0}, ")
            + FormattableString.Invariant($"component lags recomputed directly {direct} of {trace.Length * components}"));
        Assert.True(error <= 1e-5, $"max error {error}");
        Assert.True(trace[3000] > 0.99, $"planted copy cc {trace[3000]}");
        Assert.Equal(3000, Array.IndexOf(trace, trace.Max()));
    }

    [Fact]
    public void A_zero_or_constant_stretch_correlates_as_zero_and_a_gap_blocks_every_window_that_touches_it()
    {
        var rng = new Xoshiro256(3);
        var n = 12_000;
        var m = 300;
        var data = new[] { Noise(rng, n) };
        var template = new[] { Noise(rng, m) };
        data[0].AsSpan(2000, 1500).Clear();          // dead channel: zeros
        data[0].AsSpan(6000, 1500).Fill(1234.5f);     // clipped or stuck: a constant
        var missing = new bool[n];
        missing.AsSpan(9000, 100).Fill(true);
        var prefix = new int[n + 1];
        for (var i = 0; i < n; i++) prefix[i + 1] = prefix[i] + (missing[i] ? 1 : 0);
        var trace = new float[NormalizedCorrelation.Lags(n, m)];
        NormalizedCorrelation.Correlate(new CorrelationPlan([template]), data, prefix, [trace]);
        Assert.All(trace, v => Assert.True(float.IsFinite(v)));
        Assert.All(trace.AsSpan(2000, 1500 - m + 1).ToArray(), v => Assert.Equal(0f, v));
        Assert.All(trace.AsSpan(6000, 1500 - m + 1).ToArray(), v => Assert.Equal(0f, v));
        Assert.All(trace.AsSpan(9000 - m + 1, 100 + m - 1).ToArray(), v => Assert.Equal(0f, v));
        Assert.NotEqual(0f, trace[9000 - m]);
        Assert.NotEqual(0f, trace[9100]);
        var reference = Direct(template, data, missing);
        Assert.True(MaxError(trace, reference) <= 1e-5);
    }

    [Fact]
    public void Several_templates_of_different_lengths_share_one_pass_and_thread_counts_give_identical_bytes()
    {
        var rng = new Xoshiro256(11);
        var n = 50_000;
        var data = Enumerable.Range(0, 3).Select(_ => Noise(rng, n)).ToArray();
        float[][][] templates = [[.. Enumerable.Range(0, 3).Select(_ => Noise(rng, 500))], [.. Enumerable.Range(0, 3).Select(_ => Noise(rng, 120))]];
        var plan = new CorrelationPlan(templates);
        float[][] Run(int threads)
        {
            var traces = templates.Select(t => new float[NormalizedCorrelation.Lags(n, t[0].Length)]).ToArray();
            NormalizedCorrelation.Correlate(plan, data, null, traces, threads);
            return traces;
        }
        var one = Run(1);
        var four = Run(4);
        for (var k = 0; k < templates.Length; k++)
        {
            Assert.Equal(one[k], four[k]);
            Assert.True(MaxError(one[k], Direct(templates[k], data)) <= 1e-5);
        }
    }
    [Fact]
    public void Equals_the_direct_computation_on_a_real_day_around_a_magnitude_six_earthquake()
    {
        // TA.C26K, 2018-08-12, 40 Hz: an hour around the largest peak (14:59:23), a 20 s template cut from an
        // aftershock-sized arrival an hour later, correlated against the mainshock hour with its 10⁴ dynamic range.
        var archive = Seiscat.Engine.Io.ArchiveScanner.Open([TestPaths.Data("continuous/TA.C26K_2018-08-12_24h_40Hz_BHZ.h5")]);
        var piece = archive.Units[0].Pieces[0][0];
        using var storage = new Seiscat.Engine.Io.Storage.ArchiveStorage();
        var reader = new Seiscat.Engine.Io.SampleReader(storage);
        var data = new float[40 * 3600];
        reader.Read(piece, (long)(14.5 * 3600 * 40), data);
        var template = new float[800];
        reader.Read(piece, (long)(15.75 * 3600 * 40), template);
        var trace = new float[NormalizedCorrelation.Lags(data.Length, template.Length)];
        var direct = NormalizedCorrelation.Correlate(new CorrelationPlan([[template]]), [data], null, [trace], 2);
        var reference = Direct([template], [data]);
        var error = MaxError(trace, reference);
        TestPaths.Record("match-accuracy", FormattableString.Invariant($"TA.C26K mainshock hour, M=800 at 40 Hz: max |cc − direct| = {error:0.0e0}, ")
            + FormattableString.Invariant($"lags recomputed directly {direct} of {trace.Length}"));
        Assert.True(error <= 1e-5, $"max error {error}");
        Assert.True(direct > 0, "the mainshock's dynamic range should send some lags to the direct product");
    }

    [Theory]
    [InlineData(1024)]
    [InlineData(4096)]
    [InlineData(32768)]
    public void The_float_fft_error_stays_inside_the_bound_that_sends_lags_to_the_direct_product(int n)
    {
        // The bound decides which lags are exact only through the FFT: it must hold for every segment, whatever its
        // dynamic range. Measured here against double dot products of the same float values.
        var rng = new Xoshiro256(5, (ulong)n);
        double worst = 0;
        for (var rep = 0; rep < 4; rep++)
        {
            var m = n / 4;
            var x = Noise(rng, n);
            for (var i = 0; i < 300; i++) x[n / 2 + i] += (float)(Math.Pow(10, rep + 1) * Math.Sin(i * 0.3));
            var plan = new CorrelationPlan([[Noise(rng, m)]], n);
            using var input = new Seiscat.Native.Fftw.FftwBuffer(n);
            using var spectrum = new Seiscat.Native.Fftw.FftwBuffer(n + 2);
            using var output = new Seiscat.Native.Fftw.FftwBuffer(n);
            x.CopyTo(input.Span);
            Seiscat.Native.Fftw.FftwPlan.Get(Seiscat.Native.Fftw.FftKind.RealToComplex, n).Execute(input, spectrum);
            Seiscat.Engine.Kernels.ComplexMultiply.Apply(spectrum.Span, plan.ConjugateSpectra[0][0], spectrum.Span);
            Seiscat.Native.Fftw.FftwPlan.Get(Seiscat.Native.Fftw.FftKind.ComplexToReal, n).Execute(spectrum, output);
            double norm = 0;
            foreach (var v in x) norm += (double)v * v;
            norm = Math.Sqrt(norm);
            var unit = plan.Unit[0][0];
            for (var t = 0; t <= n - m; t += 7)
            {
                double dot = 0;
                for (var i = 0; i < m; i++) dot += (double)unit[i] * x[t + i];
                worst = Math.Max(worst, Math.Abs(output.Span[t] / n - dot) / (Math.Log2(n) * norm));
            }
        }
        TestPaths.Record("match-accuracy", FormattableString.Invariant(
            $"float FFT correlation error, N={n}: max |error| / (log2 N · ‖segment‖) = {worst:0.0e0} (bound {NormalizedCorrelation.FftErrorScale:0.0e0})"));
        Assert.True(worst * 3 <= NormalizedCorrelation.FftErrorScale, $"observed {worst}, bound {NormalizedCorrelation.FftErrorScale}");
    }
}
