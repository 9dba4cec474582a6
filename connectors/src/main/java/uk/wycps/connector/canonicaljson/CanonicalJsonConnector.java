package uk.wycps.connector.canonicaljson;

import io.vertx.core.http.RequestOptions;
import java.security.PublicKey;
import uk.wycps.connector.RegisterAnswer;
import uk.wycps.connector.http.BoundedHttpCall;
import uk.wycps.connector.proof.AnswerProof;
import uk.wycps.connector.proof.AnswerSignature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.util.ArrayList;
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
import uk.wycps.record.FieldProjection;
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

    /**
     * The option holding the PEM public key that verifies the register's signed answers (set
     * from {@code registers[].answerKeyFile}); without it answers are taken unsigned.
     */
    public static final String ANSWER_KEY_OPTION = "answerKeyPem";

    /** Verifies the register's answers; null when it does not sign them. */
    private final PublicKey answerKey;

    public CanonicalJsonConnector(Vertx vertx, RegisterSettings settings) {
        super(vertx, settings);
        String pem = settings.options().getString(ANSWER_KEY_OPTION);
        this.answerKey = pem == null ? null : AnswerSignature.publicKey(pem);
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
        return searchAnswer(request).map(RegisterAnswer::records);
    }

    @Override
    public Future<RegisterAnswer> searchAnswer(SearchRequest request) {
        Buffer body;
        try {
            body = encode(request);
        } catch (JsonProcessingException e) {
            return Future.failedFuture(RegisterFailure.error("could not encode the query"));
        }
        Set<String> keep = RecordIds.withRecordId(request.fields());
        RequestOptions options = request(HttpMethod.POST, "/search");
        if (answerKey == null) {
            return read(options, body, request.deadline(), JSON)
                    .map(answer -> new RegisterAnswer(parse(answer, keep), null));
        }
        return signedRead(options, body, request.deadline(), JSON)
                .map(signed -> new RegisterAnswer(parse(signed.body(), keep), proof(signed, requestDigest(options, body))));
    }

    /**
     * The proof of a signed answer: the signature verifies with the register's key, names this
     * register, and covers exactly what was sent and what came back. Anything else is an answer
     * that cannot be trusted, so the register was not checked (ERROR, never "no record").
     */
    private AnswerProof proof(BoundedHttpCall.Signed signed, String requestDigest) {
        if (signed.signature() == null) {
            throw RegisterFailure.error("answer is not signed");
        }
        AnswerSignature.Claims claims;
        try {
            claims = AnswerSignature.verify(answerKey, signed.signature());
        } catch (AnswerSignature.InvalidSignature e) {
            throw RegisterFailure.error("answer signature does not verify");
        }
        String bodyDigest = AnswerSignature.bodyDigest(signed.body().getBytes());
        if (!authority().equals(claims.authority()) || !requestDigest.equals(claims.requestSha256())
                || !bodyDigest.equals(claims.bodySha256())) {
            throw RegisterFailure.error("answer signature does not cover this exchange");
        }
        return new AnswerProof(requestDigest, bodyDigest, signed.signature());
    }

    /**
     * A register that signs (a register adapter) signs each answer, not only searches: enquiry
     * history, checkpoints and statistics too. Those proofs are checked and not kept (the audit
     * keeps the search's, which is what the register said about a child): an answer that does
     * not verify means the write or the figures cannot be trusted to come from the register.
     */
    @Override
    protected boolean checksAnswers() {
        return answerKey != null;
    }

    @Override
    protected void checkAnswer(RequestOptions options, Buffer requestBody, BoundedHttpCall.Signed answer) {
        proof(answer, requestDigest(options, requestBody));
    }

    /** The digest of the request as sent: its method, path, nonce (set by the signed exchange) and body. */
    private static String requestDigest(RequestOptions options, Buffer body) {
        return AnswerSignature.requestDigest(options.getMethod().name(), options.getURI(),
                options.getHeaders() == null ? null : options.getHeaders().get(AnswerSignature.NONCE_HEADER),
                body == null ? null : body.getBytes());
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

    /**
     * The answer of a register that holds no candidate, byte for byte as registers write it.
     * Most registers of a national fan-out answer this; it is recognised without the parser
     * (issue 21). Any other spelling of an empty answer (spaces, other members) takes the strict
     * parser as before.
     */
    private static final byte[] EMPTY_ANSWER = "{\"records\":[]}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    static boolean isEmptyAnswer(Buffer body) {
        if (body.length() != EMPTY_ANSWER.length) {
            return false;
        }
        for (int i = 0; i < EMPTY_ANSWER.length; i++) {
            if (body.getByte(i) != EMPTY_ANSWER[i]) {
                return false;
            }
        }
        return true;
    }

    /** The answer's records, each holding at most {@code keep}: a register sending more is not passed on (A5). */
    private static List<ChildRecord> parse(Buffer body, Set<String> keep) {
        if (isEmptyAnswer(body)) {
            return List.of();
        }
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
        List<ChildRecord> out = new ArrayList<>(answer.records().size());
        for (ChildRecord r : answer.records()) {
            out.add(FieldProjection.project(RecordIds.require(r), keep));
        }
        return out;
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
    public boolean keepsCheckpoints() {
        return true;
    }

    @Override
    public Future<Void> publishCheckpoint(AuditCheckpoint checkpoint, Deadline deadline) {
        return putCheckpoint("/audit-checkpoints/{index}", checkpoint, deadline);
    }
}
