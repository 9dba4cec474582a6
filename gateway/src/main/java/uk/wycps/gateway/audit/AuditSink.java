package uk.wycps.gateway.audit;

import io.vertx.core.Future;
import java.util.List;
import uk.wycps.gateway.outbox.Outbox;
import uk.wycps.gateway.outbox.OutboxMessage;

/**
 * Where audit entries go (H1, H2). {@link #append} succeeds only once the entry is durable; the
 * gateway answers an enquiry only after that, and answers 503 with no data when it fails.
 */
public interface AuditSink {

    /** Appends {@code entry}; fails when it cannot be made durable. */
    Future<Void> append(AuditEntry entry);

    /**
     * Appends {@code entry} and makes the register notifications it causes durable (H1, H3);
     * fails unless both are. This default writes the entry here and the notifications to
     * {@code outbox}, side by side; a sink that holds the outbox itself (PostgreSQL) writes both
     * in one transaction, so neither can exist without the other.
     */
    default Future<Void> append(AuditEntry entry, List<OutboxMessage> notifications, Outbox outbox) {
        return Future.all(append(entry), outbox.enqueue(notifications)).mapEmpty();
    }

    /**
     * Makes {@code notifications} durable and then appends {@code entry}, which records them:
     * the entry is never written for notifications that could not be queued. A sink that holds
     * the outbox itself (PostgreSQL) writes both in one transaction, so that a node lost between
     * the two leaves neither a register told without the entry saying so, nor the other way.
     * Used for the entry written after the withheld registers' searches (A9, H3, O4).
     */
    default Future<Void> appendAfterQueuing(AuditEntry entry, List<OutboxMessage> notifications, Outbox outbox) {
        return outbox.enqueue(notifications).compose(v -> append(entry));
    }

    /** The entries {@code query} asks for, as written, in log order, at most its limit. */
    Future<List<io.vertx.core.json.JsonObject>> query(AuditQuery query);

    Future<Void> close();
}
