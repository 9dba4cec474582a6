package uk.wycps.gateway.fanout;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static uk.wycps.gateway.support.Answers.await;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.support.Answers;
import uk.wycps.gateway.support.GatewayHarness;
import uk.wycps.gateway.support.LogCapture;

/**
 * Verifies that every kind of register fault, on one register while four are healthy, gives an
 * honest partial answer (F2, F5): HTTP 200, {@code complete: false}, the faulty register with the
 * right status and a notice saying it is not a "no record" result, the healthy registers' records
 * present, and no stack trace anywhere.
 */
@ExtendWith(VertxExtension.class)
class RegisterFaultsTest {

    static final String FAULTY = "leeds";
    static final long DEADLINE_MS = 800;
    static final int MAX_BYTES = 16 * 1024;

    private static WireMockRegisters registers;
    private static GatewayHarness gateway;
    private static String token;

    /** Every line written while this class runs (the gateway's JSON log lines among them). */
    private static LogCapture logs;

    @BeforeAll
    static void start(Vertx vertx, VertxTestContext ctx) {
        logs = LogCapture.start();
        registers = new WireMockRegisters(true);
        // The faulty register's breaker is kept closed here: each fault must show its own status;
        // and its one retry is made whatever is left of the deadline, so that a slow first attempt
        // on a loaded machine does not leave too little for it.
        JsonObject neverOpen = new JsonObject().put("slidingWindowSize", 1000).put("minimumCalls", 1000)
                .put("retryMinRemainingMs", 0);
        GatewayHarness.start(vertx, registers.settings(FAULTY, DEADLINE_MS, MAX_BYTES, 64, neverOpen),
                new InMemoryAuditSink()).onSuccess(g -> {
                    gateway = g;
                    token = g.issuer.token("child-worker", "social-services", "bradford", "cross-authority:*");
                })
                // A first enquiry warms the JVM up, so that cold class loading is not taken for a slow register.
                .compose(g -> g.enquire(token, GatewayHarness.enquiry(WireMockRegisters.GIVEN, WireMockRegisters.FAMILY,
                        WireMockRegisters.DOB)))
                .onComplete(ctx.succeedingThenComplete());
    }

    @AfterAll
    static void stop(VertxTestContext ctx) {
        gateway.close().onComplete(ctx.succeeding(v -> {
            registers.close();
            logs.close();
            ctx.completeNow();
        }));
    }

    @BeforeEach
    void allHealthy() {
        WireMockRegisters.AUTHORITIES.forEach(registers::healthy);
    }

    /**
     * Personal data that only the faulty register's broken answers carry: none of it may reach
     * the caller's answer, nor a log line (H5).
     */
    static final String CANARY_RECORD = "{\"givenName\":\"Zebedee\",\"familyName\":\"Quillfeather\","
            + "\"dateOfBirth\":\"1901-02-03\",\"address\":{\"postcode\":\"ZZ9 9ZZ\"}}";
    static final List<String> CANARIES = List.of("Zebedee", "Quillfeather", "1901-02-03", "ZZ9 9ZZ");

