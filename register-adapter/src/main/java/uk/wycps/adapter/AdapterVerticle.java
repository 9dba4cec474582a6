package uk.wycps.adapter;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.wycps.connector.AuditCheckpoint;
import uk.wycps.connector.ConnectorRegistry;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.HistoryDelivery;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.RegisterFailure;
import uk.wycps.connector.SearchRequest;
import uk.wycps.connector.http.FileFingerprint;
import uk.wycps.connector.proof.AnswerSignature;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.EnquiryHistoryEntry;
import uk.wycps.record.FieldProjection;
import uk.wycps.record.RecordJson;
import uk.wycps.record.SearchCriteria;

/**
 * An authority's register adapter (issue 17): one connector of any dialect, loaded from the same
 * {@code connectors} code the gateway uses, served to the gateway as the canonical register
 * protocol (the {@code canonical-json} dialect: search, enquiry history one by one or in a
 * batch, audit checkpoints, statistics) over HTTPS that requires the gateway's client
 * certificate.
 *
 * <p>Two defences of the authority's own: nothing beyond its release ceiling ever leaves,
 * whatever the gateway asks (the request's fields are cut to it, and every record is cut again
 * after the register answers); and every answer (search, enquiry history, checkpoint, statistics)
 * is signed over the digests of the request and of the body, so that the gateway can tell it
 * came unchanged from this adapter and its audit can later prove what this register said.
 */
