package uk.wycps.gateway.admission;

import io.vertx.core.Vertx;
import java.util.function.LongConsumer;

/**
 * How far behind one event loop is: a timer on the loop every {@link #PERIOD_MS} notes when it
 * ran; how late it is now, or was at its last run, is the time a request arriving now waits
 * before the loop can even read it. An overloaded gateway shows it here first, before any
 * enquiry in flight has gone past its deadline: when every core is spent, requests queue in
 * the sockets, where neither the in-flight count nor a caller's bucket can see them (issue 14).
 *
 * <p>One per event loop, read only on that loop (the fields are plain for that reason).
 */
public final class EventLoopLag {

    /** How often the loop is sampled: well under any lag worth refusing for. */
    static final long PERIOD_MS = 10;
    private static final long PERIOD_NANOS = PERIOD_MS * 1_000_000L;

    private final LongConsumer observer;
    private long lastTick = System.nanoTime();
    private long lastLagNanos;

    private EventLoopLag(LongConsumer observer) {
        this.observer = observer;
    }

    /**
     * Starts sampling the event loop of the calling context (a verticle's start), telling
     * {@code observer} each sample's lag in nanoseconds (the metrics: operators see the lag
     * before callers see refusals). The timer belongs to the verticle, so undeploying it stops
     * the sampling.
     */
    public static EventLoopLag sample(Vertx vertx, LongConsumer observer) {
        EventLoopLag lag = new EventLoopLag(observer);
        vertx.setPeriodic(PERIOD_MS, id -> lag.tick(System.nanoTime()));
        return lag;
    }

    void tick(long now) {
        lastLagNanos = Math.max(0, now - lastTick - PERIOD_NANOS);
        lastTick = now;
        observer.accept(lastLagNanos);
    }

    /**
     * The loop's lag as seen now: the larger of how late the timer was at its last run and how
     * overdue its next run is (a loop too busy to run the timer at all is behind by at least that).
     */
    public long lagMillis() {
        long overdue = System.nanoTime() - lastTick - PERIOD_NANOS;
        return Math.max(lastLagNanos, overdue) / 1_000_000L;
    }
}
