package uk.wycps.mock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import uk.wycps.record.SearchCriteria;
import uk.wycps.connector.AuditCheckpoint;
import uk.wycps.connector.HistoryDelivery;
import uk.wycps.connector.canonicaljson.CanonicalJsonConnector;
import uk.wycps.record.CanonicalFields;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.EnquiryHistoryEntry;
import uk.wycps.record.FieldProjection;
import uk.wycps.record.RecordJson;

/**
 * The HTTP server of one mock register, in its dialect ({@link MockDialects}: the
 * {@code canonical-json} routes here, the others in {@link MappedJsonRoutes} and
 * {@link FhirRoutes}), with the admin fault API of API.md and the audit checkpoints on every
 * dialect. Faults apply to the dialect's routes and checkpoints, never to {@code /admin}.
 */
final class RegisterVerticle extends VerticleBase {

    static final int BODY_LIMIT = 64 * 1024;
    static final int IDLE_TIMEOUT_SECONDS = 120;
    /** The pace of the {@code drip} fault. */
    static final long DRIP_INTERVAL_MS = 20;

    private static final String JSON = "application/json";
    private static final String FAULT_KEY = "mock.fault";
    private static final ObjectReader QUERY_READER = RecordJson.mapper().readerFor(SearchQuery.class);
    private static final ObjectReader ENTRY_READER = RecordJson.mapper().readerFor(EnquiryHistoryEntry.class);
    private static final ObjectReader BATCH_READER = RecordJson.mapper().readerFor(HistoryBatch.class);

    /** {@code POST /enquiries}: up to {@link CanonicalJsonConnector#MAX_BATCH} entries at once. */
    record HistoryBatch(List<HistoryDelivery> entries) {
    }
    private static final ObjectReader CHECKPOINT_READER = RecordJson.mapper().readerFor(AuditCheckpoint.class);
    private static final ObjectWriter CHECKPOINTS_WRITER = RecordJson.mapper().writer();
    private static final ObjectWriter STATISTICS_WRITER = RecordJson.mapper().writerFor(
            uk.wycps.connector.statistics.RegisterStatistics.class);
    private static final ObjectWriter ANSWER_WRITER = RecordJson.mapper().writerFor(SearchAnswer.class);

    /** What a register is asked: who, and which canonical fields it may send back (A5). */
    public record SearchQuery(SearchCriteria criteria, Set<String> fields) {
    }

    /** What it answers. */
    public record SearchAnswer(List<ChildRecord> records) {
    }

    private final MockRegister register;
    private final String host;
    private final int requestedPort;
    private volatile int actualPort;

    RegisterVerticle(MockRegister register, String host, int port) {
        this.register = register;
        this.host = host;
        this.requestedPort = port;
    }

    int actualPort() {
        return actualPort;
    }

    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
        router.get("/admin/faults").handler(this::getFaults);
        router.put("/admin/faults").handler(this::putFaults);
        router.delete("/admin/faults").handler(this::deleteFaults);
        switch (register.dialect()) {
            case MockDialects.CANONICAL_JSON -> {
                router.route("/search").handler(this::injectFaults);
                router.route("/records/*").handler(this::injectFaults);
                router.route("/enquiries").handler(this::injectFaults);
                router.post("/search").handler(this::search);
                router.post("/enquiries").handler(this::recordEnquiries);
                router.put("/records/:recordId/enquiries/:entryId").handler(this::recordEnquiry);
            }
            case MockDialects.MAPPED_JSON -> new MappedJsonRoutes(this, register, MappedJsonRoutes.Style.CALDERDALE).mount(router);
            case MockDialects.LEGACY -> new MappedJsonRoutes(this, register, MappedJsonRoutes.Style.WAKEFIELD).mount(router);
            case MockDialects.FHIR -> new FhirRoutes(this, register).mount(router);
            case MockDialects.SQL -> {
                // Searched over JDBC on the register's own H2 port (SqlRegister); here only admin and checkpoints.
            }
            default -> throw new IllegalStateException("no mock routes for dialect " + register.dialect());
        }
        router.route("/audit-checkpoints*").handler(this::injectFaults);
        router.put("/audit-checkpoints/:index").handler(this::keepCheckpoint);
        router.get("/audit-checkpoints").handler(this::listCheckpoints);
        router.route("/statistics").handler(this::injectFaults);
        router.get("/statistics").handler(this::statistics);
        router.errorHandler(400, ctx -> error(ctx, 400, "invalid-request", "the request could not be read", null));
        router.errorHandler(404, ctx -> error(ctx, 404, "not-found", "no such resource", null));
        router.errorHandler(405, ctx -> error(ctx, 405, "method-not-allowed", "method not allowed here", null));
        router.errorHandler(413, ctx -> error(ctx, 413, "too-large", "the body is larger than " + BODY_LIMIT + " bytes", null));
        router.errorHandler(500, ctx -> error(ctx, 500, "internal-error", "the register failed", null));

