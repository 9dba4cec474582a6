package uk.wycps.gateway.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.gateway.Gateway;
import uk.wycps.gateway.audit.AuditSink;
import uk.wycps.gateway.config.DemoContacts;
import uk.wycps.gateway.config.GatewayConfig;
import uk.wycps.gateway.tracing.Telemetry;

/**
 * A real gateway on an ephemeral loopback port, trusting a {@link TestIssuer}, with a web client
 * to call it over real HTTP.
 */
public final class GatewayHarness {

    public final Vertx vertx;
    public final TestIssuer issuer;
    public final Gateway gateway;
    public final WebClient client;
    /** A client of the management listener ({@code /metrics}, {@code /health/ready}). */
    public final WebClient management;

    private GatewayHarness(Vertx vertx, TestIssuer issuer, Gateway gateway) {
        this.vertx = vertx;
        this.issuer = issuer;
        this.gateway = gateway;
        // Every answer a test receives is checked against the OpenAPI document (ContractCheck).
        this.client = ContractCheck.install(WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
                .setDefaultPort(gateway.port())));
        this.management = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
                .setDefaultPort(gateway.managementPort()));
    }

    /**
     * The settings every harness starts from: ephemeral ports, and no admission limits (the tests
     * of other things send bursts from one caller; AdmissionControlTest sets its own).
     */
    /**
     * The gateway's idle timeout in tests: its default. At 5 s, a first enquiry on a loaded
     * machine (cold classes, a first TLS handshake to a register adapter) could pass 5 s without
     * a byte and the gateway closed the test's connection mid-enquiry (HttpClosedException in
     * whichever RegisterAdapterTest ran first). Tests of the timeout itself set their own.
     */
    private static final int IDLE_SECONDS = GatewayConfig.Http.DEFAULT_IDLE_TIMEOUT_SECONDS;

    private static GatewayConfig forTests(GatewayConfig config) {
        return config.withManagement(new GatewayConfig.Management("127.0.0.1", 0)).withLimits(GatewayConfig.Limits.OFF);
    }

    public static Future<GatewayHarness> start(Vertx vertx, List<RegisterSettings> registers, AuditSink audit) {
        return start(vertx, registers, audit, UnaryOperator.identity());
    }

    /** As {@link #start(Vertx, List, AuditSink)}, tracing through {@code telemetry} (whose Vert.x {@code vertx} is). */
    public static Future<GatewayHarness> start(Vertx vertx, List<RegisterSettings> registers, AuditSink audit,
            Telemetry telemetry) {
        return start(vertx, new TestIssuer(vertx), registers, audit, UnaryOperator.identity(), telemetry);
    }

    /** A gateway whose test settings {@code adjust} changes (limits, TLS, auth). */
    public static Future<GatewayHarness> start(Vertx vertx, List<RegisterSettings> registers, AuditSink audit,
            UnaryOperator<GatewayConfig> adjust) {
        return start(vertx, new TestIssuer(vertx), registers, audit, adjust);
    }

    /** As above, trusting {@code issuer}. */
    public static Future<GatewayHarness> start(Vertx vertx, TestIssuer issuer, List<RegisterSettings> registers,
            AuditSink audit, UnaryOperator<GatewayConfig> adjust) {
        return start(vertx, issuer, registers, audit, adjust, Telemetry.off());
    }

    private static Future<GatewayHarness> start(Vertx vertx, TestIssuer issuer, List<RegisterSettings> registers,
            AuditSink audit, UnaryOperator<GatewayConfig> adjust, Telemetry telemetry) {
        Path outbox;
        try {
            outbox = Files.createTempDirectory("wycps-outbox");
        } catch (IOException e) {
            return Future.failedFuture(e);
        }
        GatewayConfig config = new GatewayConfig(new GatewayConfig.Http("127.0.0.1", 0,
                GatewayConfig.Http.DEFAULT_MAX_BODY_BYTES, IDLE_SECONDS), issuer.auth(), registers, GatewayConfig.Audit.in(outbox),
                null).withContacts(DemoContacts.all());
        GatewayConfig adjusted;
        try {
            adjusted = adjust.apply(forTests(config));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        return Gateway.start(vertx, adjusted, audit, outbox, telemetry).map(g -> new GatewayHarness(vertx, issuer, g));
    }

    /**
     * A gateway with the real file audit log, its outbox and its signing key in {@code auditDir}
     * (reuse the directory to restart "the same" gateway).
     */
    public static Future<GatewayHarness> startWithFileAudit(Vertx vertx, TestIssuer issuer, List<RegisterSettings> registers,
            Path auditDir) {
        GatewayConfig config = new GatewayConfig(new GatewayConfig.Http("127.0.0.1", 0,
                GatewayConfig.Http.DEFAULT_MAX_BODY_BYTES, IDLE_SECONDS), issuer.auth(), registers, GatewayConfig.Audit.in(auditDir),
                null).withContacts(DemoContacts.all());
        return Gateway.start(vertx, forTests(config)).map(g -> new GatewayHarness(vertx, issuer, g));
    }

    /**
     * {@code call}, made again once if the gateway closed an idle pooled connection just as the
     * client reused it (a harness with a short idle timeout): the client's race, not the
     * gateway's answer. Any other failure is the call's.
     */
    public static Future<HttpResponse<Buffer>> retriedIfClosed(java.util.function.Supplier<Future<HttpResponse<Buffer>>> call) {
        return call.get().recover(e -> e instanceof io.vertx.core.http.HttpClosedException ? call.get()
                : Future.failedFuture(e));
    }

    /** {@code POST /api/v1/enquiries} with a bearer token (none when null). */
    public Future<HttpResponse<Buffer>> enquire(String token, JsonObject body) {
        HttpRequest<Buffer> request = client.post("/api/v1/enquiries");
        if (token != null) {
            request.bearerTokenAuthentication(token);
        }
        return request.sendJsonObject(body);
    }

    /** A well-formed enquiry body for a subject. */
    public static JsonObject enquiry(String givenName, String familyName, String dateOfBirth) {
        JsonObject subject = new JsonObject().put("familyName", familyName);
        if (givenName != null) {
            subject.put("givenName", givenName);
        }
        if (dateOfBirth != null) {
            subject.put("dateOfBirth", dateOfBirth);
        }
        return new JsonObject()
                .put("subject", subject)
                .put("purpose", new JsonObject().put("code", "register-check").put("justification", "Referral from school nurse"))
                .put("consent", new JsonObject().put("status", "not-sought").put("ground", "authorised-register-check"));
    }

    public Future<Void> close() {
        client.close();
        management.close();
        return gateway.close();
    }
}
