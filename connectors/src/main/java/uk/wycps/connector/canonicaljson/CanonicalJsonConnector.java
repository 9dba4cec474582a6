package uk.wycps.connector.canonicaljson;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import uk.wycps.connector.AuditCheckpoint;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.HistoryDelivery;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.RegisterFailure;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.record.SearchCriteria;
import uk.wycps.connector.SearchRequest;
import uk.wycps.connector.http.AnswerBodies;
import uk.wycps.connector.http.BoundedHttpCall;
import uk.wycps.connector.statistics.RegisterStatistics;
import uk.wycps.connector.statistics.StatisticsClient;
import uk.wycps.connector.http.RegisterHttpClients;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.EnquiryHistoryEntry;
import uk.wycps.record.RecordJson;

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
public final class CanonicalJsonConnector implements RegisterConnector {

    /** A register answering more candidates than this is not pre-filtering: refuse the answer. */
    public static final int MAX_RECORDS = 200;

    private static final ObjectReader ANSWER_READER = RecordJson.mapper().readerFor(SearchAnswer.class);
    private static final ObjectWriter QUERY_WRITER = RecordJson.mapper().writerFor(SearchQuery.class);
    private static final ObjectWriter ENTRY_WRITER = RecordJson.mapper().writerFor(EnquiryHistoryEntry.class);
    private static final ObjectWriter BATCH_WRITER = RecordJson.mapper().writerFor(HistoryBatch.class);
    private static final ObjectWriter CHECKPOINT_WRITER = RecordJson.mapper().writerFor(AuditCheckpoint.class);

    private final Vertx vertx;
    private final RegisterSettings settings;
    private final HttpClientAgent client;
    private final BoundedHttpCall call;
    private final String basePath;

    public CanonicalJsonConnector(Vertx vertx, RegisterSettings settings) {
        this.vertx = vertx;
        this.settings = settings;
        this.client = RegisterHttpClients.create(vertx, settings);
        this.call = new BoundedHttpCall(vertx, client, settings.maxResponseBytes());
        this.basePath = RegisterHttpClients.basePath(settings);
    }

    /** What the register is sent. */
    record SearchQuery(SearchCriteria criteria, Set<String> fields) {
    }

    /** Entries recorded in one exchange. */
    record HistoryBatch(List<HistoryDelivery> entries) {
    }

    /** The most entries sent in one exchange; a longer list goes as several. */
    public static final int MAX_BATCH = 100;

    /** What the register answers. */
    record SearchAnswer(List<ChildRecord> records) {
    }

    @Override
    public String authority() {
        return settings.authority();
    }

    @Override
    public Future<List<ChildRecord>> search(SearchRequest request) {
        Buffer body;
        try {
            body = encode(request);
        } catch (JsonProcessingException e) {
            return Future.failedFuture(RegisterFailure.error("could not encode the query"));
        }
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI(basePath + "/search");
        return call.exchange(options, body, request.deadline(), "application/json").compose(this::parse);
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

    private Future<List<ChildRecord>> parse(Buffer body) {
        SearchAnswer answer;
        try {
            answer = AnswerBodies.read(ANSWER_READER, body);
        } catch (IOException | RuntimeException e) {
            return Future.failedFuture(RegisterFailure.error("answer is not a valid canonical-json answer"));
        }
        if (answer == null || answer.records() == null) {
            return Future.failedFuture(RegisterFailure.error("answer has no records array"));
        }
        if (answer.records().size() > MAX_RECORDS) {
            return Future.failedFuture(RegisterFailure.error("answer has more than " + MAX_RECORDS + " records"));
        }
        for (ChildRecord r : answer.records()) {
            if (r == null || r.recordId() == null || r.recordId().isBlank()) {
                return Future.failedFuture(RegisterFailure.error("answer has a record without recordId"));
            }
        }
        return Future.succeededFuture(answer.records());
    }

    @Override
    public Future<Void> recordEnquiry(String recordId, EnquiryHistoryEntry entry, Deadline deadline) {
        Buffer body;
        try {
            body = Buffer.buffer(ENTRY_WRITER.writeValueAsBytes(entry));
        } catch (JsonProcessingException e) {
            return Future.failedFuture(RegisterFailure.error("could not encode the entry"));
        }
        String uri = basePath + "/records/" + urlSegment(recordId) + "/enquiries/" + urlSegment(entry.entryId());
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.PUT).setURI(uri);
        return call.exchange(options, body, deadline, "application/json").mapEmpty();
    }

    @Override
    public int historyBatchSize() {
        return MAX_BATCH;
    }

    @Override
    public Future<Void> recordEnquiries(List<HistoryDelivery> deliveries, Deadline deadline) {
        Future<Void> chain = Future.succeededFuture();
        for (int from = 0; from < deliveries.size(); from += MAX_BATCH) {
            List<HistoryDelivery> part = deliveries.subList(from, Math.min(deliveries.size(), from + MAX_BATCH));
            chain = chain.compose(v -> recordBatch(part, deadline));
        }
        return chain;
    }

    private Future<Void> recordBatch(List<HistoryDelivery> part, Deadline deadline) {
        Buffer body;
        try {
            body = Buffer.buffer(BATCH_WRITER.writeValueAsBytes(new HistoryBatch(part)));
        } catch (JsonProcessingException e) {
            return Future.failedFuture(RegisterFailure.error("could not encode the entries"));
        }
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI(basePath + "/enquiries");
        return call.exchange(options, body, deadline, "application/json").mapEmpty();
    }

    @Override
    public Future<Void> publishCheckpoint(AuditCheckpoint checkpoint, Deadline deadline) {
        Buffer body;
        try {
            body = Buffer.buffer(CHECKPOINT_WRITER.writeValueAsBytes(checkpoint));
        } catch (JsonProcessingException e) {
            return Future.failedFuture(RegisterFailure.error("could not encode the checkpoint"));
        }
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.PUT)
                .setURI(basePath + "/audit-checkpoints/" + checkpoint.index());
        return call.exchange(options, body, deadline, "application/json").mapEmpty();
    }

    @Override
    public Future<RegisterStatistics> statistics(LocalDate asOf, Deadline deadline) {
        return StatisticsClient.fetch(call, basePath, asOf, deadline);
    }

    private static String urlSegment(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public Future<Void> close() {
        return client.close();
    }
}
