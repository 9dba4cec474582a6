package uk.wycps.gateway.audit;

/** The audit could not be written: the enquiry fails closed with 503 and no data (H1). */
public final class AuditUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public AuditUnavailableException() {
        super("audit unavailable", null, false, false);
    }
}
