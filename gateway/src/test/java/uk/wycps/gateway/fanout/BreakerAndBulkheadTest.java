package uk.wycps.gateway.fanout;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.http.Fault;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.support.Answers;
import uk.wycps.gateway.support.GatewayHarness;

/**
 * Verifies, over HTTP, the statuses the guard itself gives (F5): {@code CIRCUIT_OPEN} once a
 * register has been failing, {@code REJECTED} when its bulkhead is full, and an answer with every
 * register down that is never an empty successful-looking one.
 */
class BreakerAndBulkheadTest extends WireMockGatewayTest {

    private Future<GatewayHarness> start(Vertx vertx, List<RegisterSettings> settings) {
        return keep(GatewayHarness.start(vertx, settings, new InMemoryAuditSink()));
    }

    private static Future<HttpResponse<Buffer>> enquire(GatewayHarness g) {
        String token = g.issuer.token("child-worker", "social-services", "bradford", "cross-authority:*");
        return g.enquire(token, GatewayHarness.enquiry(WireMockRegisters.GIVEN, WireMockRegisters.FAMILY,
                WireMockRegisters.DOB));
    }

    @Test
    void failingRegisterOpensItsCircuitAndIsThenNotAsked(Vertx vertx, VertxTestContext ctx) {
        // GIVEN Leeds answers 500 and its breaker opens after 2 failures of a window of 4
        registers.fault("leeds", WireMockRegisters.search().willReturn(aResponse().withStatus(500)));
        JsonObject breaker = new JsonObject().put("slidingWindowSize", 4).put("minimumCalls", 2)
                .put("waitInOpenMs", 60_000);
        Function<GatewayHarness, Future<HttpResponse<Buffer>>> ask = BreakerAndBulkheadTest::enquire;
        start(vertx, registers.settings("leeds", 500, RegisterSettings.DEFAULT_MAX_RESPONSE_BYTES, 64, breaker))
                // WHEN three enquiries are made one after another
                .compose(g -> ask.apply(g).compose(r -> ask.apply(g)).compose(r -> ask.apply(g)))
                .onComplete(ctx.succeeding(third -> ctx.verify(() -> {
                    // THEN the third finds Leeds CIRCUIT_OPEN with its notice, without asking it
                    JsonObject leeds = RegisterFaultsTest.assertPartialAnswer(third, "leeds", "CIRCUIT_OPEN");
                    assertTrue(leeds.getString("notice").contains("giving it time to recover"));
                    assertEquals(2, registers.server("leeds").findAll(postRequestedFor(urlEqualTo("/search"))).size());
                })))
                // AND /health/ready shows the open circuit
                .compose(r -> gateway.management.get("/health/ready").send())
                .onComplete(ctx.succeeding(health -> ctx.verify(() -> {
                    JsonObject body = health.bodyAsJsonObject();
                    assertEquals(200, health.statusCode());
                    assertEquals("DEGRADED", body.getString("status"));
                    JsonObject leeds = byAuthority(body.getJsonArray("registers"), "leeds");
                    assertEquals("OPEN", leeds.getString("circuit"));
                    assertEquals(1, leeds.getJsonObject("transitions").getInteger("CLOSED_TO_OPEN"));
                    assertEquals("ERROR", leeds.getString("lastFailureStatus"));
                    assertEquals("CLOSED", byAuthority(body.getJsonArray("registers"), "bradford").getString("circuit"));
                    ctx.completeNow();
                })));
    }

    @Test
    void openCircuitOnTheOnlyRegisterHoldingTheChildIsNeverANoRecordAnswer(Vertx vertx, VertxTestContext ctx) {
        // GIVEN four registers that hold no such child, and Leeds, the only holder, failing until its breaker opens
        WireMockRegisters.AUTHORITIES.stream().filter(a -> !a.equals("leeds")).forEach(registers::holdsNothing);
        registers.fault("leeds", WireMockRegisters.search().willReturn(aResponse().withStatus(500)));
        JsonObject breaker = new JsonObject().put("slidingWindowSize", 4).put("minimumCalls", 2)
                .put("waitInOpenMs", 60_000);
        Function<GatewayHarness, Future<HttpResponse<Buffer>>> ask = BreakerAndBulkheadTest::enquire;
        start(vertx, registers.settings("leeds", 500, RegisterSettings.DEFAULT_MAX_RESPONSE_BYTES, 64, breaker))
                // WHEN three enquiries are made one after another
                .compose(g -> ask.apply(g).compose(r -> ask.apply(g)).compose(r -> ask.apply(g)))
                .onComplete(ctx.succeeding(third -> ctx.verify(() -> {
                    // THEN the third has Leeds CIRCUIT_OPEN, no persons, not-all-checked (F5)
                    Answers.assertNotAllChecked(third, "leeds", "CIRCUIT_OPEN");
                    ctx.completeNow();
                })));
    }