        HttpServerOptions options = new HttpServerOptions()
                .setIdleTimeout(IDLE_TIMEOUT_SECONDS)
                .setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setMaxHeaderSize(8 * 1024)
                .setMaxInitialLineLength(4096);
        HttpServer server = vertx.createHttpServer(options).requestHandler(router);
        return server.listen(requestedPort, host).onSuccess(s -> actualPort = s.actualPort());
    }

    // ---- admin --------------------------------------------------------------------------------

    private void getFaults(RoutingContext ctx) {
        json(ctx.response(), 200, register.faults().toJson().toBuffer());
    }

    private void putFaults(RoutingContext ctx) {
        JsonObject body;
        try {
            Buffer b = ctx.body().buffer();
            body = b == null ? null : new JsonObject(b);
        } catch (DecodeException | ClassCastException e) {
            body = null;
        }
        if (body == null) {
            error(ctx, 400, "invalid-faults", "the body must be a JSON object", null);
            return;
        }
        try {
            FaultSettings settings = FaultSettings.fromJson(body);
            register.setFaults(settings);
            json(ctx.response(), 200, settings.toJson().toBuffer());
        } catch (FaultSettings.InvalidFaultsException e) {
            error(ctx, 400, "invalid-faults", e.getMessage(), e.field());
        }
    }

    private void deleteFaults(RoutingContext ctx) {
        register.clearFaults();
        json(ctx.response(), 200, FaultSettings.NONE.toJson().toBuffer());
    }

    // ---- faults -------------------------------------------------------------------------------

    /** Delays, fails or breaks the exchange as the current settings say; otherwise passes it on. */
    void injectFaults(RoutingContext ctx) {
        FaultSettings f = register.faults();
        ctx.put(FAULT_KEY, f.mode());
        long delay = f.latencyMs() + (f.jitterMs() > 0 ? ThreadLocalRandom.current().nextLong(f.jitterMs() + 1) : 0);
        if (delay > 0) {
            vertx.setTimer(delay, id -> afterDelay(ctx, f));
        } else {
            afterDelay(ctx, f);
        }
    }

    private void afterDelay(RoutingContext ctx, FaultSettings f) {
        if (ctx.response().closed()) {
            return;
        }
        if (f.errorRate() > 0 && ThreadLocalRandom.current().nextDouble() < f.errorRate()) {
            error(ctx, 500, "injected-fault", "error injected by the mock register", null);
            return;
        }
        switch (f.mode()) {
            case HANG -> {
                // Accept and never answer: the client's deadline, or the idle timeout, ends it.
            }
            case RESET -> ctx.request().connection().close();
            case ERROR -> error(ctx, 500, "injected-fault", "error injected by the mock register", null);
            default -> ctx.next();
        }
    }

    /** Sends a successful answer, broken the way the current fault mode says. */
    void answer(RoutingContext ctx, int status, Buffer body) {
        answer(ctx, status, body, JSON);
    }

    /** Sends a successful answer of {@code contentType}, broken the way the current fault mode says. */
    void answer(RoutingContext ctx, int status, Buffer body, String contentType) {
        FaultMode mode = ctx.get(FAULT_KEY);
        HttpServerResponse response = ctx.response();
        switch (mode == null ? FaultMode.NONE : mode) {
            case MALFORMED -> send(response, 200, body.getBuffer(0, Math.max(1, body.length() / 2)), contentType);
            case WRONG_CONTENT_TYPE -> response.setStatusCode(status)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8").end(body);
            case DRIP -> drip(response, status, body, contentType);
            default -> send(response, status, body, contentType);
        }
    }

    private void drip(HttpServerResponse response, int status, Buffer body, String contentType) {
        response.setStatusCode(status).setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, contentType);
        int[] next = {0};
        long timer = vertx.setPeriodic(0, DRIP_INTERVAL_MS, id -> {
            if (response.closed() || response.ended()) {
                vertx.cancelTimer(id);
            } else if (next[0] >= body.length()) {
                vertx.cancelTimer(id);
                response.end();
            } else {
                response.write(body.getBuffer(next[0], next[0] + 1));
                next[0]++;
            }
        });
        response.closeHandler(v -> vertx.cancelTimer(timer));
    }

    // ---- the dialect --------------------------------------------------------------------------

    private void search(RoutingContext ctx) {
        SearchQuery query;
        try {
            Buffer b = ctx.body().buffer();
            if (b == null || b.length() == 0) {
                error(ctx, 400, "invalid-query", "the body must be a search query", null);
                return;
            }
            query = QUERY_READER.readValue(b.getBytes());
        } catch (IOException | RuntimeException e) {
            error(ctx, 400, "invalid-query", "the body is not a valid search query", null);
            return;
        }
        if (query == null || query.criteria() == null) {
            error(ctx, 400, "invalid-query", "criteria are required", "criteria");
            return;
        }
        if (query.fields() == null) {
            error(ctx, 400, "invalid-query", "fields are required: the register sends only what is asked for", "fields");
            return;
        }
        for (String f : query.fields()) {
            if (f == null || !CanonicalFields.all().contains(f)) {
                error(ctx, 400, "invalid-query", "unknown field", "fields");
                return;
            }
        }
        if (query.criteria().familyName().isBlank()) {
            error(ctx, 400, "invalid-query", "familyName must not be blank", "criteria.familyName");
            return;
        }
        // recordId always goes back: without it a record can be neither linked nor audited.
        Set<String> fields = new java.util.HashSet<>(query.fields());
        fields.add(CanonicalFields.RECORD_ID);
        SearchCriteria criteria = query.criteria();
        if (register.population().childrenPerRegister() > SyntheticPopulation.MATERIALISE_LIMIT) {
            // A large register regenerates its candidates: that is work for a worker thread.
            vertx.executeBlocking(() -> searchAnswer(criteria, fields), false).onComplete(ar -> {
                if (ar.succeeded()) {
                    answer(ctx, 200, ar.result());
                } else {
                    error(ctx, 500, "internal-error", "the search failed", null);
                }
            });
            return;
        }
        try {
            answer(ctx, 200, searchAnswer(criteria, fields));
        } catch (JsonProcessingException e) {
            error(ctx, 500, "internal-error", "the answer could not be written", null);
        }
    }

    /**
     * Answers with the body {@code work} produces: on a worker for a large register (its
     * candidates are regenerated), inline otherwise; 500 if it fails.
     */
    void respond(RoutingContext ctx, java.util.concurrent.Callable<Buffer> work, String contentType) {
        if (register.population().childrenPerRegister() > SyntheticPopulation.MATERIALISE_LIMIT) {
            vertx.executeBlocking(work, false).onComplete(ar -> {
                if (ar.succeeded()) {
                    answer(ctx, 200, ar.result(), contentType);
                } else {
                    error(ctx, 500, "internal-error", "the search failed", null);
                }
            });
            return;
        }
        try {
            answer(ctx, 200, work.call(), contentType);
        } catch (Exception e) {
            error(ctx, 500, "internal-error", "the answer could not be written", null);
        }
    }

    private Buffer searchAnswer(SearchCriteria criteria, Set<String> fields) throws JsonProcessingException {
        List<ChildRecord> found = register.search(criteria);
        List<ChildRecord> projected = found.stream().map(r -> FieldProjection.project(r, fields)).toList();
        return Buffer.buffer(ANSWER_WRITER.writeValueAsBytes(new SearchAnswer(projected)));
    }

    /** Keeps a signed head of the gateway's audit chain (H2); 409 if the index holds another. */
    private void keepCheckpoint(RoutingContext ctx) {
        AuditCheckpoint checkpoint = readBody(ctx, CHECKPOINT_READER);
        if (checkpoint == null || checkpoint.head() == null || checkpoint.signature() == null
                || !ctx.pathParam("index").equals(Long.toString(checkpoint.index()))) {
            error(ctx, 400, "invalid-checkpoint", "the body is not the checkpoint of this index", null);
            return;
        }
        try {
            answer(ctx, register.addCheckpoint(checkpoint) ? 201 : 200, Buffer.buffer("{}"));
        } catch (IllegalStateException e) {
            error(ctx, 409, "checkpoint-conflict", "a different checkpoint is kept for this index", "index");
        }
    }

    /**
     * {@code GET /statistics?asOf=yyyy-MM-dd}: this register's own aggregate counts (S1), the
     * same endpoint whatever the register's dialect. Computed on a worker: a large register takes
     * a while.
     */
    private void statistics(RoutingContext ctx) {
        LocalDate asOf;
        try {
            asOf = LocalDate.parse(ctx.request().getParam("asOf", ""));
        } catch (java.time.format.DateTimeParseException e) {
            error(ctx, 400, "invalid-request", "asOf must be a date like 2026-01-01", "asOf");
            return;
        }
        vertx.executeBlocking(() -> STATISTICS_WRITER.writeValueAsBytes(register.statistics(asOf)), false)
                .onSuccess(bytes -> answer(ctx, 200, Buffer.buffer(bytes)))
                .onFailure(e -> error(ctx, 500, "internal-error", "the register failed", null));
    }

    private void listCheckpoints(RoutingContext ctx) {
        try {
            answer(ctx, 200, Buffer.buffer(CHECKPOINTS_WRITER.writeValueAsBytes(register.auditCheckpoints())));
        } catch (IOException e) {
            error(ctx, 500, "internal-error", "the register failed", null);
        }
    }

    /** The body read by {@code reader}, or null when it is missing or not that (the caller says 400). */
    static <T> T readBody(RoutingContext ctx, ObjectReader reader) {
        Buffer b = ctx.body().buffer();
        if (b == null || b.length() == 0) {
            return null;
        }
        try {
            return reader.readValue(b.getBytes());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** An enquiry-history entry id a register keeps: 1 to 128 characters, not all blank. */
    static boolean validEntryId(String entryId) {
        return entryId != null && !entryId.isBlank() && entryId.length() <= 128;
    }

    /**
     * Records a batch of entries: all or none are taken (a bad entry or a record this register
     * does not hold refuses the whole batch), each idempotently on its entry id.
     */
    private void recordEnquiries(RoutingContext ctx) {
        HistoryBatch batch = readBody(ctx, BATCH_READER);
        if (batch == null || batch.entries() == null || batch.entries().isEmpty()
                || batch.entries().size() > CanonicalJsonConnector.MAX_BATCH) {
            error(ctx, 400, "invalid-entries", "the body must hold 1 to " + CanonicalJsonConnector.MAX_BATCH
                    + " entries, each a recordId and an enquiry-history entry", "entries");
            return;
        }
        for (int i = 0; i < batch.entries().size(); i++) {
            HistoryDelivery d = batch.entries().get(i);
            if (!validEntryId(d.entry().entryId())) {
                error(ctx, 400, "invalid-entry", "entryId must be 1 to 128 characters", "entries[" + i + "].entry.entryId");
                return;
            }
            if (!register.holds(d.recordId())) {
                error(ctx, 404, "unknown-record", "this register holds no such record", "entries[" + i + "].recordId");
                return;
            }
        }
        int stored = 0;
        for (HistoryDelivery d : batch.entries()) {
            register.countEnquiryDelivery();
            stored += register.addEnquiry(d.recordId(), d.entry()) ? 1 : 0;
        }
        answer(ctx, 200, new JsonObject().put("recorded", stored).toBuffer());
    }

    private void recordEnquiry(RoutingContext ctx) {
        register.countEnquiryDelivery();
        String recordId = ctx.pathParam("recordId");
        String entryId = ctx.pathParam("entryId");
        if (!validEntryId(entryId)) {
            error(ctx, 400, "invalid-entry", "entryId must be 1 to 128 characters", "entryId");
            return;
        }
        if (!register.holds(recordId)) {
            error(ctx, 404, "unknown-record", "this register holds no such record", "recordId");
            return;
        }
        EnquiryHistoryEntry entry = readBody(ctx, ENTRY_READER);
        if (entry == null) {
            error(ctx, 400, "invalid-entry", "the body is not a valid enquiry-history entry", null);
            return;
        }
        if (entry.entryId() != null && !entry.entryId().equals(entryId)) {
            error(ctx, 400, "invalid-entry", "entryId in the body differs from the path", "entryId");
            return;
        }
        if (entry.entryId() == null) {
            entry = new EnquiryHistoryEntry(entryId, entry.enquiryId(), entry.at(), entry.subject(), entry.role(),
                    entry.agency(), entry.authority(), entry.purpose(), entry.consentBasis());
        }
        boolean stored = register.addEnquiry(recordId, entry);
        answer(ctx, stored ? 201 : 200, Buffer.buffer("{}"));
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static void json(HttpServerResponse response, int status, Buffer body) {
        send(response, status, body, JSON);
    }

    private static void send(HttpServerResponse response, int status, Buffer body, String contentType) {
        if (!response.ended() && !response.closed()) {
            response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, contentType).end(body);
        }
    }

    /** The API.md error shape (an OperationOutcome for a FHIR register); never a stack trace. */
    static void error(RoutingContext ctx, int status, String code, String message, String field) {
        if (ctx.get(FhirRoutes.FHIR_ERRORS) != null) {
            // A FHIR server's every error is an OperationOutcome, with a code of R4's IssueType.
            FhirRoutes.operationOutcome(ctx, status, switch (status) {
                case 404 -> "not-found";
                case 405 -> "not-supported";
                case 409 -> "conflict";
                case 413 -> "too-long";
                case 429 -> "throttled";
                case 503 -> "transient";
                default -> status >= 500 ? "exception" : "invalid";
            }, message);
            return;
        }
        JsonObject body = new JsonObject().put("error", code).put("message", message);
        if (field != null) {
            body.put("field", field);
        }
        json(ctx.response(), status, body.toBuffer());
    }
}
