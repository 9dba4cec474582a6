package uk.wycps.gateway.enquiry;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The withheld registers' searches a node has promised and not yet finished (A9: run after the
 * answer has left, H3: a match's register is told). A node that stops waits for them
 * ({@link #drained}) before it closes its audit and outbox: stopping without waiting dropped
 * them, and a withheld register holding the child was never told.
 *
 * <p>A node that is killed still loses the ones in flight; their answer entries stand in the
 * audit without a second entry (docs/audit.md).
 */
public final class WithheldSearches {

    private final AtomicInteger pending = new AtomicInteger();

    void begin() {
        pending.incrementAndGet();
    }

    void end() {
        pending.decrementAndGet();
    }

    /** Searches promised and not yet finished (their second audit entry written or failed). */
    public int pending() {
        return pending.get();
    }

    /**
     * Completes once none is pending, or after {@code atMost} (then with what is left undone:
     * a bound on stopping, never a failure of it). Polled: searches begin and end on every event
     * loop, and a poll cannot miss a wake-up.
     */
    public Future<Integer> drained(Vertx vertx, Duration atMost) {
        Promise<Integer> done = Promise.promise();
        long until = System.nanoTime() + atMost.toNanos();
        if (pending.get() == 0) {
            return Future.succeededFuture(0);
        }
        vertx.setPeriodic(POLL_MS, id -> {
            if (pending.get() == 0 || System.nanoTime() > until) {
                vertx.cancelTimer(id);
                done.tryComplete(pending.get());
            }
        });
        return done.future();
    }

    private static final long POLL_MS = 20;
}
