package uk.wycps.connector.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.LocalDate;
import java.util.Map;
import uk.wycps.connector.AuditCheckpoint;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.RegisterFailure;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.connector.statistics.RegisterStatistics;
import uk.wycps.connector.statistics.StatisticsClient;
import uk.wycps.record.RecordJson;

/**
 * The base of every dialect spoken over HTTP: one register's client (pool sized from the
 * settings, no redirects), every exchange bounded in time and size by {@link BoundedHttpCall},
 * paths below the base URL's path, the statistics exchange all HTTP dialects share, and
 * {@link #close()}. A dialect adds only what is its own: how it asks and how it reads the answer.
 */
public abstract class HttpDialectConnector implements RegisterConnector {

    /** The JSON content type most registers answer with. */
    protected static final String JSON = "application/json";

    private static final ObjectWriter CHECKPOINT_WRITER = RecordJson.mapper().writerFor(AuditCheckpoint.class);

    protected final RegisterSettings settings;
    private final HttpClientAgent client;
    private final BoundedHttpCall call;
    private final String basePath;
    private final Vertx vertx;
    /** The timer that looks for renewed certificates, or -1. */
    private final long tlsWatch;

    protected HttpDialectConnector(Vertx vertx, RegisterSettings settings) {
        this.settings = settings;
        this.client = RegisterHttpClients.create(vertx, settings);
        this.call = new BoundedHttpCall(vertx, client, settings.maxResponseBytes());
        this.basePath = RegisterHttpClients.basePath(settings);
        RegisterTls.Files tls = RegisterTls.of(settings);
        this.vertx = vertx;
        this.tlsWatch = tls == null ? -1 : RegisterTls.watch(vertx, client, tls,
                settings.options().getJsonObject("tls").getLong("reloadCheckMs", RegisterTls.DEFAULT_RELOAD_CHECK_MS));
    }

    @Override
    public final String authority() {
        return settings.authority();
    }

    /** A request for {@code path} (with any query) below the register's base path. */
    protected final RequestOptions request(HttpMethod method, String path) {
        return new RequestOptions().setMethod(method).setURI(basePath + path);
    }

    /** One bounded read of the register's answer: {@link BoundedHttpCall#read}, 200 only. */
    protected final Future<Buffer> read(RequestOptions options, Buffer body, Deadline deadline, String contentType) {
        return call.read(options, body, deadline, contentType);
    }

    /** As {@link #read}, keeping the answer's signature header for the dialect to check. */
    protected final Future<BoundedHttpCall.Signed> signedRead(RequestOptions options, Buffer body, Deadline deadline,
            String contentType) {
        return call.signedRead(options, body, deadline, contentType);
    }

    /**
     * Sends a body of {@code bodyType}; success is any 2xx, with or without a body, whatever its
     * content type (what a FHIR server answers a write with varies).
     */
    protected final Future<Void> write(RequestOptions options, Buffer body, String bodyType, Deadline deadline) {
        return call.write(options, body, bodyType, deadline);
    }

    /** Sends {@code value} as JSON written by {@code writer}; only the answer's status matters. */
    protected final Future<Void> send(HttpMethod method, String path, ObjectWriter writer, Object value,
            Deadline deadline, String contentType) {
        Buffer body;
        try {
            body = Buffer.buffer(writer.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            return Future.failedFuture(RegisterFailure.error("could not encode the request"));
        }
        RequestOptions options = request(method, path);
        if (!checksAnswers()) {
            return call.exchange(options, body, deadline, contentType).mapEmpty();
        }
        return call.signedExchange(options, body, deadline, contentType).map(signed -> {
            checkAnswer(options, body, signed);
            return null;
        });
    }

    /**
     * Whether this register signs every answer, so that {@link #checkAnswer} must accept each
     * (writes and statistics as well as searches); false for the dialects that do not sign.
     */
    protected boolean checksAnswers() {
        return false;
    }

    /**
     * Checks the signature of the answer to {@code options} with {@code requestBody} (null for
     * none); throws a {@link RegisterFailure} when it cannot be trusted. Called only when
     * {@link #checksAnswers()}.
     */
    protected void checkAnswer(RequestOptions options, Buffer requestBody, BoundedHttpCall.Signed answer) {
        throw new IllegalStateException("a dialect that checks answers says how");
    }

    /** PUTs the canonical checkpoint to {@code template} with {@code {index}} filled in. */
    protected final Future<Void> putCheckpoint(String template, AuditCheckpoint checkpoint, Deadline deadline) {
        String path = HttpDialects.fill(template, Map.of("index", Long.toString(checkpoint.index())));
        return send(HttpMethod.PUT, path, CHECKPOINT_WRITER, checkpoint, deadline, JSON);
    }

    /** {@code GET {base}/statistics?asOf=}, the same for every HTTP dialect. */
    @Override
    public final Future<RegisterStatistics> statistics(LocalDate asOf, Deadline deadline) {
        return StatisticsClient.fetch(call, basePath, asOf, deadline,
                checksAnswers() ? (options, signed) -> checkAnswer(options, null, signed) : null);
    }

    @Override
    public final Future<Void> close() {
        if (tlsWatch >= 0) {
            vertx.cancelTimer(tlsWatch);
        }
        return client.close();
    }
}
