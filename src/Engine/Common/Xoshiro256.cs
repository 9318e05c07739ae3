namespace Seiscat.Engine.Common;

/// <summary>
/// xoshiro256** seeded by SplitMix64: a fixed, documented algorithm, so a seed gives the same archive on every
/// .NET version (System.Random's algorithm is unspecified). Streams are derived from (seed, purpose…) keys.
/// </summary>
public sealed class Xoshiro256
{
    private ulong _s0, _s1, _s2, _s3;
    private double? _spare;

    public Xoshiro256(params ulong[] key)
    {
        var x = 0x9E3779B97F4A7C15UL;
        foreach (var k in key) x = SplitMix(ref x) ^ (k * 0xBF58476D1CE4E5B9UL);
        _s0 = SplitMix(ref x); _s1 = SplitMix(ref x); _s2 = SplitMix(ref x); _s3 = SplitMix(ref x);
    }

    private static ulong SplitMix(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3; _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in (0, 1): never 0, so logarithms are safe.</summary>
    public double NextDouble() => ((NextUInt64() >> 11) + 0.5) * (1.0 / (1UL << 53));

    public double Uniform(double a, double b) => a + (b - a) * NextDouble();

    /// <summary>An index of [0, m) from a uniform double scaled by m.</summary>
    public long BelowByScaling(long m) => (long)(NextDouble() * m) % m;

    /// <summary>An index of [0, m) as the next 64-bit value modulo m.</summary>
    public long BelowByModulo(long m) => (long)(NextUInt64() % (ulong)m);

    /// <summary>Standard normal by Box–Muller (pairs cached).</summary>
    public double NextGaussian()
    {
        if (_spare is { } s) { _spare = null; return s; }
        var r = Math.Sqrt(-2 * Math.Log(NextDouble()));
        var phi = 2 * Math.PI * NextDouble();
        _spare = r * Math.Sin(phi);
        return r * Math.Cos(phi);
    }
}
