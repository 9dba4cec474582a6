package uk.wycps.connector;

import io.vertx.core.Future;
import java.util.List;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.EnquiryHistoryEntry;

/**
 * The seam between the gateway and one authority's register (F3). An implementation maps the
 * register's own dialect to the canonical record and nothing else: no policy, no linking.
 *
 * <p>Every method is non-blocking and returns a {@link Future} completed on the caller's
 * context. A failed future carries a {@link RegisterFailure}; any other exception is a bug.
 * Register answers are untrusted: an implementation validates shape and size, bounds time by
 * the request's deadline and follows no redirect.
 */
public interface RegisterConnector {

    /** The authority whose register this is, e.g. {@code leeds}. */
    String authority();

    /**
     * Searches the register. Succeeds with the candidate records (possibly none: the register
     * answered and holds no candidate), holding at most the requested fields; fails with a
     * {@link RegisterFailure} when the register could not be checked.
     */
    Future<List<ChildRecord>> search(SearchRequest request);

    /**
     * Searches as {@link #search} does, with the proof of the answer where the register signs
     * its answers (a register adapter, issue 17). A dialect whose answers carry no signature
     * need not override it.
     */
    default Future<RegisterAnswer> searchAnswer(SearchRequest request) {
        return search(request).map(records -> new RegisterAnswer(records, null));
    }

    /**
     * Adds an entry to the register's history of enquiries (M6, H3). Idempotent on
     * {@link EnquiryHistoryEntry#entryId()}: sending an entry twice records it once.
     */
    Future<Void> recordEnquiry(String recordId, EnquiryHistoryEntry entry, Deadline deadline);

    /**
     * Adds several entries, in order, all by the one deadline; fails if any could not be
     * recorded (those recorded before stay recorded, and resending is idempotent). The default
     * sends them one at a time; a dialect whose register takes a batch in one exchange
     * overrides it and {@link #historyBatchSize()}, which is what lets a busy register's history
     * keep up with the enquiries.
     */
    default Future<Void> recordEnquiries(List<HistoryDelivery> deliveries, Deadline deadline) {
        Future<Void> chain = Future.succeededFuture();
        for (HistoryDelivery d : deliveries) {
            chain = chain.compose(v -> recordEnquiry(d.recordId(), d.entry(), deadline));
        }
        return chain;
    }

    /**
     * How many entries the gateway should hand {@link #recordEnquiries} at once: 1 unless the
     * register takes them in one exchange (one at a time, many could outlast one deadline).
     */
    default int historyBatchSize() {
        return 1;
    }

    /**
     * Gives the register a signed head of the gateway's audit chain to keep (H2), so that the
     * gateway's operator alone cannot rewrite history unnoticed. Idempotent on the index. A
     * dialect without a place for checkpoints fails with a {@link RegisterFailure} of kind
     * {@code ERROR}.
     */
    default Future<Void> publishCheckpoint(AuditCheckpoint checkpoint, Deadline deadline) {
        return Future.failedFuture(RegisterFailure.error("this register keeps no audit checkpoints"));
    }

    /**
     * Whether this register keeps audit checkpoints at all ({@link #publishCheckpoint} can
     * succeed): the gateway queues none for one that does not, which would only pile up unsent.
     */
    default boolean keepsCheckpoints() {
        return false;
    }

    /**
     * The register's own aggregate counts as of {@code asOf} (S1): computed at the register, so
     * no record-level data crosses. A dialect that has no statistics fails with a
     * {@link RegisterFailure} of kind {@code ERROR}.
     */
    default Future<uk.wycps.connector.statistics.RegisterStatistics> statistics(java.time.LocalDate asOf,
            Deadline deadline) {
        return Future.failedFuture(RegisterFailure.error("this register computes no statistics"));
    }

    /** Releases connections. */
    Future<Void> close();
}
