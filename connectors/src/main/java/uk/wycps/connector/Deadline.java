package uk.wycps.connector;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The moment by which a register must have answered, on the monotonic clock. Passed down so
 * that every step (a retry, a second call of a two-step dialect) spends only what is left.
 *
 * <p>{@code watch}, when not null, is a timer someone already holds for this deadline (the
 * gateway's register guard): an exchange registers what to do when it passes instead of arming a
 * timer of its own, so that a guarded search costs one timer, not two (issue 21).
 */
public record Deadline(long expiresAtNanos, Watch watch) {

    public Deadline(long expiresAtNanos) {
        this(expiresAtNanos, null);
    }

    /** A deadline {@code budget} from now. */
    public static Deadline after(Duration budget) {
        return new Deadline(System.nanoTime() + budget.toNanos());
    }

    /** A deadline {@code millis} from now. */
    public static Deadline afterMillis(long millis) {
        return new Deadline(System.nanoTime() + millis * 1_000_000L);
    }

    /**
     * A deadline {@code millis} after {@code startNanos} ({@link System#nanoTime()}): deadlines
     * made alike from one start are the same moment, so one timer can watch them all.
     */
    public static Deadline afterMillis(long startNanos, long millis) {
        return new Deadline(startNanos + millis * 1_000_000L);
    }

    /** The same moment, watched by {@code watch}'s timer. */
    public Deadline watchedBy(Watch watch) {
        return new Deadline(expiresAtNanos, watch);
    }

    /** Milliseconds left, never negative. */
    public long remainingMillis() {
        long left = expiresAtNanos - System.nanoTime();
        return left <= 0 ? 0 : Math.max(1, left / 1_000_000L);
    }

    public boolean expired() {
        return expiresAtNanos - System.nanoTime() <= 0;
    }

    /**
     * What to run when a deadline passes, run by whoever holds its timer ({@link #expire()}).
     * A hook registered after expiry runs at once. Thread-safe: registration and expiry may come
     * from different event loops.
     */
    public static final class Watch {
        private List<Runnable> hooks;
        private boolean expired;

        /** Runs {@code hook} when the deadline passes (now, if it already has). */
        public void onExpiry(Runnable hook) {
            synchronized (this) {
                if (!expired) {
                    if (hooks == null) {
                        hooks = new ArrayList<>(2);
                    }
                    hooks.add(hook);
                    return;
                }
            }
            hook.run();
        }

        /** The deadline has passed: runs every hook registered, once. */
        public void expire() {
            List<Runnable> run;
            synchronized (this) {
                if (expired) {
                    return;
                }
                expired = true;
                run = hooks;
                hooks = null;
            }
            if (run != null) {
                run.forEach(Runnable::run);
            }
        }
    }
}
