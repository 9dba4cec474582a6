package uk.wycps.gateway.api;

/** A 429: over an admission limit, with the whole seconds after which to try again (Retry-After). */
public final class RateLimitedException extends ApiException {

    private static final long serialVersionUID = 1L;

    private final long retryAfterSeconds;

    public RateLimitedException(String code, String message, long retryAfterSeconds) {
        super(429, code, message, null);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
