package uk.wycps.gateway.admission;

import io.vertx.core.Future;

/**
 * Token buckets by key (a caller's subject, an agency). The seam where the buckets may later be
 * shared by every node (in PostgreSQL, say) instead of kept in this one: hence a {@link Future}.
 */
public interface RateLimiter {

    /**
     * Takes one permit from {@code key}'s bucket. Succeeds with {@link Verdict#ADMITTED}, or with
     * a refusal saying how long until a permit is there; fails only if the limiter itself cannot
     * answer (the caller then refuses: no limiter, no admission).
     */
    Future<Verdict> tryTake(String key);

    /** What a bucket said: admitted, or refused with the whole seconds to wait (at least 1). */
    record Verdict(boolean admitted, long retryAfterSeconds) {
        public static final Verdict ADMITTED = new Verdict(true, 0);

        public static Verdict refused(long nanosToWait) {
            return new Verdict(false, Math.max(1, (nanosToWait + 999_999_999L) / 1_000_000_000L));
        }
    }
}
