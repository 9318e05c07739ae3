namespace Seiscat.Engine.Scattering;

/// <summary>
/// What one pooled coefficient is: its order (1, 2, …), channel, filter indices along the path (j2 = −1 for first
/// order), the centre frequencies (Hz) of its first two wavelets (f2 = NaN for first order), and — for the extra
/// first-order statistics — which pooling it is (null: the configured pooling).
/// </summary>
public readonly record struct CoefficientMeta(int Order, int Channel, int J1, int J2, double F1Hz, double F2Hz, int[] Path, Pooling? Statistic = null);
