namespace Seiscat.Engine.Common;

/// <summary>Integer division rounded towards −∞ and +∞: times before 1970 are negative nanoseconds, and a block or window
/// grid must not fold them towards zero as C#'s division does.</summary>
public static class IntegerMath
{
    public static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    public static long CeilDiv(long a, long b) => -FloorDiv(-a, b);
}
