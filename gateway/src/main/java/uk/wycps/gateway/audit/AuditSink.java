package uk.wycps.gateway.audit;

import io.vertx.core.Future;

/**
 * Where audit entries go (H1, H2). {@link #append} succeeds only once the entry is durable; the
 * gateway answers an enquiry only after that, and answers 503 with no data when it fails.
 */
public interface AuditSink {

    /** Appends {@code entry}; fails when it cannot be made durable. */
    Future<Void> append(AuditEntry entry);

    /** The entries {@code query} asks for, as written, in log order, at most its limit. */
    Future<java.util.List<io.vertx.core.json.JsonObject>> query(AuditQuery query);

    Future<Void> close();
}
