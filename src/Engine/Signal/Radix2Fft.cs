using System.Collections.Concurrent;
using System.Numerics;

namespace Seiscat.Engine.Signal;

/// <summary>
/// In-place complex DFT of a power-of-two length in double precision, unnormalised both ways (forward e^{−2πikn/N},
/// inverse e^{+2πikn/N}): seiscat's one double-precision FFT (FFTW here is single precision only). The learnable network
/// runs in double so that its backward pass can be checked against finite differences to 1e-4; <see cref="DoubleFft"/>
/// builds any length on it. Twiddles and bit reversal are tabulated once per size; each twiddle is computed from its
/// angle (not by repeated multiplication), which keeps transforms at 1e-16 relative accuracy.
/// </summary>
public sealed class Radix2Fft
{
    private static readonly ConcurrentDictionary<int, Radix2Fft> Cache = new();
    private readonly Complex[] _twiddles; // e^{−2πik/N}, k < N/2
    private readonly int[] _swap;         // pairs (i, j), i < j, of the bit-reversal permutation

    public int Length { get; }

    private Radix2Fft(int n)
    {
        Length = n;
        _twiddles = new Complex[Math.Max(1, n / 2)];
        for (var k = 0; k < n / 2; k++)
        {
            var angle = -2 * Math.PI * k / n;
            _twiddles[k] = new Complex(Math.Cos(angle), Math.Sin(angle));
        }
        var swaps = new List<int>();
        for (int i = 1, j = 0; i < n; i++)
        {
            var bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) j ^= bit;
            j ^= bit;
            if (i < j) { swaps.Add(i); swaps.Add(j); }
        }
        _swap = swaps.ToArray();
    }

    public static Radix2Fft Of(int n)
    {
        if (n < 1 || (n & (n - 1)) != 0) throw new ArgumentException($"length {n} is not a power of two", nameof(n));
        return Cache.GetOrAdd(n, static m => new Radix2Fft(m));
    }

    public void Forward(Span<Complex> a) => Run(a, inverse: false);

    public void Inverse(Span<Complex> a) => Run(a, inverse: true);

    private void Run(Span<Complex> a, bool inverse)
    {
        var n = Length;
        if (a.Length != n) throw new ArgumentException("length differs from the plan's", nameof(a));
        for (var s = 0; s < _swap.Length; s += 2) (a[_swap[s]], a[_swap[s + 1]]) = (a[_swap[s + 1]], a[_swap[s]]);
        for (var len = 2; len <= n; len <<= 1)
        {
            var half = len >> 1;
            var step = n / len;
            for (var start = 0; start < n; start += len)
            {
                var lo = a.Slice(start, half);
                var hi = a.Slice(start + half, half);
                for (var k = 0; k < half; k++)
                {
                    var w = _twiddles[k * step];
                    if (inverse) w = Complex.Conjugate(w);
                    var v = hi[k] * w;
                    hi[k] = lo[k] - v;
                    lo[k] += v;
                }
            }
        }
    }
}