    @Test
    void registerAtItsConcurrencyLimitIsRejectedAtOnce(Vertx vertx, VertxTestContext ctx) {
        // GIVEN Leeds takes 3 s to answer (all five arrive well within it, even on a loaded machine)
        // and is configured to run 2 searches at a time
        leedsAnswersAfter(3000);
        JsonObject neverOpen = new JsonObject().put("slidingWindowSize", 100).put("minimumCalls", 100)
                .put("maxConcurrent", 2);
        start(vertx, registers.settings("leeds", 5000, RegisterSettings.DEFAULT_MAX_RESPONSE_BYTES, 2, neverOpen))
                // WHEN five enquiries arrive together
                .compose(g -> enquireTogether(g, 5))
                .onComplete(ctx.succeeding(answers -> ctx.verify(() -> {
                    // THEN two are answered by Leeds and the others have it REJECTED, with its notice
                    int ok = 0;
                    int rejected = 0;
                    for (HttpResponse<Buffer> r : answers) {
                        JsonObject leeds = byAuthority(r.bodyAsJsonObject().getJsonArray("registers"), "leeds");
                        if ("OK".equals(leeds.getString("status"))) {
                            ok++;
                        } else {
                            JsonObject entry = RegisterFaultsTest.assertPartialAnswer(r, "leeds", "REJECTED");
                            assertTrue(entry.getString("notice").contains("at capacity"));
                            rejected++;
                        }
                    }
                    assertEquals(2, ok, "answered by Leeds");
                    assertEquals(3, rejected, "rejected by the bulkhead");
                    // AND the rejected ones never reached Leeds: refused at once, not after a wait
                    assertEquals(2, registers.server("leeds").findAll(postRequestedFor(urlEqualTo("/search"))).size());
                    ctx.completeNow();
                })));
    }

    @Test
    void aBurstBeyondTheConnectionsWaitsForOneWithinTheDeadline(Vertx vertx, VertxTestContext ctx) {
        // GIVEN Leeds is healthy but takes 100 ms, with one connection per event loop and the
        // default wait queue and bulkhead
        leedsAnswersAfter(100);
        int enquiries = 2 * Math.max(1, Runtime.getRuntime().availableProcessors()) + 1;
        start(vertx, registers.settings("leeds", 1500, RegisterSettings.DEFAULT_MAX_RESPONSE_BYTES, 1, new JsonObject()))
                // WHEN more enquiries arrive together than there are connections to Leeds
                .compose(g -> enquireTogether(g, enquiries))
                .onComplete(ctx.succeeding(answers -> ctx.verify(() -> {
                    // THEN every one checked Leeds: the burst waited for a connection, none was refused
                    for (HttpResponse<Buffer> r : answers) {
                        JsonObject leeds = byAuthority(r.bodyAsJsonObject().getJsonArray("registers"), "leeds");
                        assertEquals("OK", leeds.getString("status"), r.bodyAsString());
                        assertTrue(r.bodyAsJsonObject().getBoolean("complete"), r.bodyAsString());
                    }
                    ctx.completeNow();
                })));
    }

    @Test
    void fullConnectionPoolIsRejectedAtOnceRatherThanQueued(Vertx vertx, VertxTestContext ctx) {
        // GIVEN Leeds takes 800 ms, one connection per event loop, no wait queue, a larger bulkhead
        leedsAnswersAfter(800);
        List<RegisterSettings> settings = new ArrayList<>();
        for (RegisterSettings r : registers.settings("leeds", 1500, RegisterSettings.DEFAULT_MAX_RESPONSE_BYTES, 1,
                new JsonObject().put("maxConcurrent", 20).put("minimumCalls", 100).put("slidingWindowSize", 100))) {
            settings.add(r.authority().equals("leeds") ? new RegisterSettings(r.authority(), r.dialect(), r.baseUrl(),
                    r.deadline(), 1, 0, r.maxResponseBytes(), r.options()) : r);
        }
        int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
        int enquiries = 2 * instances + 1;
        start(vertx, settings)
                // WHEN more enquiries arrive together than there are connections to Leeds
                .compose(g -> enquireTogether(g, enquiries))
                .onComplete(ctx.succeeding(answers -> ctx.verify(() -> {
                    // THEN some have Leeds REJECTED at once (pool full), the others OK; none waits in a queue
                    int rejected = 0;
                    for (HttpResponse<Buffer> r : answers) {
                        JsonObject leeds = byAuthority(r.bodyAsJsonObject().getJsonArray("registers"), "leeds");
                        if (!"OK".equals(leeds.getString("status"))) {
                            RegisterFaultsTest.assertPartialAnswer(r, "leeds", "REJECTED");
                            rejected++;
                        }
                    }
                    assertTrue(rejected >= 1 && rejected <= enquiries - 1, "rejected: " + rejected);
                    // AND the rejected ones never reached Leeds (no queue held them for a later send)
                    assertEquals(enquiries - rejected,
                            registers.server("leeds").findAll(postRequestedFor(urlEqualTo("/search"))).size());
                    ctx.completeNow();
                })));
    }

