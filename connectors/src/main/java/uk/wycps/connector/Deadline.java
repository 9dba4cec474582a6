package uk.wycps.connector;

import java.time.Duration;

/**
 * The moment by which a register must have answered, on the monotonic clock. Passed down so
 * that every step (a retry, a second call of a two-step dialect) spends only what is left.
 */
public record Deadline(long expiresAtNanos) {

    /** A deadline {@code budget} from now. */
    public static Deadline after(Duration budget) {
        return new Deadline(System.nanoTime() + budget.toNanos());
    }

    /** A deadline {@code millis} from now. */
    public static Deadline afterMillis(long millis) {
        return new Deadline(System.nanoTime() + millis * 1_000_000L);
    }

    /** Milliseconds left, never negative. */
    public long remainingMillis() {
        long left = expiresAtNanos - System.nanoTime();
        return left <= 0 ? 0 : Math.max(1, left / 1_000_000L);
    }

    public boolean expired() {
        return expiresAtNanos - System.nanoTime() <= 0;
    }
}
