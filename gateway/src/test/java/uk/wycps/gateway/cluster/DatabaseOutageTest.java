package uk.wycps.gateway.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.gateway.Gateway;
import uk.wycps.gateway.audit.AuditKeys;
import uk.wycps.gateway.audit.AuditVerifier;
import uk.wycps.gateway.audit.PostgresAuditLog;
import uk.wycps.gateway.config.ConfigException;
import uk.wycps.gateway.config.ConfigLoader;
import uk.wycps.gateway.config.GatewayConfig;
import uk.wycps.connector.ConnectorRegistry;
import uk.wycps.gateway.support.GatewayHarness;
import uk.wycps.gateway.support.GatewayNodes;
import uk.wycps.gateway.support.TestIssuer;
import uk.wycps.gateway.support.TestPostgres;
import uk.wycps.mock.MockFederation;
import uk.wycps.mock.MockOptions;
import uk.wycps.mock.MockRegister;
import uk.wycps.mock.MockRegisters;
import uk.wycps.mock.SyntheticPopulation;
import uk.wycps.gateway.durable.PrivateFiles;

/**
 * The gateway with its audit in PostgreSQL when the database goes away and comes back (issue 20,
 * H1, H3): while it is down every enquiry gets 503 and no data, and nothing is audited or owed;
 * once it is back, enquiries are answered again without a restart and every notification
 * reaches its register. Start-up fails while the database cannot be reached or refuses the node.
 * The outage is made by the superuser: connections to the database refused and those open cut.
 */
@ExtendWith(VertxExtension.class)
class DatabaseOutageTest {

    @TempDir
    Path dir;

