package uk.wycps.gateway.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.fanout.WireMockRegisters;
import uk.wycps.gateway.support.Answers;
import uk.wycps.gateway.support.GatewayHarness;

/**
 * Verifies {@code GET /health/live} and {@code GET /health/ready} with per-register state (O3):
 * circuit state, last success, recent latency, concurrency in use.
 */
@ExtendWith(VertxExtension.class)
class HealthRoutesTest {

    private static WireMockRegisters registers;
    private static GatewayHarness gateway;

    @BeforeAll
    static void start(Vertx vertx, VertxTestContext ctx) {
        registers = new WireMockRegisters(false);
        GatewayHarness.start(vertx, registers.settingsAll(1500, new JsonObject()), new InMemoryAuditSink())
                .onComplete(ctx.succeeding(g -> {
                    gateway = g;
                    ctx.completeNow();
                }));
    }

    @AfterAll
    static void stop(VertxTestContext ctx) {
        gateway.close().onComplete(ctx.succeeding(v -> {
            registers.close();
            ctx.completeNow();
        }));
    }

    @Test
    void liveIsUpWithoutAskingAnyRegister(VertxTestContext ctx) {
        gateway.client.get("/health/live").send().onComplete(ctx.succeeding(r -> ctx.verify(() -> {
            assertEquals(200, r.statusCode());
            assertEquals("application/json", r.getHeader("Content-Type"));
            assertEquals("UP", r.bodyAsJsonObject().getString("status"));
            ctx.completeNow();
        })));
    }

    /**
     * Verifies that readiness (which names each register's state) and the metrics are served on
     * the management listener only, and liveness on both listeners (O3, issue 14).
     */
    @Test
    void readinessAndMetricsLiveOnTheManagementListenerOnlyAndLivenessOnBoth(VertxTestContext ctx) {
        gateway.client.get("/health/ready").send()
                .compose(ready -> gateway.client.get("/metrics").send().map(metrics -> {
                    // THEN the API's port does not serve them
                    ctx.verify(() -> {
                        assertEquals(404, ready.statusCode());
                        assertEquals(404, metrics.statusCode());
                    });
                    return metrics;
                }))
                .compose(v -> gateway.management.get("/metrics").send())
                .compose(metrics -> {
                    ctx.verify(() -> {
                        assertEquals(200, metrics.statusCode());
                        assertTrue(metrics.bodyAsString().contains("jvm_memory_used_bytes"));
                    });
                    return gateway.management.get("/health/live").send();
                })
                .onComplete(ctx.succeeding(live -> ctx.verify(() -> {
                    assertEquals(200, live.statusCode());
                    assertEquals("UP", live.bodyAsJsonObject().getString("status"));
                    ctx.completeNow();
                })));
    }

    @Test
    void readyShowsEachRegistersCircuitLastSuccessAndRecentLatency(VertxTestContext ctx) {
        String token = gateway.issuer.token("child-worker", "social-services", "bradford", "cross-authority:*");
        Instant before = Instant.now();
        JsonObject[] answer = new JsonObject[1];
        // GIVEN one enquiry answered by all five registers (the only one this gateway is asked)
        gateway.enquire(token, GatewayHarness.enquiry(WireMockRegisters.GIVEN, WireMockRegisters.FAMILY,
                        WireMockRegisters.DOB))
                // WHEN readiness is asked
                .compose(r -> {
                    answer[0] = r.bodyAsJsonObject();
                    return gateway.management.get("/health/ready").send();
                })
                .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
                    // THEN UP, and for each register: closed circuit, a last success, latency figures
                    assertEquals(200, r.statusCode());
                    JsonObject body = r.bodyAsJsonObject();
                    assertEquals("UP", body.getString("status"), body.encodePrettily());
                    JsonArray regs = body.getJsonArray("registers");
                    assertEquals(5, regs.size());
                    for (int i = 0; i < regs.size(); i++) {
                        JsonObject reg = regs.getJsonObject(i);
                        assertEquals(WireMockRegisters.AUTHORITIES.get(i), reg.getString("authority"));
                        assertEquals("CLOSED", reg.getString("circuit"));
                        assertEquals(1500, reg.getInteger("deadlineMs"));
                        assertEquals(0, reg.getInteger("inFlight"));
                        assertEquals(64 + 256, reg.getInteger("maxConcurrent"));
                        assertNotNull(reg.getString("lastSuccess"), reg.encode());
                        assertTrue(!Instant.parse(reg.getString("lastSuccess")).isBefore(before.minusSeconds(1)));
                        assertNull(reg.getString("lastFailure"));
                        // The latency figures are that enquiry's: one sample, the very latency its answer reported
                        JsonObject latency = reg.getJsonObject("latency");
                        long answered = Answers.registerEntry(answer[0], reg.getString("authority")).getLong("latencyMs");
                        assertEquals(1, latency.getInteger("samples"), latency.encode());
                        assertEquals(answered, latency.getLong("p50Ms"), latency.encode());
                        assertEquals(answered, latency.getLong("p99Ms"), latency.encode());
                    }
                    ctx.completeNow();
                })));
    }
}