    @Test
    void timedOutSearchGivesItsConnectionBack(Vertx vertx, VertxTestContext ctx) {
        // GIVEN Leeds hangs, with one connection per event loop and no wait queue
        registers.fault("leeds", WireMockRegisters.search().willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(WireMockRegisters.healthyBody("leeds"))
                .withFixedDelay(60_000)));
        List<RegisterSettings> settings = new ArrayList<>();
        for (RegisterSettings r : registers.settings("leeds", 300, RegisterSettings.DEFAULT_MAX_RESPONSE_BYTES, 1,
                new JsonObject().put("minimumCalls", 100).put("slidingWindowSize", 100))) {
            settings.add(r.authority().equals("leeds") ? new RegisterSettings(r.authority(), r.dialect(), r.baseUrl(),
                    r.deadline(), 1, 0, r.maxResponseBytes(), r.options()) : r);
        }
        int rounds = 2 * Math.max(1, Runtime.getRuntime().availableProcessors()) + 1;
        start(vertx, settings)
                // WHEN enquiries one after another all time out on it, more than there are connections
                .compose(g -> {
                    Future<HttpResponse<Buffer>> chain = enquire(g);
                    for (int i = 1; i < rounds; i++) {
                        chain = chain.compose(r -> {
                            ctx.verify(() -> RegisterFaultsTest.assertPartialAnswer(r, "leeds", "TIMEOUT"));
                            return enquire(g);
                        });
                    }
                    return chain;
                })
                // AND then it recovers
                .compose(r -> {
                    ctx.verify(() -> RegisterFaultsTest.assertPartialAnswer(r, "leeds", "TIMEOUT"));
                    registers.healthy("leeds");
                    return enquire(gateway);
                })
                .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
                    // THEN it answers at once: each timed-out request was reset, its connection not left busy
                    JsonObject leeds = byAuthority(r.bodyAsJsonObject().getJsonArray("registers"), "leeds");
                    assertEquals("OK", leeds.getString("status"), r.bodyAsString());
                    assertTrue(r.bodyAsJsonObject().getBoolean("complete"));
                    ctx.completeNow();
                })));
    }

    @Test
    void allFiveRegistersDownIsFiveUncheckedRegistersAndNoPersons(Vertx vertx, VertxTestContext ctx) {
        // GIVEN every register fails, each in its own way
        registers.fault("bradford", WireMockRegisters.search().willReturn(aResponse().withStatus(503)));
        registers.fault("calderdale", WireMockRegisters.search().willReturn(aResponse()
                .withFault(Fault.CONNECTION_RESET_BY_PEER)));
        registers.fault("kirklees", WireMockRegisters.search().willReturn(aResponse().withStatus(500)));
        registers.fault("leeds", WireMockRegisters.search().willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withFixedDelay(10_000).withBody("{\"records\":[]}")));
        registers.fault("wakefield", WireMockRegisters.search().willReturn(aResponse().withStatus(429)));
        // (a deadline a cold gateway on a loaded machine meets for the quick failures; Leeds alone outlasts it)
        start(vertx, registers.settingsAll(2000, new JsonObject()))
                // WHEN an enquiry is made
                .compose(BreakerAndBulkheadTest::enquire)
                .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
                    // THEN 200, five registers not checked, no persons, not-all-checked, never none-found
                    String text = r.bodyAsString();
                    assertEquals(200, r.statusCode(), text);
                    Answers.assertNoStackTrace(text);
                    JsonObject answer = r.bodyAsJsonObject();
                    assertFalse(answer.getBoolean("complete"));
                    assertEquals("not-all-checked", answer.getString("outcome"));
                    assertTrue(answer.getJsonArray("persons").isEmpty());
                    JsonArray regs = answer.getJsonArray("registers");
                    assertEquals(5, regs.size());
                    for (int i = 0; i < regs.size(); i++) {
                        JsonObject part = regs.getJsonObject(i);
                        assertNotEquals("OK", part.getString("status"), text);
                        assertTrue(part.getString("notice").contains("This is not a 'no record' result."), text);
                    }
                    assertEquals("UNAVAILABLE", byAuthority(regs, "bradford").getString("status"));
                    assertEquals("UNAVAILABLE", byAuthority(regs, "calderdale").getString("status"));
                    assertEquals("ERROR", byAuthority(regs, "kirklees").getString("status"));
                    assertEquals("TIMEOUT", byAuthority(regs, "leeds").getString("status"));
                    assertEquals("REJECTED", byAuthority(regs, "wakefield").getString("status"));
                    ctx.completeNow();
                })));
    }

    static JsonObject byAuthority(JsonArray registers, String authority) {
        return Answers.registerEntry(registers, authority);
    }

    /** Leeds answers its healthy record after {@code delayMs}. */
    private static void leedsAnswersAfter(int delayMs) {
        registers.fault("leeds", WireMockRegisters.search().willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(WireMockRegisters.healthyBody("leeds"))
                .withFixedDelay(delayMs)));
    }

    /** {@code count} enquiries sent at once; their answers in order. */
    private static Future<List<HttpResponse<Buffer>>> enquireTogether(GatewayHarness g, int count) {
        List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            all.add(enquire(g));
        }
        return Future.all(all).map(c -> c.<HttpResponse<Buffer>>list());
    }
}
