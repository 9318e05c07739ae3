using System.Globalization;

namespace Seiscat.Engine.Common;

/// <summary>
/// The peak-memory bound a command promises (`--memory`, default 1 GiB). Each stage sizes what grows with the
/// archive against it before starting: `features` its per-thread workspaces, in-flight batches and how much of the
/// memory-mapped input may stay resident; `fit` its sample; `predict` its blocks. A stage that cannot fit refuses up
/// front with the figure to change, instead of being killed by the OOM killer hours later.
/// </summary>
public sealed record MemoryBudget(long Bytes)
{
    public const long DefaultBytes = 1L << 30;

    /// <summary>The .NET runtime, the JIT'd code, HDF5 and FFTW with their caches: measured ≈ 100 MiB RSS before any
    /// archive-sized buffer (bench/measure-memory.sh), rounded up.</summary>
    public const long RuntimeBytes = 160L << 20;

    public static MemoryBudget Default { get; } = new(DefaultBytes);

    /// <summary>What the stage's own buffers may use.</summary>
    public long Available => Bytes - RuntimeBytes;

    /// <summary>Bytes of mapped input read between releases of the mapped pages (see ArchiveStorage).</summary>
    public long MappedResidentBytes => Math.Clamp(Available / 8, 16L << 20, 512L << 20);

    /// <summary>"1G", "512M", "1.5GiB", "800MB", "2e9" (bytes); binary units.</summary>
    public static MemoryBudget Parse(string text)
    {
        var t = text.Trim().ToUpperInvariant().Replace("IB", "").TrimEnd('B');
        long unit = 1;
        if (t.Length > 0 && "KMGT".Contains(t[^1], StringComparison.Ordinal))
        {
            unit = t[^1] switch { 'K' => 1L << 10, 'M' => 1L << 20, 'G' => 1L << 30, _ => 1L << 40 };
            t = t[..^1];
        }
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !(v > 0) || v * unit > 1e18)
            throw new SeiscatException($"{Setting.Memory.Ref()} '{text}' is not a size; use e.g. 1G, 512M or 64G");
        var bytes = (long)(v * unit);
        if (bytes < RuntimeBytes + (64L << 20))
            throw new SeiscatException($"{Setting.Memory.Ref()} {text} is below the {Format(RuntimeBytes + (64L << 20))} seiscat needs at the " +
                $"least (runtime and native libraries {Format(RuntimeBytes)}); use {Setting.Memory.Ref()} 256M or more");
        return new MemoryBudget(bytes);
    }

    /// <summary>
    /// Between the stages of one process (`run`): each stage is budgeted as if it had the process to itself, but the GC
    /// keeps the heap a finished stage grew (fit's n×d arrays) committed, so the next stage's peak lands on top of it
    /// (measured: 1.48 GiB for a 1 GiB run on 10 GiB). An aggressive, compacting collection decommits it.
    /// </summary>
    public static void ReleaseFinishedStage()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }

    /// <summary>Refuses a plan whose buffers exceed the budget, naming what needs it and what to change.</summary>
    public void Require(long bytes, string what, string advice)
    {
        if (bytes <= Available) return;
        throw new SeiscatException($"{what} needs about {Format(bytes + RuntimeBytes)} but {Setting.Memory.Ref()} is {Format(Bytes)}; {advice}");
    }

    public static string Format(long bytes) => bytes >= 1L << 30
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.0#} GiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0} MiB");

    public override string ToString() => Format(Bytes);
}
