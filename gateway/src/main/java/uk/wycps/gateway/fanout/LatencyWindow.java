package uk.wycps.gateway.fanout;

import java.util.Arrays;

/**
 * The latencies of a register's last few calls, for {@code /health/ready}. Written from several
 * event loops; the lock is held for a few array operations only.
 */
public final class LatencyWindow {

    private final long[] samples;
    private int next;
    private int size;

    LatencyWindow(int capacity) {
        this.samples = new long[capacity];
    }

    synchronized void add(long millis) {
        samples[next] = millis;
        next = (next + 1) % samples.length;
        size = Math.min(size + 1, samples.length);
    }

    /** p50 and p99 of the window, or nulls when it is empty. */
    Snapshot snapshot() {
        long[] copy;
        synchronized (this) {
            copy = Arrays.copyOf(samples, size);
        }
        if (copy.length == 0) {
            return new Snapshot(0, null, null);
        }
        Arrays.sort(copy);
        return new Snapshot(copy.length, percentile(copy, 50), percentile(copy, 99));
    }

    private static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** {@code samples} calls; p50 and p99 in milliseconds, null when there were none. */
    public record Snapshot(int samples, Long p50, Long p99) {
    }
}