    private TestPostgres pg;
    private MockFederation mocks;
    private TestIssuer issuer;
    private GatewayNodes nodes;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        pg = TestPostgres.create(DatabaseOutageTest.class);
        mocks = await(MockRegisters.start(vertx, MockOptions.defaults().withChildrenPerRegister(50).withEphemeralPorts()));
        issuer = new TestIssuer(vertx);
        List<RegisterSettings> registers = new ArrayList<>();
        for (MockRegister r : mocks.registers()) {
            registers.add(r.connectorSettings());
        }
        nodes = new GatewayNodes(dir, pg, issuer, registers, 10, 2);
    }

    @AfterEach
    void stop() throws Exception {
        if (pg != null) {
            pg.comeBack();
        }
        if (mocks != null) {
            await(mocks.close());
        }
        if (pg != null) {
            pg.close();
        }
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private GatewayConfig config(String node) throws Exception {
        return new ConfigLoader(ConnectorRegistry.load()).load(nodes.config(node));
    }

    @Test
    void enquiriesGet503AndNoDataWhileTheDatabaseIsDownAndFlowAgainWhenItReturns(Vertx vertx) throws Exception {
        Gateway gateway = await(Gateway.start(vertx, config("solo")));
        var client = io.vertx.ext.web.client.WebClient.create(vertx);
        SyntheticPopulation.CrossBoundaryExample child = mocks.population().crossBoundaryExample();
        JsonObject enquiry = GatewayHarness.enquiry(child.givenName(), child.familyName(), child.dateOfBirth().toString());
        String token = issuer.token("child-worker", "social-services", "leeds", "cross-authority:*");
        List<String> answered = new ArrayList<>();
        try {
            HttpResponse<Buffer> first = await(enquire(client, gateway, token, enquiry));
            assertEquals(200, first.statusCode(), first.bodyAsString());
            answered.add(first.bodyAsJsonObject().getString("enquiryId"));
            // GIVEN the database goes down
            pg.goDown();
            // WHEN enquiries come THEN each gets 503 with no record data (H1)
            for (int i = 0; i < 5; i++) {
                HttpResponse<Buffer> refused = await(enquire(client, gateway, token, enquiry));
                uk.wycps.gateway.support.ErrorBodies.assertError(refused, 503, "audit-unavailable");
                assertFalse(refused.bodyAsString().contains(child.familyName()));
                assertFalse(refused.bodyAsString().contains(child.records().get(0).recordId()));
            }
            // WHEN it comes back THEN enquiries are answered again, without a restart
            pg.comeBack();
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            HttpResponse<Buffer> again;
            do {
                again = await(enquire(client, gateway, token, enquiry));
            } while (again.statusCode() != 200 && System.nanoTime() < until);
            assertEquals(200, again.statusCode(), again.bodyAsString());
            answered.add(again.bodyAsJsonObject().getString("enquiryId"));
            for (int i = 0; i < 3; i++) {
                HttpResponse<Buffer> r = await(enquire(client, gateway, token, enquiry));
                assertEquals(200, r.statusCode());
                answered.add(r.bodyAsJsonObject().getString("enquiryId"));
            }
            // AND nothing is lost: every register has been told of every answered enquiry
            assertTrue(nodes.outboxDrains(Duration.ofSeconds(30)), "the outbox did not drain");
        } finally {
            client.close();
            await(gateway.close());
        }
        // AND exactly the answered enquiries are audited: none of the refused ones
        Map<String, Integer> entries = nodes.auditEntriesByEnquiry();
        assertEquals(answered.size(), entries.size(), entries.toString());
        answered.forEach(id -> assertEquals(Integer.valueOf(1), entries.get(id)));
        for (String id : answered) {
            for (var ref : child.records()) {
                long held = mocks.register(ref.authority()).enquiryHistory(ref.recordId()).stream()
                        .filter(e -> e.enquiryId().equals(id)).count();
                assertEquals(1, held, ref.authority() + " was told of " + id);
            }
        }
        try (Connection c = pg.connect()) {
            AuditVerifier.Result result = PostgresAuditLog.verify(c,
                    AuditKeys.verifier(Files.readString(nodes.publicKey())), List.of());
            assertTrue(result.intact(), result.toString());
            assertEquals(answered.size(), result.entries());
        }
    }

    private static Future<HttpResponse<Buffer>> enquire(io.vertx.ext.web.client.WebClient client, Gateway gateway,
            String token, JsonObject body) {
        return client.post(gateway.port(), "127.0.0.1", "/api/v1/enquiries").bearerTokenAuthentication(token)
                .sendJsonObject(body);
    }

    @Test
    void startUpFailsWhileTheDatabaseIsDownAndWhenItRefusesTheNodesPassword(Vertx vertx) throws Exception {
        pg.goDown();
        assertTrue(Gateway.start(vertx, config("down")).toCompletionStage().toCompletableFuture()
                .handle((g, e) -> e != null).get(60, TimeUnit.SECONDS), "started without its database");
        pg.comeBack();
        Path wrong = dir.resolve("wrong-password");
        PrivateFiles.writeString(wrong, "not-the-password\n");
        JsonObject json = new JsonObject(Files.readString(nodes.config("wrong")));
        json.getJsonObject("audit").getJsonObject("postgres").put("passwordFile", wrong.toString());
        Path file = dir.resolve("wrong.json");
        Files.writeString(file, json.encode());
        GatewayConfig config = new ConfigLoader(ConnectorRegistry.load()).load(file);
        assertTrue(Gateway.start(vertx, config).toCompletionStage().toCompletableFuture()
                .handle((g, e) -> e != null).get(60, TimeUnit.SECONDS), "started with a wrong password");
    }

    @Test
    void aPostgresAuditWithoutASharedSigningKeyIsAConfigurationError() throws Exception {
        JsonObject json = new JsonObject(Files.readString(nodes.config("keyless")));
        json.getJsonObject("audit").remove("signingKeyFile");
        json.getJsonObject("audit").remove("verificationKeyFile");
        Path file = dir.resolve("keyless2.json");
        Files.writeString(file, json.encode());
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> new ConfigLoader(ConnectorRegistry.load()).load(file));
        assertTrue(e.getMessage().contains("$.audit"), e.getMessage());
        json.getJsonObject("audit").getJsonObject("postgres").put("uri", "postgresql://u:secret@127.0.0.1/x");
        Files.writeString(file, json.put("audit", json.getJsonObject("audit")
                .put("signingKeyFile", dir.resolve(AuditKeys.PRIVATE_FILE).toString())
                .put("verificationKeyFile", nodes.publicKey().toString())).encode());
        ConfigException inUri = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> new ConfigLoader(ConnectorRegistry.load()).load(file));
        assertTrue(inUri.getMessage().contains("credentials"), inUri.getMessage());
        assertFalse(inUri.getMessage().contains("secret"), "a password echoed in an error");
    }
}
