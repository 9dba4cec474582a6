package uk.wycps.benchmarks.load;

/**
 * A fixed arrival rate: request {@code i} is due at {@code start + i / rate}, whatever happened
 * to the requests before it. Latency is measured from this intended time, not from the moment
 * the request was actually written, so a stalled server cannot hide its stall by slowing the
 * load down (no coordinated omission).
 */
public final class ArrivalSchedule {

    private final long startNanos;
    private final double intervalNanos;
    private final long total;

    /**
     * @param startNanos {@link System#nanoTime()} of request 0
     * @param ratePerSecond arrivals per second, above zero
     * @param total how many requests the schedule holds
     */
    public ArrivalSchedule(long startNanos, double ratePerSecond, long total) {
        if (!(ratePerSecond > 0)) {
            throw new IllegalArgumentException("rate must be above zero");
        }
        if (total < 0) {
            throw new IllegalArgumentException("total must not be negative");
        }
        this.startNanos = startNanos;
        this.intervalNanos = 1e9 / ratePerSecond;
        this.total = total;
    }

    /** When request {@code i} is due. */
    public long intendedNanos(long i) {
        return startNanos + (long) (i * intervalNanos);
    }

    /** How many requests are due by {@code nowNanos} (never more than the total). */
    public long dueBy(long nowNanos) {
        if (nowNanos < startNanos) {
            return 0;
        }
        long due = (long) Math.floor((nowNanos - startNanos) / intervalNanos) + 1;
        return Math.min(due, total);
    }

    public long total() {
        return total;
    }

    /** When the last request is due. */
    public long endNanos() {
        return total == 0 ? startNanos : intendedNanos(total - 1);
    }
}
