package uk.wycps.gateway.console;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.gateway.Gateway;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.config.GatewayConfig;
import uk.wycps.gateway.support.TestIssuer;
import uk.wycps.mock.MockFederation;
import uk.wycps.mock.MockOptions;
import uk.wycps.mock.MockRegister;
import uk.wycps.mock.MockRegisters;
import uk.wycps.record.ChildRecord;

/**
 * The five mock registers and a gateway with the console's demo sign-in, on loopback ports
 * chosen by the system, with an in-memory audit the tests can read, and a token issuer for the
 * API, so that a test can ask the same question through the page and through the API.
 */
final class ConsoleHarness {

    final Vertx vertx;
    final MockFederation mocks;
    final Gateway gateway;
    final TestIssuer issuer;
    final InMemoryAuditSink audit;
    final WebClient api;

    private ConsoleHarness(Vertx vertx, MockFederation mocks, Gateway gateway, TestIssuer issuer, InMemoryAuditSink audit) {
        this.vertx = vertx;
        this.mocks = mocks;
        this.gateway = gateway;
        this.issuer = issuer;
        this.audit = audit;
        this.api = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
                .setDefaultPort(gateway.port()).setFollowRedirects(false));
    }

    /** A console gateway with no admission limits: the tests of other things make enquiries quickly. */
    static ConsoleHarness start(GatewayConfig.Console console) throws Exception {
        return start(console, GatewayConfig.Limits.OFF);
    }

    static ConsoleHarness start(GatewayConfig.Console console, GatewayConfig.Limits limits) throws Exception {
        return start(console, limits, GatewayConfig.Auth.DEFAULT_MAX_TOKEN_LIFETIME_SECONDS);
    }

    /** A demo console whose sign-ins last {@code signInSeconds} ({@code auth.maxTokenLifetimeSeconds}). */
    static ConsoleHarness startDemo(Duration idle, int signInSeconds) throws Exception {
        return start(GatewayConfig.Console.demo().withIdleTimeout(idle), GatewayConfig.Limits.OFF, signInSeconds);
    }

    static ConsoleHarness start(GatewayConfig.Console console, GatewayConfig.Limits limits, int maxTokenLifetimeSeconds)
            throws Exception {
        Vertx vertx = Vertx.vertx();
        MockFederation mocks = await(MockRegisters.start(vertx, MockOptions.defaults().withAuthorityDialects()
                .withChildrenPerRegister(200).withEphemeralPorts()));
        List<RegisterSettings> registers = new ArrayList<>();
        for (MockRegister r : mocks.registers()) {
            registers.add(r.connectorSettings());
        }
        TestIssuer issuer = new TestIssuer(vertx);
        Path outbox = Files.createTempDirectory("wycps-console-outbox");
        InMemoryAuditSink audit = new InMemoryAuditSink();
        GatewayConfig config = new GatewayConfig(new GatewayConfig.Http("127.0.0.1", 0,
                GatewayConfig.Http.DEFAULT_MAX_BODY_BYTES, 30), issuer.auth(), registers, GatewayConfig.Audit.in(outbox),
                null).withContacts(uk.wycps.gateway.config.DemoContacts.all()).withConsole(console)
                // The management listener on an ephemeral port too: its default port is fixed, so
                // two gateways (or another process on the machine) could not both bind it.
                .withManagement(new GatewayConfig.Management("127.0.0.1", 0))
                .withLimits(limits);
        GatewayConfig.Auth a = config.auth();
        config = config.withAuth(new GatewayConfig.Auth(a.issuer(), a.audience(), a.keys(), a.leewaySeconds(), a.jwksUri(),
                a.discover(), maxTokenLifetimeSeconds));
        Gateway gateway = await(Gateway.start(vertx, config, audit, outbox));
        return new ConsoleHarness(vertx, mocks, gateway, issuer, audit);
    }

    static ConsoleHarness startDemo() throws Exception {
        return start(GatewayConfig.Console.demo());
    }

    static ConsoleHarness startDemo(Duration idle) throws Exception {
        return start(GatewayConfig.Console.demo().withIdleTimeout(idle));
    }

    String base() {
        return "http://127.0.0.1:" + gateway.port();
    }

    /** The API's answer to the same enquiry for a caller with these claims. */
    JsonObject apiAnswer(Personas.Persona persona, JsonObject body) throws Exception {
        String token = issuer.token(persona.role(), persona.agency(), persona.authority(),
                persona.grants().toArray(String[]::new));
        HttpResponse<Buffer> r = await(api.post("/api/v1/enquiries").bearerTokenAuthentication(token)
                .sendJsonObject(body));
        if (r.statusCode() != 200) {
            throw new AssertionError("API answered " + r.statusCode() + ": " + r.bodyAsString());
        }
        return r.bodyAsJsonObject();
    }

    /** {@code GET /api/v1/audit} for a caller with these claims: the API's audit view (A9). */
    JsonObject apiAudit(Personas.Persona persona) throws Exception {
        String token = issuer.token(persona.role(), persona.agency(), persona.authority(),
                persona.grants().toArray(String[]::new));
        HttpResponse<Buffer> r = await(api.get("/api/v1/audit").bearerTokenAuthentication(token).send());
        if (r.statusCode() != 200) {
            throw new AssertionError("API answered " + r.statusCode() + ": " + r.bodyAsString());
        }
        return r.bodyAsJsonObject();
    }

    /** Two children of one register sharing a family name and date of birth (as EnquiryEndToEndTest). */
    ChildRecord[] twins() {
        for (MockRegister register : mocks.registers()) {
            Map<String, ChildRecord> seen = new HashMap<>();
            for (ChildRecord r : register.records()) {
                ChildRecord other = seen.putIfAbsent(r.familyName() + "|" + r.dateOfBirth(), r);
                if (other != null && !other.givenName().equals(r.givenName())) {
                    return new ChildRecord[] {other, r};
                }
            }
        }
        throw new IllegalStateException("the synthetic data holds no twins");
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    void close() throws Exception {
        api.close();
        await(gateway.close());
        await(mocks.close());
        await(vertx.close());
    }
}
