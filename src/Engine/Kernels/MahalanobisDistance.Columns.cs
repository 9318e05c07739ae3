using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Seiscat.Engine.Kernels;

public static partial class MahalanobisDistance
{
    /// <summary>
    /// <see cref="Squared"/> for rows stored by column (<paramref name="xT"/>: d × n, column l at l·n), as the mixture
    /// transposes a row block once for all its components: each lane's x_l is then one contiguous load instead of a
    /// gather repeated per component. Same operations in the same order per row as <see cref="Scalar"/>: same bits.
    /// </summary>
    public static void SquaredColumns(ReadOnlySpan<double> xT, int n, int d, ReadOnlySpan<double> p, ReadOnlySpan<double> m, Span<double> output)
    {
        if (xT.Length < n * d || p.Length < d * d || m.Length < d || output.Length < n) throw new ArgumentException("shapes disagree");
        var upper = UpperTriangular(p, d);
        var i = 0;
        if (Path == KernelIsa.Vector512 && d <= MaxVectorDimension) i = Columns512(xT, n, d, p, m, output, upper);
        else if (Path >= KernelIsa.Vector256 && d <= MaxVectorDimension) i = Columns256(xT, n, d, p, m, output, upper);
        for (; i < n; i++)
        {
            double sum = 0;
            for (var j = 0; j < d; j++)
            {
                var y = -m[j];
                for (var l = 0; l < d; l++) y += xT[l * n + i] * p[l * d + j];
                sum += y * y;
            }
            output[i] = sum;
        }
    }

    /// <summary>Writes x (n × d, row-major) by column into <paramref name="xT"/> (d × n).</summary>
    public static void Transpose(ReadOnlySpan<double> x, int n, int d, Span<double> xT)
    {
        for (var i = 0; i < n; i++)
            for (var l = 0; l < d; l++) xT[l * n + i] = x[i * d + l];
    }

    private static int Columns512(ReadOnlySpan<double> xT, int n, int d, ReadOnlySpan<double> p, ReadOnlySpan<double> m, Span<double> output, bool upper)
    {
        ref var x0 = ref MemoryMarshal.GetReference(xT);
        ref var p0 = ref MemoryMarshal.GetReference(p);
        Span<Vector512<double>> xs = stackalloc Vector512<double>[d];
        var i = 0;
        for (; i + 8 <= n; i += 8)
        {
            for (var l = 0; l < d; l++) xs[l] = Vector512.LoadUnsafe(ref x0, (nuint)(l * n + i));
            var sum = Vector512<double>.Zero;
            for (var j = 0; j < d; j++)
            {
                var y = Vector512.Create(-m[j]);
                var last = upper ? j : d - 1;
                for (var l = 0; l <= last; l++) y += xs[l] * Vector512.Create(Unsafe.Add(ref p0, l * d + j));
                sum += y * y;
            }
            sum.CopyTo(output.Slice(i, 8));
        }
        return i;
    }

    private static int Columns256(ReadOnlySpan<double> xT, int n, int d, ReadOnlySpan<double> p, ReadOnlySpan<double> m, Span<double> output, bool upper)
    {
        ref var x0 = ref MemoryMarshal.GetReference(xT);
        ref var p0 = ref MemoryMarshal.GetReference(p);
        Span<Vector256<double>> xs = stackalloc Vector256<double>[d];
        var i = 0;
        for (; i + 4 <= n; i += 4)
        {
            for (var l = 0; l < d; l++) xs[l] = Vector256.LoadUnsafe(ref x0, (nuint)(l * n + i));
            var sum = Vector256<double>.Zero;
            for (var j = 0; j < d; j++)
            {
                var y = Vector256.Create(-m[j]);
                var last = upper ? j : d - 1;
                for (var l = 0; l <= last; l++) y += xs[l] * Vector256.Create(Unsafe.Add(ref p0, l * d + j));
                sum += y * y;
            }
            sum.CopyTo(output.Slice(i, 4));
        }
        return i;
    }
}
