package uk.wycps.connector.canonicaljson;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import uk.wycps.connector.AuditCheckpoint;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.HistoryDelivery;
import uk.wycps.connector.RecordIds;
import uk.wycps.connector.RegisterFailure;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.connector.SearchRequest;
import uk.wycps.connector.http.AnswerBodies;
import uk.wycps.connector.http.HttpDialectConnector;
import uk.wycps.connector.http.HttpDialects;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.EnquiryHistoryEntry;
import uk.wycps.record.RecordJson;
import uk.wycps.record.SearchCriteria;

/**
 * Dialect {@code canonical-json}: JSON over HTTP in the canonical record's own names and codes.
 *
 * <ul>
 *   <li>{@code POST {base}/search} with {@code {"criteria": {...}, "fields": [...]}} answers
 *       {@code {"records": [...]}};</li>
 *   <li>{@code PUT {base}/records/{recordId}/enquiries/{entryId}} records an enquiry-history
 *       entry, idempotently;</li>
 *   <li>{@code POST {base}/enquiries} with {@code {"entries": [{"recordId": ..., "entry": {...}}]}}
 *       records up to {@link #MAX_BATCH} entries in one exchange, idempotently on each entry id;</li>
 *   <li>{@code PUT {base}/audit-checkpoints/{index}} keeps a signed head of the gateway's audit
 *       chain, idempotently.</li>
 * </ul>
 */
public final class CanonicalJsonConnector extends HttpDialectConnector {

    /** A register answering more candidates than this is not pre-filtering: refuse the answer. */
    public static final int MAX_RECORDS = 200;

    /** The most entries sent in one exchange; a longer list goes as several. */
    public static final int MAX_BATCH = 100;

    private static final ObjectReader ANSWER_READER = RecordJson.mapper().readerFor(SearchAnswer.class);
    private static final ObjectWriter QUERY_WRITER = RecordJson.mapper().writerFor(SearchQuery.class);
    private static final ObjectWriter ENTRY_WRITER = RecordJson.mapper().writerFor(EnquiryHistoryEntry.class);
    private static final ObjectWriter BATCH_WRITER = RecordJson.mapper().writerFor(HistoryBatch.class);

    public CanonicalJsonConnector(Vertx vertx, RegisterSettings settings) {
        super(vertx, settings);
    }

    /** What the register is sent. */
    record SearchQuery(SearchCriteria criteria, Set<String> fields) {
    }

    /** Entries recorded in one exchange. */
    record HistoryBatch(List<HistoryDelivery> entries) {
    }

    /** What the register answers. */
    record SearchAnswer(List<ChildRecord> records) {
    }

    @Override
    public Future<List<ChildRecord>> search(SearchRequest request) {
        Buffer body;
        try {
            body = encode(request);
        } catch (JsonProcessingException e) {
            return Future.failedFuture(RegisterFailure.error("could not encode the query"));
        }
        return exchange(request(HttpMethod.POST, "/search"), body, request.deadline(), JSON)
                .map(CanonicalJsonConnector::parse);
    }

    /**
     * The last query encoded on this thread. An enquiry sends the same criteria and, mostly, the
     * same fields to every register of this dialect, one after the other on one event loop: at
     * national scale that is one encoding instead of 150.
     */
    private static final ThreadLocal<Object[]> LAST_QUERY = new ThreadLocal<>();

    private static Buffer encode(SearchRequest request) throws JsonProcessingException {
        Object[] last = LAST_QUERY.get();
        if (last != null && last[0] == request.criteria() && last[1].equals(request.fields())) {
            return ((Buffer) last[2]).copy();
        }
        Buffer body = Buffer.buffer(QUERY_WRITER.writeValueAsBytes(new SearchQuery(request.criteria(), request.fields())));
        LAST_QUERY.set(new Object[] {request.criteria(), request.fields(), body});
        return body.copy();
    }

    private static List<ChildRecord> parse(Buffer body) {
        SearchAnswer answer;
        try {
            answer = AnswerBodies.read(ANSWER_READER, body);
        } catch (IOException | RuntimeException e) {
            throw RegisterFailure.error("answer is not a valid canonical-json answer");
        }
        if (answer == null || answer.records() == null) {
            throw RegisterFailure.error("answer has no records array");
        }
        if (answer.records().size() > MAX_RECORDS) {
            throw RegisterFailure.error("answer has more than " + MAX_RECORDS + " records");
        }
        answer.records().forEach(RecordIds::require);
        return answer.records();
    }

    @Override
    public Future<Void> recordEnquiry(String recordId, EnquiryHistoryEntry entry, Deadline deadline) {
        String path = HttpDialects.fill("/records/{recordId}/enquiries/{entryId}",
                Map.of("recordId", recordId, "entryId", entry.entryId()));
        return send(HttpMethod.PUT, path, ENTRY_WRITER, entry, deadline, JSON);
    }

    @Override
    public int historyBatchSize() {
        return MAX_BATCH;
    }

    @Override
    public Future<Void> recordEnquiries(List<HistoryDelivery> deliveries, Deadline deadline) {
        Future<Void> chain = Future.succeededFuture();
        for (int from = 0; from < deliveries.size(); from += MAX_BATCH) {
            HistoryBatch part = new HistoryBatch(deliveries.subList(from, Math.min(deliveries.size(), from + MAX_BATCH)));
            chain = chain.compose(v -> send(HttpMethod.POST, "/enquiries", BATCH_WRITER, part, deadline, JSON));
        }
        return chain;
    }

    @Override
    public Future<Void> publishCheckpoint(AuditCheckpoint checkpoint, Deadline deadline) {
        return putCheckpoint("/audit-checkpoints/{index}", checkpoint, deadline);
    }
}
