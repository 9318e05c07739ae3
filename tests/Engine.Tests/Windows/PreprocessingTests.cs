using System.Globalization;
using Seiscat.Engine.Signal;
using Seiscat.Engine.Windows;

namespace Seiscat.Engine.Tests.Windows;

public class PreprocessingTests
{
    [Fact]
    public void The_description_names_every_step_in_any_culture()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            // A decimal comma (as a German or French culture has) must not leak into the file's attribute.
            var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            comma.NumberFormat.NumberDecimalSeparator = ",";
            CultureInfo.CurrentCulture = comma;
            Assert.Equal("0,5", 0.5.ToString(CultureInfo.CurrentCulture));
            Assert.Equal("detrend=demean", new PreprocessOptions().Describe());
            var bandpass = new PreprocessOptions
            {
                Detrend = DetrendKind.Linear,
                Filter = FilterKind.Bandpass,
                FilterLowHz = 0.5,
                FilterHighHz = 12.5,
                FilterOrder = 3,
                Decimation = 2,
            };
            Assert.Equal("detrend=linear, bandpass 0.5-12.5 Hz order 3 zero-phase, decimate x2 (resample_poly)", bandpass.Describe());
            Assert.Equal("detrend=none, highpass 1.5 Hz order 4 zero-phase",
                new PreprocessOptions { Detrend = DetrendKind.None, Filter = FilterKind.Highpass, FilterLowHz = 1.5 }.Describe());
        }
        finally { CultureInfo.CurrentCulture = previous; }
    }

    [Fact]
    public void A_window_is_demeaned_and_brought_to_the_output_rate()
    {
        // 100 Hz in, 50 Hz out: twice the samples in, a 1 Hz sine on an offset of 7 comes out centred.
        var pre = new Preprocessor(new PreprocessOptions(), 100, 500, outputRate: 50);
        Assert.Equal(500, pre.OutputSamples);
        Assert.True(pre.InputSamples >= 1000);
        var raw = Enumerable.Range(0, pre.InputSamples).Select(i => (float)(7 + Math.Sin(2 * Math.PI * i / 100))).ToArray();
        var output = new float[500];
        pre.Apply(raw, output);
        Assert.InRange(output.Average(), -1e-3, 1e-3);
        Assert.InRange(output.Max(), 0.9, 1.1); // the sine kept: 1 Hz is far below the anti-alias corner
        // Rates that no ratio of integers joins are refused in one line.
        Assert.False(Preprocessor.CanReach(40, 50));
        Assert.Contains("cannot be brought to", Assert.Throws<SeiscatException>(() => new Preprocessor(new PreprocessOptions(), 40, 500, 50)).Message);
    }

    [Fact]
    public void Non_finite_samples_are_counted_and_zeroed()
    {
        float[] x = [1, float.NaN, 2, float.PositiveInfinity, 3, float.NegativeInfinity, 4, 5, 6, float.NaN];
        Assert.Equal(4, Preprocessor.ZeroNonFinite(x));
        Assert.Equal([1f, 0, 2, 0, 3, 0, 4, 5, 6, 0], x);
    }
}
