using Seiscat.Engine.Scattering;

namespace Seiscat.Engine.Tests.Scattering;

public class ScatteringConfigTests
{
    private static string Json(string layer) =>
        "{\"sampling_rate\": 50, \"bins\": 2000, \"layers\": [" + layer + "], \"pooling\": \"avg\"}";

    [Fact]
    public void Layers_are_read_in_order_with_warnings_for_unknown_keys()
    {
        var warnings = new List<string>();
        var c = ScatteringConfig.Parse(Json("{\"octaves\": 6, \"resolution\": 4, \"quality\": 2, \"colour\": 1}, " +
            "{\"octaves\": 5, \"resolution\": 1, \"quality\": 1, \"normalize_wavelet\": \"l1\"}"), warnings, "cfg.json");
        Assert.Equal([(6, 4, 2.0, WaveletNormalization.None), (5, 1, 1.0, WaveletNormalization.L1)],
            c.Layers.Select(l => (l.Octaves, l.Resolution, l.Quality, l.Normalize)));
        Assert.Equal("cfg.json: layers[0]: unknown key 'colour' ignored", Assert.Single(warnings));
    }

    [Theory]
    [InlineData("{\"octaves\": 12, \"resolution\": 1, \"quality\": 2}", "layers[0].octaves = 12: the lowest wavelet")]
    [InlineData("{\"octaves\": 0, \"resolution\": 1, \"quality\": 2}", "layers[0].octaves must be ≥ 1")]
    [InlineData("{\"octaves\": 2, \"resolution\": 1, \"quality\": 2, \"normalize_wavelet\": \"L3\"}", "normalize_wavelet must be")]
    [InlineData("3", "layers[0] must be an object")]
    public void An_impossible_layer_is_one_line_naming_it(string layer, string expected)
        => Assert.Contains(expected, Assert.Throws<SeiscatException>(() => ScatteringConfig.Parse(Json(layer), null, "cfg.json")).Message);
}
