using Seiscat.Engine.Common;

namespace Seiscat.Engine.Tests.Common;

public class OrderedPipelineTests
{
    private sealed class Worker : IDisposable
    {
        public void Dispose() { }
    }

    private static List<long> RunOnce(long items, int batch, int threads, Func<long, long>? f = null)
    {
        f ??= i => i * i;
        var output = new List<long>();
        OrderedPipeline.Run(items, batch, threads, () => new Worker(), () => new long[batch],
            (w, first, count, buf) =>
            {
                // Uneven work so batches finish out of order.
                if (first % 3 == 0) Thread.SpinWait(20_000);
                for (var i = 0; i < count; i++) buf[i] = f(first + i);
            },
            (first, count, buf) => output.AddRange(buf.Take(count)));
        return output;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    public void Output_is_in_index_order_whatever_the_thread_count(int threads)
    {
        var output = RunOnce(1003, 10, threads);
        Assert.Equal(Enumerable.Range(0, 1003).Select(i => (long)i * i), output);
    }

    [Fact]
    public void Zero_items_do_nothing()
    {
        Assert.Empty(RunOnce(0, 10, 2));
    }

    [Fact]
    public void A_worker_exception_reaches_the_caller_and_stops_the_run()
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            RunOnce(10_000, 8, 3, i => i == 500 ? throw new InvalidOperationException("boom at 500") : i));
        Assert.Equal("boom at 500", e.Message);
    }

    [Fact]
    public void Buffers_in_use_stay_bounded()
    {
        var created = 0;
        OrderedPipeline.Run(5000, 5, 3, () => new Worker(), () => { Interlocked.Increment(ref created); return new long[5]; },
            (_, _, _, _) => { }, (_, _, _) => Thread.Sleep(0));
        Assert.Equal(2 * 3 + 1, created);
    }
}