    static Stream<Arguments> faults() {
        String big = "{\"records\":[" + "{\"recordId\":\"LE-1\",\"givenName\":\"Aisha\",\"familyName\":\"Khan\"},"
                .repeat(400) + "{\"recordId\":\"LE-2\"}]}";
        String manyRecords = "{\"records\":[" + "{\"recordId\":\"LE-1\"},".repeat(200) + "{\"recordId\":\"LE-2\"}]}";
        String json = "application/json";
        return Stream.of(
                fault("delay past the deadline", WireMockRegisters.search().willReturn(ok(json)
                        .withFixedDelay((int) DEADLINE_MS + 700)), "TIMEOUT", null),
                fault("hang", WireMockRegisters.search().willReturn(ok(json).withFixedDelay(60_000)), "TIMEOUT", null),
                fault("connection reset", WireMockRegisters.search().willReturn(aResponse()
                        .withFault(Fault.CONNECTION_RESET_BY_PEER)), "UNAVAILABLE", null),
                fault("empty response", WireMockRegisters.search().willReturn(aResponse()
                        .withFault(Fault.EMPTY_RESPONSE)), "UNAVAILABLE", null),
                fault("malformed chunk", WireMockRegisters.search().willReturn(aResponse()
                        .withFault(Fault.MALFORMED_RESPONSE_CHUNK)), "ERROR", null),
                // (WireMock sends that fault without a content type, so it is refused on that already;
                // a body cut off after a good start is "truncated body" below)
                fault("random data then close", WireMockRegisters.search().willReturn(aResponse()
                        .withFault(Fault.RANDOM_DATA_THEN_CLOSE)), "UNAVAILABLE", null),
                fault("HTTP 500", WireMockRegisters.search().willReturn(aResponse().withStatus(500)
                        .withHeader("Content-Type", json).withBody("{\"error\":\"boom\"}")), "ERROR", "register answered HTTP 500"),
                fault("HTTP 503 with Retry-After", WireMockRegisters.search().willReturn(aResponse().withStatus(503)
                        .withHeader("Retry-After", "30")), "UNAVAILABLE", null),
                fault("HTTP 429", WireMockRegisters.search().willReturn(aResponse().withStatus(429)
                        .withHeader("Retry-After", "5")), "REJECTED", null),
                fault("slow drip", WireMockRegisters.search().willReturn(ok(json)
                        .withChunkedDribbleDelay(40, (int) DEADLINE_MS * 4)), "TIMEOUT", null),
                fault("wrong content type", WireMockRegisters.search().willReturn(aResponse().withStatus(200)
                        .withHeader("Content-Type", "text/html").withBody("<html>maintenance</html>")), "ERROR", "wrong content type"),
                fault("well-formed JSON of the wrong shape", WireMockRegisters.search().willReturn(aResponse()
                        .withStatus(200).withHeader("Content-Type", json).withBody("{\"results\":[" + CANARY_RECORD + "]}")), "ERROR", "not a valid canonical-json answer"),
                fault("a record without recordId", WireMockRegisters.search().willReturn(aResponse()
                        .withStatus(200).withHeader("Content-Type", json)
                        .withBody("{\"records\":[" + CANARY_RECORD + "]}")), "ERROR", "without a valid recordId"),
                // a control character in the id (a NUL failed a PostgreSQL audit's whole group commit)
                fault("a record id with a control character", WireMockRegisters.search().willReturn(aResponse()
                        .withStatus(200).withHeader("Content-Type", json)
                        .withBody("{\"records\":[{\"recordId\":\"LE-\\u0000\",\"familyName\":\"Khan\"}]}")),
                        "ERROR", "without a valid recordId"),
                fault("more records than any pre-filter gives", WireMockRegisters.search().willReturn(aResponse()
                        .withStatus(200).withHeader("Content-Type", json).withBody(manyRecords)), "ERROR", "more than 200 records"),
                fault("empty body", WireMockRegisters.search().willReturn(aResponse().withStatus(200)
                        .withHeader("Content-Type", json).withBody("")), "ERROR", "not a valid canonical-json answer"),
                fault("oversize body", WireMockRegisters.search().willReturn(aResponse().withStatus(200)
                        .withHeader("Content-Type", json).withBody(big)), "ERROR", "larger than 16384 bytes"),
                fault("truncated body", WireMockRegisters.search().willReturn(aResponse().withStatus(200)
                        .withHeader("Content-Type", json).withHeader("Content-Length", "4000")
                        .withBody("{\"records\":[{\"recordId\":\"LE-1\",\"givenName\":\"Zebedee\"")), "ERROR", "cut off"),
                fault("a record of the wrong types", WireMockRegisters.search().willReturn(aResponse()
                        .withStatus(200).withHeader("Content-Type", json).withBody("{\"records\":[{\"recordId\":\"LE-9\","
                                + "\"givenName\":[\"Zebedee\"],\"dateOfBirth\":\"ZZ9 9ZZ 1901-02-03\"}]}")), "ERROR", null),
                fault("HTTP 500 with personal data in the body", WireMockRegisters.search().willReturn(aResponse()
                        .withStatus(500).withHeader("Content-Type", json).withBody(CANARY_RECORD)), "ERROR", "HTTP 500"));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder ok(String type) {
        return aResponse().withStatus(200).withHeader("Content-Type", type)
                .withBody(WireMockRegisters.healthyBody(FAULTY));
    }

    private static Arguments fault(String name, MappingBuilder stub, String status, String reason) {
        return Arguments.of(name, stub, status, reason);
    }

    @ParameterizedTest(name = "{0} on one register is {2}, the other four answer")
    @MethodSource("faults")
    void faultOnOneRegisterIsAnHonestPartialAnswer(String name, MappingBuilder stub, String status, String reason,
            VertxTestContext ctx) {
        // GIVEN four healthy registers and Leeds with the fault
        registers.fault(FAULTY, stub);
        // WHEN a child all five would hold is enquired about
        gateway.enquire(token, GatewayHarness.enquiry(WireMockRegisters.GIVEN, WireMockRegisters.FAMILY,
                WireMockRegisters.DOB)).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
                    // THEN an honest partial answer (a hung register is ended by the deadline, or
                    // this test would time out)
                    JsonObject entry = assertPartialAnswer(r, FAULTY, status);
                    if (reason != null) {
                        assertTrue(entry.getString("notice").contains(reason), entry.getString("notice"));
                    }
                    ctx.completeNow();
                })));
    }

    @Test
    void anAnswerArrivingInSeveralChunksIsReadWhole(VertxTestContext ctx) {
        // GIVEN Leeds answers in time but in five chunks, 25 ms apart
        registers.fault(FAULTY, WireMockRegisters.search().willReturn(ok("application/json")
                .withChunkedDribbleDelay(5, 100)));
        // WHEN a child all five hold is enquired about
        gateway.enquire(token, GatewayHarness.enquiry(WireMockRegisters.GIVEN, WireMockRegisters.FAMILY,
                WireMockRegisters.DOB)).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
                    // THEN Leeds is OK with its record, as if it had come in one piece
                    JsonObject answer = r.bodyAsJsonObject();
                    assertEquals(200, r.statusCode(), r.bodyAsString());
                    assertTrue(answer.getBoolean("complete"), r.bodyAsString());
                    assertTrue(r.bodyAsString().contains("\"authority\":\"" + FAULTY + "\",\"recordId\""),
                            r.bodyAsString());
                    ctx.completeNow();
                })));
    }

    @Test
    void connectionResetIsRetriedOnceWithinTheDeadline(VertxTestContext ctx) {
        // GIVEN Leeds resets every connection
        registers.fault(FAULTY, WireMockRegisters.search().willReturn(aResponse()
                .withFault(Fault.CONNECTION_RESET_BY_PEER)));
        // WHEN an enquiry is made
        gateway.enquire(token, GatewayHarness.enquiry(WireMockRegisters.GIVEN, WireMockRegisters.FAMILY,
                WireMockRegisters.DOB)).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
                    // THEN Leeds was asked twice (one retry, no more) and is UNAVAILABLE
                    assertPartialAnswer(r, FAULTY, "UNAVAILABLE");
                    assertEquals(2, registers.server(FAULTY).findAll(postRequestedFor(urlEqualTo("/search"))).size());
                    ctx.completeNow();
                })));
    }

    @Test
    void httpErrorIsNotRetried(VertxTestContext ctx) {
        // GIVEN Leeds answers 503: it was reached, so a retry could add to its load
        registers.fault(FAULTY, WireMockRegisters.search().willReturn(aResponse().withStatus(503)));
        gateway.enquire(token, GatewayHarness.enquiry(WireMockRegisters.GIVEN, WireMockRegisters.FAMILY,
                WireMockRegisters.DOB)).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
                    // THEN it was asked once
                    assertPartialAnswer(r, FAULTY, "UNAVAILABLE");
                    assertEquals(1, registers.server(FAULTY).findAll(postRequestedFor(urlEqualTo("/search"))).size());
                    ctx.completeNow();
                })));
    }

    @ParameterizedTest(name = "{0} on the only register that holds the child is not-all-checked, never none-found")
    @MethodSource("faults")
    void faultOnTheOnlyRegisterHoldingTheChildIsNeverANoRecordAnswer(String name, MappingBuilder stub, String status,
            String reason, VertxTestContext ctx) {
        // GIVEN four healthy registers that hold no such child, and Leeds, the only holder, with the fault
        WireMockRegisters.AUTHORITIES.stream().filter(a -> !a.equals(FAULTY)).forEach(registers::holdsNothing);
        registers.fault(FAULTY, stub);
        // WHEN the child is enquired about
        gateway.enquire(token, GatewayHarness.enquiry(WireMockRegisters.GIVEN, WireMockRegisters.FAMILY,
                WireMockRegisters.DOB)).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
                    // THEN no persons and not-all-checked (F5): Leeds' status says why, the others are OK
                    JsonObject leeds = Answers.assertNotAllChecked(r, FAULTY, status);
                    if (reason != null) {
                        assertTrue(leeds.getString("notice").contains(reason), leeds.getString("notice"));
                    }
                    for (String other : WireMockRegisters.AUTHORITIES) {
                        if (!other.equals(FAULTY)) {
                            assertEquals("OK", Answers.registerEntry(r.bodyAsJsonObject(), other).getString("status"));
                        }
                    }
                    ctx.completeNow();
                })));
    }

    @Test
    void callerDeadlineShortensTheRegisterDeadline(VertxTestContext ctx) {
        // GIVEN Leeds answers after 400 ms, within its configured deadline
        registers.fault(FAULTY, WireMockRegisters.search().willReturn(ok("application/json").withFixedDelay(400)));
        // WHEN the caller asks for 150 ms
        gateway.client.post("/api/v1/enquiries").bearerTokenAuthentication(token).putHeader("X-Deadline-Ms", "150")
                .sendJsonObject(GatewayHarness.enquiry(WireMockRegisters.GIVEN, WireMockRegisters.FAMILY,
                        WireMockRegisters.DOB))
                .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
                    // THEN Leeds is TIMEOUT (under its own deadline its 400 ms answer would be OK)
                    // and its notice names 150 ms. The healthy registers are held to 150 ms too,
                    // which a loaded machine may not give them, so only Leeds is asserted here.
                    String text = r.bodyAsString();
                    assertEquals(200, r.statusCode(), text);
                    Answers.assertNoStackTrace(text);
                    assertFalse(r.bodyAsJsonObject().getBoolean("complete"), text);
                    JsonObject leeds = Answers.registerEntry(r.bodyAsJsonObject(), FAULTY);
                    assertEquals("TIMEOUT", leeds.getString("status"), text);
                    assertTrue(leeds.getString("notice").contains("150 ms"), leeds.getString("notice"));
                    ctx.completeNow();
                })));
    }

    @Test
    void callerCannotLengthenTheRegisterDeadline(VertxTestContext ctx) {
        // GIVEN Leeds answers 700 ms after its configured deadline
        registers.fault(FAULTY, WireMockRegisters.search().willReturn(ok("application/json")
                .withFixedDelay((int) DEADLINE_MS + 700)));
        // WHEN the caller asks for 5000 ms
        gateway.client.post("/api/v1/enquiries").bearerTokenAuthentication(token).putHeader("X-Deadline-Ms", "5000")
                .sendJsonObject(GatewayHarness.enquiry(WireMockRegisters.GIVEN, WireMockRegisters.FAMILY,
                        WireMockRegisters.DOB))
                .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
                    // THEN the configured deadline still applies: TIMEOUT (under 5000 ms the answer
                    // would be OK), its notice naming the configured deadline
                    JsonObject leeds = assertPartialAnswer(r, FAULTY, "TIMEOUT");
                    assertTrue(leeds.getString("notice").contains(DEADLINE_MS + " ms"), leeds.getString("notice"));
                    ctx.completeNow();
                })));
    }

    /** The faults whose broken answers carry {@link #CANARIES} in their bodies. */
    static List<Arguments> faultsCarryingCanaries() {
        return faults().filter(a -> {
            String body = ((MappingBuilder) a.get()[1]).build().getResponse().getBody();
            return body != null && CANARIES.stream().anyMatch(body::contains);
        }).toList();
    }

    /** Each log line holding a canary, with the canary it holds. */
    static List<String> canariesIn(List<String> lines) {
        List<String> found = new ArrayList<>();
        for (String line : lines) {
            CANARIES.stream().filter(line::contains).forEach(c -> found.add("'" + c + "' in " + line));
        }
        return found;
    }

    /**
     * The enquiries of every fault whose broken answer carries personal data, run here (so that
     * this test does not depend on the others' order), and the log lines written meanwhile.
     */
    private static List<String> logLinesOfTheFaultsCarryingCanaries() throws Exception {
        int mark = logs.mark();
        for (Arguments fault : faultsCarryingCanaries()) {
            registers.fault(FAULTY, (MappingBuilder) fault.get()[1]);
            HttpResponse<Buffer> r = await(gateway.enquire(token, GatewayHarness.enquiry(WireMockRegisters.GIVEN,
                    WireMockRegisters.FAMILY, WireMockRegisters.DOB)));
            assertPartialAnswer(r, FAULTY, (String) fault.get()[2]);
        }
        return logs.since(mark);
    }

    @Test
    void noPersonalDataOfABrokenRegisterAnswerReachesALogLine() throws Exception {
        // GIVEN Leeds giving, in turn, each broken answer that carries the canary child's details
        List<Arguments> faults = faultsCarryingCanaries();
        assertTrue(faults.size() >= 4, "faults carrying canaries: " + faults.size());
        // WHEN each is enquired about
        List<String> lines = logLinesOfTheFaultsCarryingCanaries();
        // THEN the gateway logged each register it could not check (the lines H5 is about, which
        // carry the failure's reason) and none of the lines holds a canary
        long notChecked = lines.stream().filter(l -> l.contains("register not checked") && l.contains("authority=" + FAULTY))
                .count();
        assertEquals(faults.size(), notChecked, () -> "lines: " + String.join("\n", lines));
        List<String> found = canariesIn(lines);
        assertTrue(found.isEmpty(), () -> found.size() + " canaries in log lines:\n" + String.join("\n", found));
    }

    @Test
    void aCanaryLoggedOnPurposeIsFoundByTheSameCheck() {
        // GIVEN a log line holding a canary, written from this test (never from main code)
        int mark = logs.mark();
        LoggerFactory.getLogger("uk.wycps.test.DeliberateLeak").warn("deliberate leak: familyName={}", CANARIES.get(1));
        // THEN the check above finds it
        List<String> found = canariesIn(logs.since(mark));
        assertEquals(1, found.size(), found::toString);
        assertTrue(found.get(0).startsWith("'" + CANARIES.get(1) + "' in {"), found::toString);
    }

    /**
     * The answer is 200 and partial: {@code faulty} with {@code status} and its notice, every
     * other register OK with its record among the persons, no stack trace. Returns the faulty
     * register's entry.
     */
    static JsonObject assertPartialAnswer(HttpResponse<Buffer> r, String faulty, String status) {
        String text = r.bodyAsString();
        assertEquals(200, r.statusCode(), text);
        Answers.assertNoStackTrace(text);
        CANARIES.forEach(c -> assertFalse(text.contains(c), "a broken answer's data reached the caller: " + text));
        JsonObject answer = r.bodyAsJsonObject();
        assertFalse(answer.getBoolean("complete"), text);
        assertEquals("found", answer.getString("outcome"), text);
        JsonArray regs = answer.getJsonArray("registers");
        assertEquals(5, regs.size(), text);
        JsonObject faultyEntry = null;
        for (int i = 0; i < regs.size(); i++) {
            JsonObject part = regs.getJsonObject(i);
            if (part.getString("authority").equals(faulty)) {
                faultyEntry = part;
                assertEquals(status, part.getString("status"), text);
                assertTrue(part.getString("notice").contains("was not checked"), text);
                assertTrue(part.getString("notice").contains("This is not a 'no record' result."), text);
            } else {
                assertEquals("OK", part.getString("status"), text);
                assertNull(part.getString("notice"), text);
            }
        }
        Set<String> released = new HashSet<>();
        JsonArray persons = answer.getJsonArray("persons");
        for (int i = 0; i < persons.size(); i++) {
            JsonArray records = persons.getJsonObject(i).getJsonArray("records");
            for (int j = 0; j < records.size(); j++) {
                released.add(records.getJsonObject(j).getString("recordId"));
            }
        }
        Set<String> expected = new HashSet<>();
        WireMockRegisters.AUTHORITIES.stream().filter(a -> !a.equals(faulty))
                .forEach(a -> expected.add(WireMockRegisters.recordId(a)));
        assertEquals(expected, released, text);
        return faultyEntry;
    }
}
