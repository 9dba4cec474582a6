package uk.wycps.connector;

/**
 * Why a register could not be checked. A connector's future fails with this and nothing else;
 * the gateway turns {@link #kind()} into the register's status. Never an empty result: a
 * register that was not checked is not a register with no record (F5).
 *
 * <p>{@link #getMessage()} is a short reason safe to log and show: it never carries register
 * contents or criteria.
 */
public final class RegisterFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The kinds of failure, as the statuses of API.md name them. */
    public enum Kind {
        /** No complete answer within the deadline. */
        TIMEOUT,
        /** No connection, or the connection was lost before an answer started. */
        UNAVAILABLE,
        /** The register answered, but not with a valid answer of its dialect. */
        ERROR,
        /** The register's circuit breaker is open: the register was not asked. */
        CIRCUIT_OPEN,
        /** The register, or the gateway's bulkhead for it, refused the request. */
        REJECTED
    }

    private final Kind kind;
    private final boolean connectionFailure;
    private final int httpStatus;

    public RegisterFailure(Kind kind, String reason) {
        this(kind, reason, false, 0);
    }

    private RegisterFailure(Kind kind, String reason, boolean connectionFailure, int httpStatus) {
        super(reason, null, false, false);
        this.kind = kind;
        this.connectionFailure = connectionFailure;
        this.httpStatus = httpStatus;
    }

    /** The register answered {@code status}, which is no answer of its dialect: ERROR, with the status kept. */
    public static RegisterFailure httpStatus(int status, String reason) {
        return new RegisterFailure(Kind.ERROR, reason, false, status);
    }

    /** The HTTP status the register answered when that was the failure ({@link #httpStatus(int, String)}); 0 otherwise. */
    public int httpStatus() {
        return httpStatus;
    }

    /** A failure to connect or to get any answer started: safe to retry an idempotent search. */
    public static RegisterFailure connection(String reason) {
        return new RegisterFailure(Kind.UNAVAILABLE, reason, true, 0);
    }

    public static RegisterFailure timeout(long millis) {
        return new RegisterFailure(Kind.TIMEOUT, "no complete answer within " + millis + " ms");
    }

    public static RegisterFailure error(String reason) {
        return new RegisterFailure(Kind.ERROR, reason);
    }

    public Kind kind() {
        return kind;
    }

    /** True when nothing reached the register's application: a retry cannot duplicate work. */
    public boolean connectionFailure() {
        return connectionFailure;
    }
}
