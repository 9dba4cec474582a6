package uk.wycps.gateway.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import uk.wycps.connector.ConnectorRegistry;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.gateway.Gateway;
import uk.wycps.gateway.config.ConfigLoader;
import uk.wycps.gateway.support.GatewayHarness;
import uk.wycps.gateway.support.GatewayNodes;
import uk.wycps.gateway.support.TestIssuer;
import uk.wycps.gateway.support.TestPostgres;
import uk.wycps.mock.MockFederation;
import uk.wycps.mock.MockOptions;
import uk.wycps.mock.MockRegister;
import uk.wycps.mock.MockRegisters;

/**
 * With {@code audit.postgres}, the per-caller and per-agency buckets live in the shared
 * database (issue 20): a caller whose enquiries the load balancer spreads over two nodes gets its
 * burst once, not once per node; another caller still has its own.
 */
@ExtendWith(VertxExtension.class)
class SharedRateLimitTest {

    private static final int BURST = 6;

    @TempDir
    Path dir;

    private TestPostgres pg;
    private MockFederation mocks;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        pg = TestPostgres.create(SharedRateLimitTest.class);
        mocks = await(MockRegisters.start(vertx, MockOptions.defaults().withChildrenPerRegister(20).withEphemeralPorts()));
    }

    @AfterEach
    void stop() throws Exception {
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

    @Test
    void aCallerSpreadOverTwoNodesGetsItsBurstOnceNotOncePerNode(Vertx vertx) throws Exception {
        TestIssuer issuer = new TestIssuer(vertx);
        List<RegisterSettings> registers = new ArrayList<>();
        for (MockRegister r : mocks.registers()) {
            registers.add(r.connectorSettings());
        }
        // A burst of 6 and a refill of one a minute: nothing refills while the test runs.
        GatewayNodes nodes = new GatewayNodes(dir, pg, issuer, registers, 1000, 30).limits(new JsonObject()
                .put("perCaller", new JsonObject().put("perMinute", 1).put("burst", BURST))
                .put("perAgency", new JsonObject().put("perMinute", 100_000).put("burst", 100_000)));
        ConfigLoader loader = new ConfigLoader(ConnectorRegistry.load());
        Gateway a = await(Gateway.start(vertx, loader.load(nodes.config("a"))));
        Gateway b = await(Gateway.start(vertx, loader.load(nodes.config("b"))));
        WebClient client = WebClient.create(vertx);
        JsonObject enquiry = GatewayHarness.enquiry("Aisha", "Khan", "2016-03-09");
        String token = issuer.tokenAs("worker-1", "child-worker", "social-services", "leeds");
        try {
            // WHEN one caller sends twice its burst, alternating between the nodes
            int admitted = 0;
            int refused = 0;
            for (int i = 0; i < 2 * BURST; i++) {
                HttpResponse<Buffer> r = await(client.post((i % 2 == 0 ? a : b).port(), "127.0.0.1", "/api/v1/enquiries")
                        .bearerTokenAuthentication(token).sendJsonObject(enquiry));
                if (r.statusCode() == 200) {
                    admitted++;
                } else {
                    assertEquals(429, r.statusCode(), r.bodyAsString());
                    assertTrue(Integer.parseInt(r.getHeader("Retry-After")) >= 1);
                    refused++;
                }
            }
            // THEN it got its burst once across both nodes, not once per node
            assertEquals(BURST, admitted, "admitted across two nodes");
            assertEquals(BURST, refused);
            // AND another caller of the same agency is not held back by it
            HttpResponse<Buffer> other = await(client.post(b.port(), "127.0.0.1", "/api/v1/enquiries")
                    .bearerTokenAuthentication(issuer.tokenAs("worker-2", "child-worker", "social-services", "leeds"))
                    .sendJsonObject(enquiry));
            assertEquals(200, other.statusCode(), other.bodyAsString());
        } finally {
            client.close();
            await(a.close());
            await(b.close());
        }
    }
}
