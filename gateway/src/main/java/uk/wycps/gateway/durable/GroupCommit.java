package uk.wycps.gateway.durable;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Group commit onto one writer thread: items submitted from any event loop are queued; the
 * writer takes everything queued, writes it as one batch (one fsync), and completes each
 * item's future on the context that submitted it. While a batch is being written, new items
 * gather for the next, so the fsync rate, not the item rate, bounds throughput. The event loop
 * never waits for the disk.
 *
 * @param <T> what is written
 */
public final class GroupCommit<T> {

    /** Writes one batch durably, on the writer thread; throws if it could not. */
    @FunctionalInterface
    public interface Batch<T> {
        void write(List<T> items) throws IOException;
    }

    private final Vertx vertx;
    private final WorkerExecutor writer;
    private final Batch<T> batch;
    private final Supplier<? extends RuntimeException> failure;
    private final ConcurrentLinkedQueue<Pending<T>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    /**
     * @param writer a worker executor of one thread, owned by the caller
     * @param failure what a submitter's future fails with when its batch could not be written
     */
    public GroupCommit(Vertx vertx, WorkerExecutor writer, Batch<T> batch, Supplier<? extends RuntimeException> failure) {
        this.vertx = vertx;
        this.writer = writer;
        this.batch = batch;
        this.failure = failure;
    }

    /** Queues {@code item}; the future completes once the batch holding it is durable. */
    public Future<Void> submit(T item) {
        Context context = vertx.getOrCreateContext();
        Promise<Void> promise = Promise.promise();
        queue.add(new Pending<>(item, promise, context));
        if (draining.compareAndSet(false, true)) {
            Future<Void> drained;
            try {
                drained = writer.executeBlocking(() -> {
                    drain();
                    return null;
                }, false);
            } catch (RuntimeException e) {
                drained = Future.failedFuture(e);
            }
            // A writer that cannot run (closed) must not leave a submitter waiting for ever.
            drained.onFailure(e -> failQueued());
        }
        return promise.future();
    }

    /** Fails everything queued, when the writer could not take the batch at all. */
    private void failQueued() {
        for (Pending<T> p; (p = queue.poll()) != null;) {
            Pending<T> failed = p;
            failed.context.runOnContext(v -> failed.promise.fail(failure.get()));
        }
        draining.set(false);
    }

    private void drain() {
        while (true) {
            List<Pending<T>> pending = new ArrayList<>();
            for (Pending<T> p; (p = queue.poll()) != null;) {
                pending.add(p);
            }
            if (pending.isEmpty()) {
                draining.set(false);
                // An item queued after the poll but before the flag was cleared is drained here.
                if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            List<T> items = new ArrayList<>(pending.size());
            pending.forEach(p -> items.add(p.item));
            boolean written;
            try {
                batch.write(items);
                written = true;
            } catch (IOException | RuntimeException e) {
                // Whatever went wrong, the batch is not durable and the writer must live on.
                written = false;
            }
            for (Pending<T> p : pending) {
                if (written) {
                    p.context.runOnContext(v -> p.promise.complete());
                } else {
                    p.context.runOnContext(v -> p.promise.fail(failure.get()));
                }
            }
        }
    }

    private record Pending<T>(T item, Promise<Void> promise, Context context) {
    }
}
