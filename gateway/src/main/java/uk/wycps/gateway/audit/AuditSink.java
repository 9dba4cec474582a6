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

    /**
     * The answers made in {@code [from, to)} that withheld a register from their caller and have
     * no {@link AuditEntry#WITHHELD_SEARCHED} entry (A9, H3): searches a node promised and did
     * not live to run, or whose entry it could not write. Oldest first.
     */
    Future<List<AuditEntry>> withheldNotSearched(java.time.Instant from, java.time.Instant to);

    /**
     * Claims the right to run {@code enquiryId}'s withheld searches again; true for the one node
     * that may. Only a sink that several nodes share needs more than this: two nodes resuming
     * the same would tell a register twice and write the entry twice.
     */
    default Future<Boolean> claimWithheldSearch(String enquiryId) {
        return Future.succeededFuture(true);
    }

    /** Whether other nodes append to this audit too, and so may leave searches for this one to resume. */
    default boolean sharedByNodes() {
        return false;
    }

    Future<Void> close();
}