public final class AdapterVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(AdapterVerticle.class);
    private static final int BODY_LIMIT = 256 * 1024;

    private static final ObjectReader QUERY_READER = RecordJson.mapper().readerFor(SearchQuery.class);
    private static final ObjectReader ENTRY_READER = RecordJson.mapper().readerFor(EnquiryHistoryEntry.class);
    private static final ObjectReader BATCH_READER = RecordJson.mapper().readerFor(HistoryBatch.class);
    private static final ObjectReader CHECKPOINT_READER = RecordJson.mapper().readerFor(AuditCheckpoint.class);
    private static final ObjectWriter ANSWER_WRITER = RecordJson.mapper().writerFor(SearchAnswer.class);
    private static final ObjectWriter JSON_WRITER = RecordJson.mapper().writer();

    /** What the gateway sends to search. */
    record SearchQuery(SearchCriteria criteria, Set<String> fields) {
    }

    /** What the adapter answers. */
    record SearchAnswer(List<ChildRecord> records) {
    }

    /** Entries recorded in one exchange. */
    record HistoryBatch(List<HistoryDelivery> entries) {
    }

    private final AdapterConfig config;
    private final PrivateKey signingKey;
    private final AtomicInteger boundPort;
    private RegisterConnector connector;
    private HttpServer server;
    private long tlsWatch = -1;
    /** The open client connections, to close those a changed client CA no longer accepts. */
    private final Set<HttpConnection> open = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** {@code boundPort} receives the port listened on (useful with port 0). */
    public AdapterVerticle(AdapterConfig config, AtomicInteger boundPort) {
        this(config, null, boundPort);
    }

    /**
     * An adapter in front of a connector already made (the dialect contract tests run through
     * it); {@code null} makes one from {@code config.register()}, as a deployment does.
     */
    public AdapterVerticle(AdapterConfig config, RegisterConnector connector, AtomicInteger boundPort) {
        this.config = config;
        this.signingKey = AnswerSignature.privateKey(config.signingKeyPem());
        this.boundPort = boundPort;
        this.connector = connector;
    }

    @Override
    public Future<?> start() {
        if (connector == null) {
            connector = ConnectorRegistry.load().create(vertx, config.register());
        }
        Router router = Router.router(vertx);
        router.route().handler(this::checkClient);
        router.route().handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
        router.post("/search").handler(this::search);
        router.put("/records/:recordId/enquiries/:entryId").handler(this::recordEnquiry);
        router.post("/enquiries").handler(this::recordEnquiries);
        router.put("/audit-checkpoints/:index").handler(this::publishCheckpoint);
        router.get("/statistics").handler(this::statistics);
        router.route().failureHandler(this::failure);
        HttpServerOptions options = new HttpServerOptions().setHost(config.host()).setPort(config.port())
                .setIdleTimeout(30).setMaxHeaderSize(8 * 1024).setCompressionSupported(false);
        if (config.tls() != null) {
            options.setSsl(true).setClientAuth(ClientAuth.REQUIRED)
                    .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"))
                    .setKeyCertOptions(keyCert()).setTrustOptions(clientCa());
        }
        server = vertx.createHttpServer(options).requestHandler(router);
        if (config.tls() != null) {
            server.connectionHandler(c -> {
                open.add(c);
                c.closeHandler(v -> open.remove(c));
            });
        }
        return server.listen().onSuccess(s -> {
            boundPort.compareAndSet(0, s.actualPort());
            if (config.tls() != null) {
                tlsWatch = watchCertificates();
            }
            LOG.info("register adapter listening: authority={}, dialect={}, port={}, tls={}", config.authority(),
                    config.register().dialect(), s.actualPort(), config.tls() != null);
        });
    }

    @Override
    public Future<?> stop() {
        if (tlsWatch >= 0) {
            vertx.cancelTimer(tlsWatch);
        }
        return connector == null ? Future.succeededFuture() : connector.close();
    }

    private PemKeyCertOptions keyCert() {
        return new PemKeyCertOptions().setCertPath(config.tls().certFile()).setKeyPath(config.tls().keyFile());
    }

    private PemTrustOptions clientCa() {
        return new PemTrustOptions().addCertPath(config.tls().clientCaFile());
    }

    /**
     * Re-reads the certificate, key and client CA when a file changes (rotation without a
     * restart): new connections get them. A connection already open whose client certificate
     * the new client CA no longer accepts (its CA removed: revoked, or rotated out) is closed
     * first, so that a withdrawn certificate does not live on in a kept-alive connection; the
     * gateway reconnects with the certificate it holds now. Connections still trusted stay.
     */
    private long watchCertificates() {
        List<String> files = List.of(config.tls().certFile(), config.tls().keyFile(), config.tls().clientCaFile());
        String[] seen = {null};
        FileFingerprint.of(vertx, files).onSuccess(f -> seen[0] = f);
        long period = config.tls().reloadCheckMs();
        return vertx.setPeriodic(period, period, id -> FileFingerprint.of(vertx, files).onSuccess(now -> {
            if (seen[0] != null && !seen[0].equals(now)) {
                reload();
            }
            seen[0] = now;
        }));
    }

    private void reload() {
        vertx.fileSystem().readFile(config.tls().clientCaFile()).map(pem -> ClientTrust.of(pem.getBytes()))
                .onFailure(e -> LOG.warn("register adapter could not read its client CA: authority={}, reason={}",
                        config.authority(), e.getClass().getSimpleName()))
                .onSuccess(this::closeUntrusted)
                .transform(read -> server.updateSSLOptions(new ServerSSLOptions().setClientAuth(ClientAuth.REQUIRED)
                        .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"))
                        .setKeyCertOptions(keyCert()).setTrustOptions(clientCa()), true)
                        .onComplete(updated -> {
                            LOG.info("register adapter certificates reloaded: authority={}, ok={}", config.authority(),
                                    updated.succeeded());
                            // Again: a connection may have been accepted under the old CA while the file was read.
                            if (read.succeeded()) {
                                closeUntrusted(read.result());
                            }
                        }));
    }

    private void closeUntrusted(ClientTrust trust) {
        int closed = 0;
        for (HttpConnection c : List.copyOf(open)) {
            if (!trust.accepts(c)) {
                c.close();
                closed++;
            }
        }
        if (closed > 0) {
            LOG.info("register adapter closed connections its client CA no longer accepts: authority={}, connections={}",
                    config.authority(), closed);
        }
    }

    /** Under TLS the chain was checked in the handshake; a pinned subject is checked here. */
    private void checkClient(RoutingContext ctx) {
        String pinned = config.tls() == null ? null : config.tls().clientSubject();
        if (pinned != null) {
            String subject;
            try {
                subject = ((X509Certificate) ctx.request().connection().peerCertificates().get(0))
                        .getSubjectX500Principal().getName();
            } catch (Exception e) {
                subject = null;
            }
            if (!pinned.equals(subject)) {
                LOG.warn("register adapter refused a client: authority={}, reason=subject not the pinned one",
                        config.authority());
                error(ctx, 403, "client-not-allowed", "this client certificate is not the gateway's");
                return;
            }
        }
        ctx.next();
    }

    private Deadline deadline() {
        return Deadline.afterMillis(config.register().deadline().toMillis());
    }

    private void search(RoutingContext ctx) {
        SearchQuery query;
        try {
            query = QUERY_READER.readValue(ctx.body().buffer().getBytes());
        } catch (Exception e) {
            error(ctx, 400, "invalid-request", "not a search query");
            return;
        }
        if (query == null || query.criteria() == null || query.fields() == null) {
            error(ctx, 400, "invalid-request", "a search query needs criteria and fields");
            return;
        }
        // The ceiling first: the register is never asked for what this authority does not release.
        Set<String> fields = new HashSet<>(query.fields());
        fields.retainAll(config.release());
        Set<String> asked = Set.copyOf(fields);
        // Every record goes with its id, whatever else is asked (the gateway links and notifies by it).
        fields.add(uk.wycps.record.CanonicalFields.RECORD_ID);
        // The gateway's enquiry id does not cross (no caller detail is passed on): the adapter's own.
        connector.search(new SearchRequest(query.criteria(), asked, deadline(),
                        java.util.UUID.randomUUID().toString()))
                .map(records -> {
                    List<ChildRecord> cut = new ArrayList<>(records.size());
                    // ...and again on the way out, whatever the connector returned.
                    records.forEach(r -> cut.add(FieldProjection.project(r, fields)));
                    return cut;
                })
                .onSuccess(records -> {
                    Buffer body;
                    try {
                        body = Buffer.buffer(ANSWER_WRITER.writeValueAsBytes(new SearchAnswer(records)));
                    } catch (Exception e) {
                        error(ctx, 500, "internal-error", "the answer could not be written");
                        return;
                    }
                    signed(ctx, body);
                })
                .onFailure(e -> failed(ctx, e));
    }

    /**
     * Answers {@code body}, signed over the digests of the request as received (method, path
     * with query, the gateway's nonce, body) and of {@code body}: every successful answer,
     * search, write or statistics, so that none can be changed, or replayed for another request
     * (the nonce is fresh for each), unnoticed.
     */
    private void signed(RoutingContext ctx, Buffer body) {
        Buffer request = ctx.body() == null ? null : ctx.body().buffer();
        String requestDigest = AnswerSignature.requestDigest(ctx.request().method().name(), ctx.request().uri(),
                ctx.request().getHeader(AnswerSignature.NONCE_HEADER), request == null ? null : request.getBytes());
        String signature = AnswerSignature.sign(signingKey, new AnswerSignature.Claims(config.authority(),
                requestDigest, AnswerSignature.bodyDigest(body.getBytes()), System.currentTimeMillis() / 1000));
        ctx.response().putHeader("Content-Type", "application/json").putHeader(AnswerSignature.HEADER, signature)
                .end(body);
    }

    private void recordEnquiry(RoutingContext ctx) {
        EnquiryHistoryEntry entry;
        try {
            entry = ENTRY_READER.readValue(ctx.body().buffer().getBytes());
        } catch (Exception e) {
            error(ctx, 400, "invalid-request", "not an enquiry-history entry");
            return;
        }
        if (entry == null || !ctx.pathParam("entryId").equals(entry.entryId())) {
            error(ctx, 400, "invalid-request", "the entry id does not match the path");
            return;
        }
        connector.recordEnquiry(ctx.pathParam("recordId"), entry, deadline())
                .onSuccess(v -> ok(ctx)).onFailure(e -> failed(ctx, e));
    }

    private void recordEnquiries(RoutingContext ctx) {
        HistoryBatch batch;
        try {
            batch = BATCH_READER.readValue(ctx.body().buffer().getBytes());
        } catch (Exception e) {
            error(ctx, 400, "invalid-request", "not a batch of enquiry-history entries");
            return;
        }
        if (batch == null || batch.entries() == null || batch.entries().size() > 100) {
            error(ctx, 400, "invalid-request", "a batch holds 1 to 100 entries");
            return;
        }
        connector.recordEnquiries(batch.entries(), deadline()).onSuccess(v -> ok(ctx)).onFailure(e -> failed(ctx, e));
    }

    private void publishCheckpoint(RoutingContext ctx) {
        AuditCheckpoint checkpoint;
        try {
            checkpoint = CHECKPOINT_READER.readValue(ctx.body().buffer().getBytes());
        } catch (Exception e) {
            error(ctx, 400, "invalid-request", "not an audit checkpoint");
            return;
        }
        if (checkpoint == null || !ctx.pathParam("index").equals(Long.toString(checkpoint.index()))) {
            error(ctx, 400, "invalid-request", "the index does not match the path");
            return;
        }
        connector.publishCheckpoint(checkpoint, deadline()).onSuccess(v -> ok(ctx)).onFailure(e -> failed(ctx, e));
    }

    private void statistics(RoutingContext ctx) {
        LocalDate asOf;
        try {
            asOf = LocalDate.parse(ctx.request().getParam("asOf", ""));
        } catch (DateTimeParseException e) {
            error(ctx, 400, "invalid-request", "asOf must be a date");
            return;
        }
        connector.statistics(asOf, deadline()).onSuccess(stats -> {
            Buffer body;
            try {
                body = Buffer.buffer(JSON_WRITER.writeValueAsBytes(stats));
            } catch (Exception e) {
                error(ctx, 500, "internal-error", "the statistics could not be written");
                return;
            }
            signed(ctx, body);
        }).onFailure(e -> failed(ctx, e));
    }

    /** Whatever went wrong, a JSON error and no detail; a fault of the adapter itself is logged. */
    private void failure(RoutingContext ctx) {
        int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
        if (status >= 500) {
            LOG.error("register adapter failed: authority={}, path={}", config.authority(), ctx.normalizedPath(),
                    ctx.failure());
        }
        error(ctx, status, status == 413 ? "too-large" : status >= 500 ? "internal-error" : "invalid-request",
                status >= 500 ? "the adapter failed" : "the request could not be served");
    }

    /** A write done: {@code {}}, signed as every answer. */
    private void ok(RoutingContext ctx) {
        signed(ctx, Buffer.buffer("{}"));
    }

    /**
     * The register could not be asked: say so with the status the gateway reads as "not
     * checked" for that reason. Only the connector's short reason (never register contents).
     */
    private void failed(RoutingContext ctx, Throwable e) {
        if (!(e instanceof RegisterFailure f)) {
            LOG.error("register adapter failed: authority={}", config.authority(), e);
            error(ctx, 500, "internal-error", "the adapter failed");
            return;
        }
        int status = switch (f.kind()) {
            case TIMEOUT -> 504;
            case UNAVAILABLE -> 503;
            case REJECTED -> 429;
            default -> 502;
        };
        LOG.info("register not checked behind the adapter: authority={}, kind={}, reason={}", config.authority(),
                f.kind(), f.getMessage());
        error(ctx, status, "register-failed", "the register could not be checked: " + f.kind());
    }

    private static void error(RoutingContext ctx, int status, String code, String message) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(new io.vertx.core.json.JsonObject().put("error", code).put("message", message).encode());
    }
}
