package uk.wycps.gateway.enquiry;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The withheld registers' searches a node has promised and not yet finished (A9: run after the
 * answer has left, H3: a match's register is told). A node that stops waits for them
 * ({@link #drained}) before it closes its audit and outbox: stopping without waiting dropped
 * them, and a withheld register holding the child was never told.
 *
 * <p>A node that is killed loses the ones in flight; their answer entries stand in the audit
 * without a second entry, and a node resumes them from there ({@link #resume}): at its start, and
 * every few minutes where several nodes share the audit (docs/audit.md).
 */
public final class WithheldSearches {

    private final AtomicInteger pending = new AtomicInteger();
    /** The enquiries whose searches run on this node now: never resumed beside themselves. */
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    /** The node's one resumer (the first of its verticles' enquiry services). */
    private final AtomicReference<Function<Instant, Future<Integer>>> resumer = new AtomicReference<>();

    void begin(String enquiryId) {
        pending.incrementAndGet();
        running.add(enquiryId);
    }

    void end(String enquiryId) {
        running.remove(enquiryId);
        pending.decrementAndGet();
    }

    boolean running(String enquiryId) {
        return running.contains(enquiryId);
    }

    private volatile boolean stopping;

    /** The node is stopping: no more searches are resumed (the pass under way finishes the one it runs). */
    public void stop() {
        stopping = true;
    }

    boolean stopping() {
        return stopping;
    }

    /** The resuming pass under way, or a completed future: what a stopping node waits for. */
    public synchronized Future<Integer> pass() {
        return pass == null ? Future.succeededFuture(0) : pass;
    }

    /** True for the first caller only: that enquiry service resumes the node's lost searches. */
    public boolean takeResuming(Function<Instant, Future<Integer>> resume) {
        return resumer.compareAndSet(null, resume);
    }

    /**
     * Runs again the withheld searches of answers made before {@code before} whose second entry
     * is missing (see {@link EnquiryService#resumeWithheldSearches}); how many were run.
     */
    public synchronized Future<Integer> resume(Instant before) {
        Function<Instant, Future<Integer>> r = resumer.get();
        if (r == null) {
            return Future.succeededFuture(0);
        }
        // One pass at a time: a second begun beside the first could find an answer the first was
        // finishing and run its searches again.
        Future<Integer> current = pass;
        if (current == null || current.isComplete()) {
            current = r.apply(before);
            pass = current;
        }
        return current;
    }

    /** The resuming pass under way, or the last one. */
    private Future<Integer> pass;

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
