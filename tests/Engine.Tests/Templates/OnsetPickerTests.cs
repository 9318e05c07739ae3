using Seiscat.Engine.Common;
using Seiscat.Engine.Templates;

namespace Seiscat.Engine.Tests.Templates;

public class OnsetPickerTests
{
    [Theory]
    [InlineData(50.0, 12.3, 1)]
    [InlineData(100.0, 7.05, 3)]
    [InlineData(20.0, 25.0, 1)]
    public void Picks_the_onset_of_a_burst_in_noise_within_a_tenth_of_a_second(double rate, double onsetS, int components)
    {
        var rng = new Xoshiro256(9, (ulong)rate);
        var n = (int)(40 * rate);
        var x = Enumerable.Range(0, components).Select(_ => new float[n]).ToArray();
        var onset = (int)Math.Round(onsetS * rate);
        foreach (var c in x)
            for (var i = 0; i < n; i++)
            {
                var t = (i - onset) / rate;
                c[i] = (float)(rng.NextGaussian() + (t >= 0 ? 20 * Math.Exp(-t / 2) * Math.Sin(2 * Math.PI * 5 * t + 0.3) : 0));
            }
        var (pick, ratio) = OnsetPicker.Pick(x, rate, 0, n);
        Assert.True(Math.Abs(pick - onset) <= 0.1 * rate, $"picked {pick / rate:0.00} s, onset {onsetS} s");
        Assert.True(ratio > 10, $"STA/LTA {ratio}");
    }
}
