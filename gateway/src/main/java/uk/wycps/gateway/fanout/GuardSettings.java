package uk.wycps.gateway.fanout;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import uk.wycps.connector.RegisterSettings;

/**
 * How one register is guarded (see {@code docs/resilience.md}): the circuit breaker's sliding
 * window and thresholds, the bulkhead's size, and the single retry. Defaults derive from the
 * register's own settings; any of them can be overridden in the register's {@code options}
 * under {@code "resilience"}, e.g. {@code {"resilience": {"waitInOpenMs": 2000}}}.
 *
 * @param deadlineMs             the register's configured deadline (a caller may only shorten it)
 * @param slidingWindowSize      the breaker's window, in calls
 * @param minimumCalls           calls in the window before any rate is computed
 * @param failureRatePercent     failure rate that opens the breaker
 * @param slowCallRatePercent    slow-call rate that opens the breaker
 * @param slowCallMs             a successful call slower than this counts as slow
 * @param waitInOpenMs           how long an open breaker refuses calls before probing
 * @param halfOpenCalls          probe calls let through when half open
 * @param maxConcurrent          the bulkhead: concurrent searches of this register, gateway-wide
 * @param retryBackoffMs         pause before the one retry after a connection failure
 * @param retryMinRemainingMs    the one retry is made only if at least this much deadline is left
 */
public record GuardSettings(long deadlineMs, int slidingWindowSize, int minimumCalls, float failureRatePercent,
        float slowCallRatePercent, long slowCallMs, long waitInOpenMs, int halfOpenCalls, int maxConcurrent,
        long retryBackoffMs, long retryMinRemainingMs) {

    public static final int DEFAULT_SLIDING_WINDOW = 20;
    public static final int DEFAULT_MINIMUM_CALLS = 5;
    public static final float DEFAULT_FAILURE_RATE = 50f;
    public static final float DEFAULT_SLOW_CALL_RATE = 80f;
    public static final long DEFAULT_WAIT_IN_OPEN_MS = 5000;
    public static final int DEFAULT_HALF_OPEN_CALLS = 2;
    public static final long DEFAULT_RETRY_BACKOFF_MS = 20;
    public static final long DEFAULT_RETRY_MIN_REMAINING_MS = 250;

    private static final Set<String> KEYS = Set.of("slidingWindowSize", "minimumCalls", "failureRatePercent",
            "slowCallRatePercent", "slowCallMs", "waitInOpenMs", "halfOpenCalls", "maxConcurrent", "retryBackoffMs",
            "retryMinRemainingMs");

    public GuardSettings {
        positive("deadlineMs", deadlineMs);
        positive("slidingWindowSize", slidingWindowSize);
        positive("minimumCalls", minimumCalls);
        percent("failureRatePercent", failureRatePercent);
        percent("slowCallRatePercent", slowCallRatePercent);
        positive("slowCallMs", slowCallMs);
        positive("waitInOpenMs", waitInOpenMs);
        positive("halfOpenCalls", halfOpenCalls);
        positive("maxConcurrent", maxConcurrent);
        if (retryBackoffMs < 0 || retryMinRemainingMs < 0) {
            throw new IllegalArgumentException("resilience: retry settings must not be negative");
        }
    }

    /**
     * The guard of a register: a slow call is one over half its deadline; the bulkhead admits as
     * many concurrent searches as the register's connection pool does (its connections and its
     * bounded wait queue), so a burst waits a little for a connection within its deadline instead
     * of leaving a healthy register unchecked.
     * Overrides come from {@code options.resilience}; an unknown key there is refused.
     */
    public static GuardSettings from(RegisterSettings register) {
        Objects.requireNonNull(register, "register");
        long deadline = register.deadline().toMillis();
        JsonObject o = register.options().getJsonObject("resilience", new JsonObject());
        for (String key : o.fieldNames()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("register '" + register.authority() + "': unknown resilience setting '"
                        + key + "'");
            }
        }
        try {
            return new GuardSettings(deadline,
                    o.getInteger("slidingWindowSize", DEFAULT_SLIDING_WINDOW),
                    o.getInteger("minimumCalls", DEFAULT_MINIMUM_CALLS),
                    o.getFloat("failureRatePercent", DEFAULT_FAILURE_RATE),
                    o.getFloat("slowCallRatePercent", DEFAULT_SLOW_CALL_RATE),
                    o.getLong("slowCallMs", Math.max(1, deadline / 2)),
                    o.getLong("waitInOpenMs", DEFAULT_WAIT_IN_OPEN_MS),
                    o.getInteger("halfOpenCalls", DEFAULT_HALF_OPEN_CALLS),
                    o.getInteger("maxConcurrent", register.maxConnections() + register.maxWaitQueue()),
                    o.getLong("retryBackoffMs", DEFAULT_RETRY_BACKOFF_MS),
                    o.getLong("retryMinRemainingMs", Math.min(DEFAULT_RETRY_MIN_REMAINING_MS, deadline / 4)));
        } catch (ClassCastException e) {
            throw new IllegalArgumentException("register '" + register.authority() + "': resilience settings must be numbers");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("register '" + register.authority() + "': " + e.getMessage());
        }
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException("resilience: " + name + " must be positive");
        }
    }

    private static void percent(String name, float value) {
        if (!(value > 0 && value <= 100)) {
            throw new IllegalArgumentException("resilience: " + name + " must be above 0 and at most 100");
        }
    }
}
