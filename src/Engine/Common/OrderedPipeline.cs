namespace Seiscat.Engine.Common;

/// <summary>
/// Bounded readers→workers→writer: worker threads claim batches of consecutive items in index order, compute them
/// into pooled buffers, and the calling thread consumes the batches strictly in index order. Each item's result
/// depends only on its index, so the output is identical for any thread count; memory is bounded by
/// <c>slots × buffer size</c>. Workers stop at the first exception, which is rethrown on the caller.
/// </summary>
public static class OrderedPipeline
{
    public static void Run<TWorker, TBuffer>(
        long itemCount,
        int batchSize,
        int threads,
        Func<TWorker> createWorker,
        Func<TBuffer> createBuffer,
        Action<TWorker, long, int, TBuffer> compute,
        Action<long, int, TBuffer> consume,
        CancellationToken cancel = default)
        where TWorker : IDisposable
    {
        if (itemCount <= 0) return;
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        threads = Math.Max(1, threads);
        var batches = (itemCount + batchSize - 1) / batchSize;
        var slots = (int)Math.Min(batches, 2L * threads + 1);
        var buffers = new TBuffer[slots];
        for (var i = 0; i < slots; i++) buffers[i] = createBuffer();
        var ready = new bool[slots];
        var gate = new object();
        long nextClaim = 0, nextConsume = 0;
        Exception? failure = null;

        void Work()
        {
            try
            {
                using var worker = createWorker();
                while (true)
                {
                    long b;
                    lock (gate)
                    {
                        // A batch may only be claimed once its slot has been consumed: this bounds memory.
                        while (failure is null && nextClaim < batches && nextClaim - nextConsume >= slots && !cancel.IsCancellationRequested)
                            Monitor.Wait(gate, 100);
                        if (failure is not null || nextClaim >= batches || cancel.IsCancellationRequested) return;
                        b = nextClaim++;
                    }
                    var first = b * batchSize;
                    var count = (int)Math.Min(batchSize, itemCount - first);
                    compute(worker, first, count, buffers[b % slots]);
                    lock (gate)
                    {
                        ready[b % slots] = true;
                        Monitor.PulseAll(gate);
                    }
                }
            }
            catch (Exception e)
            {
                lock (gate)
                {
                    failure ??= e;
                    Monitor.PulseAll(gate);
                }
            }
        }

        var pool = new Thread[threads];
        for (var t = 0; t < threads; t++)
        {
            pool[t] = new Thread(Work) { IsBackground = true, Name = $"seiscat-worker-{t}" };
            pool[t].Start();
        }
        try
        {
            for (long b = 0; b < batches; b++)
            {
                var slot = (int)(b % slots);
                lock (gate)
                {
                    while (!ready[slot] && failure is null && !cancel.IsCancellationRequested) Monitor.Wait(gate, 100);
                    if (failure is not null) break;
                    cancel.ThrowIfCancellationRequested();
                }
                var first = b * batchSize;
                consume(first, (int)Math.Min(batchSize, itemCount - first), buffers[slot]);
                lock (gate)
                {
                    ready[slot] = false;
                    nextConsume = b + 1;
                    Monitor.PulseAll(gate);
                }
            }
        }
        catch (Exception e)
        {
            lock (gate) { failure ??= e; Monitor.PulseAll(gate); }
        }
        finally
        {
            foreach (var t in pool) t.Join();
        }
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        cancel.ThrowIfCancellationRequested();
    }
}
