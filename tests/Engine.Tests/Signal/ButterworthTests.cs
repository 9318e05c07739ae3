using System.Text.Json;
using Seiscat.Engine.Signal;
using Seiscat.Tests.Shared;

namespace Seiscat.Engine.Tests.Signal;

/// <summary>Against scipy 1.10.1 (tests/fixtures/signal: butter(output="sos"), sosfilt, sosfiltfilt, detrend).</summary>
public class ButterworthTests
{
    public sealed record Case(string name, int order, string kind, double fs, double[] wn, double[] x, double[][] sos, double[] sosfilt,
        double[] sosfiltfilt, double[] detrend_linear);
    private sealed record Reference(string scipy_version, Case[] cases);

    private static readonly Lazy<Case[]> Cases = new(() =>
        JsonSerializer.Deserialize<Reference>(File.ReadAllText(TestPaths.Fixture("signal/butterworth_reference.json")))!.cases);

    public static TheoryData<string> CaseNames() => new(Cases.Value.Select(c => c.name));

    private static Case Get(string name) => Cases.Value.Single(c => c.name == name);

    private static double[][] Design(Case c) => Butterworth.Design(c.order,
        c.kind switch { "lowpass" => FilterKind.Lowpass, "highpass" => FilterKind.Highpass, _ => FilterKind.Bandpass },
        c.fs, c.wn[0], c.wn.Length > 1 ? c.wn[1] : double.NaN);

    private static double NormwiseError(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected)
    {
        double maxErr = 0, maxRef = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            maxErr = Math.Max(maxErr, Math.Abs(actual[i] - expected[i]));
            maxRef = Math.Max(maxRef, Math.Abs(expected[i]));
        }
        return maxErr / maxRef;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Causal_filter_matches_scipy_sosfilt(string name)
    {
        var c = Get(name);
        var filter = new SosFilter(Design(c));
        Assert.Equal(c.sos.Length, filter.Sections);
        var y = (double[])c.x.Clone();
        filter.Filter(y, new double[2 * filter.Sections]);
        Assert.True(NormwiseError(y, c.sosfilt) < 1e-11, $"{name}: {NormwiseError(y, c.sosfilt):E2}");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Zero_phase_filter_matches_scipy_sosfiltfilt(string name)
    {
        var c = Get(name);
        var filter = new SosFilter(Design(c));
        var data = c.x.Select(v => (float)v).ToArray();
        filter.FiltFilt(data, new double[filter.ScratchLength(data.Length)]);
        // Output is rounded to float32: allow a few ulps of the signal's scale.
        var err = NormwiseError(data.Select(v => (double)v).ToArray(), c.sosfiltfilt);
        Assert.True(err < 3e-7, $"{name}: {err:E2}");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Linear_detrend_matches_scipy(string name)
    {
        var c = Get(name);
        var data = c.x.Select(v => (float)v).ToArray();
        Detrend.Apply(data, DetrendKind.Linear);
        var err = NormwiseError(data.Select(v => (double)v).ToArray(), c.detrend_linear);
        Assert.True(err < 3e-7, $"{name}: {err:E2}");
    }

    [Theory]
    [InlineData(0, FilterKind.Highpass, 1.0, double.NaN)]
    [InlineData(4, FilterKind.Highpass, 25.0, double.NaN)]
    [InlineData(4, FilterKind.Bandpass, 5.0, 2.0)]
    [InlineData(4, FilterKind.Lowpass, -1.0, double.NaN)]
    public void Impossible_designs_are_refused_with_a_reason(int order, FilterKind kind, double low, double high)
    {
        var e = Assert.Throws<SeiscatException>(() => Butterworth.Design(order, kind, 50, low, high));
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }
}
