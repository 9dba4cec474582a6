package uk.wycps.mock;

import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.Set;

/**
 * The faults a mock register injects (API.md "Mock registers"): a fixed latency plus a random
 * jitter before every answer, a share of answers turned into 500s, and a misbehaviour mode.
 *
 * @param latencyMs delay added to every answer, 0 to {@link #MAX_DELAY_MS}
 * @param jitterMs  upper bound of a further random delay, 0 to {@link #MAX_DELAY_MS}
 * @param errorRate share of answers turned into HTTP 500, 0.0 to 1.0
 * @param mode      the misbehaviour
 */
public record FaultSettings(long latencyMs, long jitterMs, double errorRate, FaultMode mode) {

    /** Ten minutes: longer than any deadline worth testing. */
    public static final long MAX_DELAY_MS = 600_000;

    /** No fault at all. */
    public static final FaultSettings NONE = new FaultSettings(0, 0, 0.0, FaultMode.NONE);

    private static final Set<String> FIELDS = Set.of("latencyMs", "jitterMs", "errorRate", "mode");

    public FaultSettings {
        Objects.requireNonNull(mode, "mode");
        if (latencyMs < 0 || latencyMs > MAX_DELAY_MS) {
            throw new InvalidFaultsException("latencyMs", "latencyMs must be between 0 and " + MAX_DELAY_MS);
        }
        if (jitterMs < 0 || jitterMs > MAX_DELAY_MS) {
            throw new InvalidFaultsException("jitterMs", "jitterMs must be between 0 and " + MAX_DELAY_MS);
        }
        if (!(errorRate >= 0.0 && errorRate <= 1.0)) {
            throw new InvalidFaultsException("errorRate", "errorRate must be between 0.0 and 1.0");
        }
    }

    /** Only a mode. */
    public static FaultSettings mode(FaultMode mode) {
        return new FaultSettings(0, 0, 0.0, mode);
    }

    /** Only a fixed latency. */
    public static FaultSettings latency(long latencyMs) {
        return new FaultSettings(latencyMs, 0, 0.0, FaultMode.NONE);
    }

    /** The admin API's JSON shape. */
    public JsonObject toJson() {
        return new JsonObject()
                .put("latencyMs", latencyMs)
                .put("jitterMs", jitterMs)
                .put("errorRate", errorRate)
                .put("mode", mode.code());
    }

    /**
     * Reads the admin API's JSON shape. Absent fields take the value of {@link #NONE}; an unknown
     * field, a wrong type or a value out of range fails with {@link InvalidFaultsException}.
     */
    public static FaultSettings fromJson(JsonObject json) {
        for (String name : json.fieldNames()) {
            if (!FIELDS.contains(name)) {
                throw new InvalidFaultsException(name, "unknown field");
            }
        }
        long latency = wholeNumber(json, "latencyMs");
        long jitter = wholeNumber(json, "jitterMs");
        Object rate = json.getValue("errorRate");
        if (rate != null && !(rate instanceof Number)) {
            throw new InvalidFaultsException("errorRate", "errorRate must be a number");
        }
        Object mode = json.getValue("mode");
        if (mode != null && !(mode instanceof String)) {
            throw new InvalidFaultsException("mode", "mode must be a string");
        }
        FaultMode parsed;
        try {
            parsed = mode == null ? FaultMode.NONE : FaultMode.fromCode((String) mode);
        } catch (IllegalArgumentException e) {
            throw new InvalidFaultsException("mode",
                    "mode must be one of none, hang, reset, malformed, drip, wrong-content-type, error");
        }
        return new FaultSettings(latency, jitter, rate == null ? 0.0 : ((Number) rate).doubleValue(), parsed);
    }

    private static long wholeNumber(JsonObject json, String field) {
        Object v = json.getValue(field);
        if (v == null) {
            return 0;
        }
        if (v instanceof Integer || v instanceof Long) {
            return ((Number) v).longValue();
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                && Math.abs(n.doubleValue()) <= MAX_DELAY_MS * 2.0) {
            return n.longValue();
        }
        throw new InvalidFaultsException(field, field + " must be a whole number of milliseconds");
    }

    /** A fault setting that cannot be applied; {@link #field()} names the offending field. */
    public static final class InvalidFaultsException extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;
        private final String field;

        public InvalidFaultsException(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }
}
