package uk.wycps.gateway.observability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.http.Fault;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.fanout.WireMockRegisters;
import uk.wycps.gateway.support.GatewayHarness;

/**
 * The canary scan (H5, O3): enquiries, refusals and register faults made with canary personal
 * data (names, a date of birth, a postcode), then every log line, span (attributes and events),
 * metric and health body searched for them; none may appear. A canary logged on purpose from
 * this test shows that the scan finds what it looks for. The same run's log lines are each one
 * JSON object, and those of an enquiry carry its enquiry, correlation and trace ids.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CanaryScanTest {

    static final String GIVEN = "Zephyrine";
    static final String FAMILY = "Quillfeather";
    static final String OTHER_GIVEN = "Ottoline";
    static final String ALIAS_FAMILY = "Brackenridge";
    static final String DOB = "2011-07-23";
    static final String POSTCODE = "WF9 9ZZ";
    static final String STREET = "Cindervale Terrace";
    static final List<String> CANARIES = List.of(GIVEN, FAMILY, OTHER_GIVEN, ALIAS_FAMILY, DOB, "20110723",
            "23/07/2011", POSTCODE, "WF99ZZ", STREET);
    static final String CORRELATION = "canary-scan-1";

    private TelemetryCapture capture;
    private Vertx vertx;
    private WireMockRegisters registers;
    private GatewayHarness gateway;
    private String enquiryId;
    private final List<String> bodies = new ArrayList<>();

    @BeforeAll
    void runEverythingWithCanaries() {
        capture = new TelemetryCapture();
        vertx = capture.telemetry.vertx(new VertxOptions());
        registers = new WireMockRegisters(false);
        // GIVEN registers that answer with the canary child, fail with it in their bodies, or fail outright
        registers.fault("bradford", WireMockRegisters.search().willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(new JsonObject()
                        .put("records", new JsonArray().add(canaryRecord("BR-000001"))).encode())));
        registers.fault("calderdale", WireMockRegisters.search().willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json").withBody(canaryRecord("CA-000001").encode())));
        registers.fault("kirklees", WireMockRegisters.search().willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"records\": [" + canaryRecord("KI-000001").encode())));
        registers.fault("leeds", WireMockRegisters.search().willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody("<p>" + GIVEN + " " + FAMILY + " " + DOB + "</p>")));
        registers.fault("wakefield", WireMockRegisters.search().willReturn(aResponse()
                .withFault(Fault.CONNECTION_RESET_BY_PEER)));
        gateway = GatewayHarness.start(vertx, registers.settingsAll(2000, new JsonObject()), new InMemoryAuditSink(),
                capture.telemetry).await();
        // A worker who may see every register: each register's search is then part of the answer
        // and of its trace (a withheld register is searched after the answer, A9: see below).
        String worker = gateway.issuer.token("child-worker", "social-services", "leeds", "cross-authority:*");
        String localWorker = gateway.issuer.token("child-worker", "social-services", "leeds");
        String analyst = gateway.issuer.token("performance-quality", "social-services", "leeds");

        // WHEN a practitioner enquires about the canary child
        HttpResponse<Buffer> answer = gateway.client.post("/api/v1/enquiries").bearerTokenAuthentication(worker)
                .putHeader("X-Correlation-Id", CORRELATION).sendJsonObject(canaryEnquiry()).await();
        assertEquals(200, answer.statusCode(), answer::bodyAsString);
        enquiryId = answer.bodyAsJsonObject().getString("enquiryId");
        // AND a slow register makes one more enquiry time out
        registers.fault("bradford", WireMockRegisters.search().willReturn(aResponse().withStatus(200).withFixedDelay(1500)
                .withHeader("Content-Type", "application/json").withBody("{\"records\":[]}")));
        send(worker, canaryEnquiry(), "X-Deadline-Ms", "200");
        // AND requests that are refused, each carrying the canaries
        JsonObject wildcard = canaryEnquiry();
        wildcard.getJsonObject("subject").put("familyName", FAMILY + "*");
        send(worker, wildcard);
        JsonObject unknownField = canaryEnquiry();
        unknownField.getJsonObject("subject").put(GIVEN, FAMILY);
        send(worker, unknownField);
        JsonObject wrongType = canaryEnquiry();
        wrongType.getJsonObject("subject").put("dateOfBirth", new JsonArray().add(DOB));
        send(worker, wrongType);
        JsonObject control = canaryEnquiry();
        control.getJsonObject("subject").put("givenName", GIVEN + "\u202E");
        send(worker, control);
        JsonObject planning = canaryEnquiry();
        planning.getJsonObject("purpose").put("code", "planning");
        send(worker, planning);
        send(analyst, canaryEnquiry());
        // AND a worker from whom the other registers are withheld: searched after the answer
        send(localWorker, canaryEnquiry());
        send(null, canaryEnquiry());
        bodies.add(gateway.client.post("/api/v1/enquiries").bearerTokenAuthentication(worker)
                .putHeader("Content-Type", "application/json")
                .sendBuffer(Buffer.buffer("{\"subject\": {\"familyName\": \"" + FAMILY + "\", \"dateOfBirth\": \"" + DOB))
                .await().bodyAsString());
        bodies.add(gateway.client.post("/api/v1/policy/explain").bearerTokenAuthentication(worker)
                .sendJsonObject(canaryEnquiry().put("subject", "x")).await().bodyAsString());
        bodies.add(gateway.client.get("/api/v1/audit?recordId=" + FAMILY + "&from=" + DOB).bearerTokenAuthentication(worker)
                .send().await().bodyAsString());
    }

    private void send(String token, JsonObject body, String... header) {
        var request = gateway.client.post("/api/v1/enquiries").putHeader("X-Correlation-Id", CORRELATION);
        if (token != null) {
            request.bearerTokenAuthentication(token);
        }
        for (int i = 0; i + 1 < header.length; i += 2) {
            request.putHeader(header[i], header[i + 1]);
        }
        bodies.add(request.sendJsonObject(body).await().bodyAsString());
    }

    static JsonObject canaryRecord(String recordId) {
        return new JsonObject().put("recordId", recordId).put("givenName", GIVEN).put("familyName", FAMILY)
                .put("dateOfBirth", DOB).put("gender", "female")
                .put("aliases", new JsonArray().add(new JsonObject().put("givenName", OTHER_GIVEN)
                        .put("familyName", ALIAS_FAMILY)))
                .put("address", new JsonObject().put("line1", "7 " + STREET).put("town", "Hemsworth")
                        .put("postcode", POSTCODE).put("authority", "wakefield"));
    }

    static JsonObject canaryEnquiry() {
        return new JsonObject()
                .put("subject", new JsonObject().put("givenName", GIVEN).put("familyName", FAMILY)
                        .put("otherGivenNames", new JsonArray().add(OTHER_GIVEN))
                        .put("aliases", new JsonArray().add(new JsonObject().put("familyName", ALIAS_FAMILY)))
                        .put("dateOfBirth", DOB).put("gender", "female").put("postcode", POSTCODE))
                .put("purpose", new JsonObject().put("code", "register-check")
                        .put("justification", "School nurse referral for " + GIVEN + " " + FAMILY + " of " + POSTCODE))
                .put("consent", new JsonObject().put("status", "not-sought").put("ground", "authorised-register-check"));
    }

    @AfterAll
    void stop() {
        gateway.close().await();
        vertx.close().await();
        registers.close();
        capture.close();
    }

    /** Logs, spans, metrics and health bodies, scanned for every canary. */
    private List<String> scan() {
        List<String> findings = new ArrayList<>();
        findings.addAll(TelemetryCapture.findings("log", capture.logLines(), CANARIES));
        findings.addAll(TelemetryCapture.findings("span", capture.spanTexts(), CANARIES));
        for (String path : List.of("/metrics", "/health/ready", "/health/live")) {
            // Metrics and readiness are served on the management listener only.
            HttpResponse<Buffer> r = gateway.management.get(path).send().await();
            assertTrue(r.statusCode() == 200 || r.statusCode() == 503, () -> path + " answered " + r.statusCode());
            findings.addAll(TelemetryCapture.findings(path, List.of(r.bodyAsString()), CANARIES));
        }
        assertTrue(gateway.management.get("/metrics").send().await().bodyAsString()
                .contains("wycps_register_searches_seconds"), "the metrics body is the real one");
        return findings;
    }

    @Test
    @Order(1)
    void noCanaryAppearsInAnyLogLineSpanMetricOrHealthBody() {
        // The scan has material: log lines and spans of the runs above, and refusals answered.
        assertFalse(capture.logLines().isEmpty(), "no log line captured");
        assertTrue(capture.spanTexts().stream().anyMatch(s -> s.startsWith("register ")), "no register span captured");
        assertEquals(13, bodies.size() + 1);
        List<String> findings = scan();
        assertTrue(findings.isEmpty(), () -> findings.size() + " canaries found:\n" + String.join("\n", findings));
    }

    /** Last: its deliberate line stays in the capture. */
    @Test
    @Order(3)
    void aCanaryLoggedOnPurposeIsFoundByTheScan() {
        // GIVEN a log line holding a canary, written from this test (never from main code)
        LoggerFactory.getLogger("uk.wycps.test.DeliberateLeak").warn("deliberate leak: familyName={}", FAMILY);
        // THEN the same scan reports it
        List<String> findings = scan();
        assertTrue(findings.stream().anyMatch(f -> f.startsWith("log holds '" + FAMILY + "'")), findings::toString);
    }

    @Test
    @Order(2)
    void everyLogLineIsOneJsonObjectAndAnEnquirysLinesCarryItsIds() {
        List<String> lines = capture.logLines();
        List<JsonObject> parsed = new ArrayList<>();
        for (String line : lines) {
            JsonObject json = new JsonObject(line); // throws, failing the test, unless one JSON object
            assertTrue(json.containsKey("@timestamp") && json.containsKey("level") && json.containsKey("message"), line);
            parsed.add(json);
        }
        // The four registers that could not be checked each gave a line during the first enquiry.
        List<JsonObject> ofEnquiry = parsed.stream()
                .filter(j -> j.getString("message").contains("enquiryId=" + enquiryId)).toList();
        assertTrue(ofEnquiry.size() >= 4, () -> "lines of the enquiry: " + ofEnquiry);
        String traceId = capture.spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals("enquiry"))
                .filter(s -> enquiryId.equals(s.getAttributes().get(uk.wycps.gateway.tracing.Telemetry.ENQUIRY_ID)))
                .findFirst().orElseThrow().getTraceId();
        for (JsonObject line : ofEnquiry) {
            assertEquals(enquiryId, line.getString("enquiryId"), line::encode);
            assertEquals(CORRELATION, line.getString("correlationId"), line::encode);
            assertEquals(traceId, line.getString("traceId"), line::encode);
        }
    }
}
