package uk.wycps.gateway.fanout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures how long the JVM as a whole is stalled (CPU starvation on a busy CI machine, GC
 * pauses), jHiccup-style: a thread of its own parks for 1 ms again and again and records every
 * time it wakes up more than {@link #THRESHOLD_NANOS} late. A stall of the platform delays this
 * thread as much as any other; a slow or blocked event loop does not, so it is never excused by
 * the meter.
 */
final class HiccupMeter implements AutoCloseable {

    static final long THRESHOLD_NANOS = 2_000_000L;

    /** One stall: {@code [startNanos, endNanos]} on {@link System#nanoTime()}. */
    record Stall(long startNanos, long endNanos) {
        long millis() {
            return (endNanos - startNanos) / 1_000_000L;
        }
    }

    private final List<Stall> stalls = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    HiccupMeter() {
        thread = new Thread(this::run, "hiccup-meter");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            long before = System.nanoTime();
            LockSupport.parkNanos(1_000_000L);
            long after = System.nanoTime();
            long late = after - before - 1_000_000L;
            if (late > THRESHOLD_NANOS) {
                synchronized (stalls) {
                    stalls.add(new Stall(before + 1_000_000L, after));
                }
            }
        }
    }

    /** Milliseconds of stall overlapping {@code [fromNanos, toNanos]}. */
    long stalledMillis(long fromNanos, long toNanos) {
        long total = 0;
        synchronized (stalls) {
            for (Stall s : stalls) {
                long overlap = Math.min(toNanos, s.endNanos()) - Math.max(fromNanos, s.startNanos());
                if (overlap > 0) {
                    total += overlap;
                }
            }
        }
        return total / 1_000_000L;
    }

    /** The longest stall seen, in milliseconds. */
    long longestMillis() {
        synchronized (stalls) {
            return stalls.stream().mapToLong(Stall::millis).max().orElse(0);
        }
    }

    @Override
    public void close() {
        running = false;
    }
}
