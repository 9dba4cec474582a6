package uk.wycps.gateway.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.enquiry.EnquiryService;
import uk.wycps.gateway.support.FederationHarness;
import uk.wycps.gateway.support.GatewayHarness;
import uk.wycps.gateway.tracing.Telemetry;
import uk.wycps.mock.FaultMode;
import uk.wycps.mock.FaultSettings;
import uk.wycps.mock.MockRegister;
import uk.wycps.record.ChildRecord;

/**
 * The canary scan over a federation of every dialect (H5, O3): the five mock registers
 * (canonical-json, mapped-json, fhir-r4 whose searches carry the names in the query string,
 * legacy-two-step and sql-jdbc) behind a traced gateway. Enquiries about an invented canary
 * child (no register holds it: its details travel to every register in every dialect) and about
 * one real synthetic child of each register (its record comes back, name, address and all), by
 * a caller who may see every register and by one who may not (the withheld registers are then
 * searched after the answer), some while registers misbehave. Then every log line (gateway and
 * registers), every span with its attributes and events, and the management listener's metrics
 * and health bodies are searched for every name, date of birth, postcode and street: none may
 * appear. A canary logged on purpose from this test shows the scan can fail.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FederationCanaryScanTest {

    private static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
    private static final AttributeKey<String> HTTP_URL = AttributeKey.stringKey("http.url");

    /**
     * The invented child's details, and as they look in a query string (the FHIR and legacy
     * registers are searched with GET: {@code POSTCODE=WF9+9ZZ}, {@code birthdate=2011-07-23}).
     */
    static final List<String> CANARIES = java.util.stream.Stream.concat(CanaryScanTest.CANARIES.stream(),
            java.util.stream.Stream.of("WF9+9ZZ", "WF9%209ZZ", "23%2F07%2F2011", "Cindervale+Terrace",
                    "Cindervale%20Terrace")).toList();

    private TelemetryCapture capture;
    private Vertx vertx;
    private InMemoryAuditSink audit;
    private FederationHarness federation;
    /** The real children enquired about, one per register. */
    private final List<ChildRecord> children = new ArrayList<>();
    /** Their details, matched as whole words (a name is a word; "Lee" must not match "leeds"). */
    private final List<Pattern> childCanaries = new ArrayList<>();
    private int restrictedEnquiries;
    private int found;

    @BeforeAll
    void runEnquiriesOverEveryDialect() throws Exception {
        capture = new TelemetryCapture();
        vertx = capture.telemetry.vertx(new VertxOptions());
        audit = new InMemoryAuditSink();
        federation = FederationHarness.start(vertx, audit, capture.telemetry).await();
        GatewayHarness gateway = federation.gateway;
        // GIVEN a caller who may see every register, and one who may see only Leeds's
        String everywhere = gateway.issuer.token("child-worker", "social-services", "leeds", "cross-authority:*");
        String leedsOnly = gateway.issuer.token("child-worker", "social-services", "leeds");

        for (MockRegister register : federation.mocks.registers()) {
            ChildRecord child = register.records().get(7);
            children.add(child);
            addChildCanaries(child);
        }
        // WHEN the canary child, who is on no register, is enquired about by both callers
        enquire(everywhere, CanaryScanTest.canaryEnquiry());
        enquire(leedsOnly, CanaryScanTest.canaryEnquiry());
        restrictedEnquiries++;
        // AND each real child, found in its register (its record, address and all, comes back)
        for (ChildRecord child : children) {
            JsonObject body = GatewayHarness.enquiry(child.givenName(), child.familyName(), child.dateOfBirth().toString());
            HttpResponse<Buffer> answer = enquire(everywhere, body);
            if ("found".equals(answer.bodyAsJsonObject().getString("outcome"))) {
                found++;
            }
            enquire(leedsOnly, body);
            restrictedEnquiries++;
        }
        // AND the canary child again while every HTTP register misbehaves in its own way
        List<FaultMode> modes = List.of(FaultMode.ERROR, FaultMode.MALFORMED, FaultMode.WRONG_CONTENT_TYPE,
                FaultMode.RESET, FaultMode.ERROR);
        List<MockRegister> registers = federation.mocks.registers();
        for (int i = 0; i < registers.size(); i++) {
            registers.get(i).setFaults(FaultSettings.mode(modes.get(i)));
        }
        enquire(everywhere, CanaryScanTest.canaryEnquiry());
        ChildRecord first = children.get(0);
        enquire(everywhere, GatewayHarness.enquiry(first.givenName(), first.familyName(), first.dateOfBirth().toString()));
        registers.forEach(MockRegister::clearFaults);

        // The withheld registers are searched after the answers: wait until each of those
        // searches is audited, so that its spans and lines are in the capture.
        for (int i = 0; i < 400 && withheldSearched() < restrictedEnquiries; i++) {
            Thread.sleep(25);
        }
    }

    private HttpResponse<Buffer> enquire(String token, JsonObject body) {
        return federation.gateway.client.post("/api/v1/enquiries").bearerTokenAuthentication(token)
                .putHeader("X-Correlation-Id", "federation-canary-scan").sendJsonObject(body).await();
    }

    private long withheldSearched() {
        return audit.entries().stream().filter(e -> e.result().startsWith(EnquiryService.WITHHELD_SEARCHED)).count();
    }

    private void addChildCanaries(ChildRecord child) {
        Set<String> words = new LinkedHashSet<>();
        words.add(child.givenName());
        words.add(child.familyName());
        child.aliases().forEach(a -> {
            words.add(a.givenName());
            words.add(a.familyName());
        });
        words.add(child.dateOfBirth().toString());
        words.add(child.dateOfBirth().format(DateTimeFormatter.BASIC_ISO_DATE));
        words.add(child.dateOfBirth().format(DateTimeFormatter.ofPattern("dd/MM/yyyy")));
        words.add(child.dateOfBirth().format(DateTimeFormatter.ofPattern("dd'%2F'MM'%2F'yyyy")));
        if (child.address() != null) {
            words.add(child.address().postcode());
            words.add(child.address().postcode().replace(" ", ""));
            words.add(child.address().postcode().replace(" ", "+"));
            words.add(child.address().postcode().replace(" ", "%20"));
            words.add(child.address().line1());
        }
        for (String word : words) {
            if (word != null && !word.isBlank()) {
                childCanaries.add(Pattern.compile("(?<![\\p{L}\\d])" + Pattern.quote(word) + "(?![\\p{L}\\d])"));
            }
        }
    }

    @AfterAll
    void stop() {
        federation.close().await();
        vertx.close().await();
        capture.close();
    }

    /** Every log line, span, metric and health body, searched for every canary. */
    private List<String> scan() {
        List<String> texts = new ArrayList<>();
        List<String> findings = new ArrayList<>();
        findings.addAll(TelemetryCapture.findings("log", capture.logLines(), CANARIES));
        findings.addAll(TelemetryCapture.findings("span", capture.spanTexts(), CANARIES));
        findings.addAll(childFindings("log", capture.logLines()));
        findings.addAll(childFindings("span", capture.spanTexts()));
        for (String path : List.of("/metrics", "/health/ready", "/health/live")) {
            HttpResponse<Buffer> r = federation.gateway.management.get(path).send().await();
            assertTrue(r.statusCode() == 200 || r.statusCode() == 503, () -> path + " answered " + r.statusCode());
            texts.add(r.bodyAsString());
            findings.addAll(TelemetryCapture.findings(path, List.of(r.bodyAsString()), CANARIES));
            findings.addAll(childFindings(path, List.of(r.bodyAsString())));
        }
        assertTrue(texts.get(0).contains("wycps_register_searches_seconds"), "the metrics body is the real one");
        return findings;
    }

    private List<String> childFindings(String where, List<String> texts) {
        List<String> out = new ArrayList<>();
        for (String text : texts) {
            for (Pattern p : childCanaries) {
                if (p.matcher(text).find()) {
                    out.add(where + " holds '" + p.pattern() + "': " + text);
                }
            }
        }
        return out;
    }

    @Test
    @Order(1)
    void theScanHadMaterialFromEveryDialect() {
        // Each real child was found, and the restricted caller's withheld searches all ran.
        assertEquals(children.size(), found, "every real child found in its register");
        assertEquals(restrictedEnquiries, withheldSearched(), "every withheld search audited");
        // A register span of every dialect, and HTTP client spans under them.
        Set<String> dialects = capture.spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().startsWith("register "))
                .map(s -> s.getAttributes().get(Telemetry.DIALECT)).collect(Collectors.toSet());
        assertEquals(Set.of("canonical-json", "mapped-json", "fhir-r4", "legacy-two-step", "sql-jdbc"), dialects);
        // The FHIR register's searches were traced: its client spans exist (their query strings
        // held the names before QueryRedaction cut them).
        int fhirPort = federation.mocks.registers().stream().filter(r -> r.dialect().equals("fhir-r4"))
                .findFirst().orElseThrow().port();
        List<SpanData> fhirClientSpans = capture.spans.getFinishedSpanItems().stream()
                .filter(s -> s.getKind() == SpanKind.CLIENT)
                .filter(s -> String.valueOf(s.getAttributes().asMap()).contains(":" + fhirPort)
                        || String.valueOf(s.getAttributes().get(URL_FULL)).contains(":" + fhirPort)
                        || String.valueOf(s.getAttributes().get(HTTP_URL)).contains(":" + fhirPort))
                .toList();
        assertFalse(fhirClientSpans.isEmpty(), () -> "no client span to the FHIR register: "
                + capture.spanTexts().stream().filter(t -> t.contains("CLIENT") || t.contains("url")).toList());
        assertFalse(capture.logLines().isEmpty(), "no log line captured");
    }

    @Test
    @Order(2)
    void noCanaryNameDateOfBirthOrPostcodeAppearsInAnyLogLineSpanMetricOrHealthBody() {
        List<String> findings = scan();
        assertTrue(findings.isEmpty(), () -> findings.size() + " canaries found:\n" + String.join("\n", findings));
    }

    /** Last: its deliberate line stays in the capture. */
    @Test
    @Order(3)
    void aRealChildsNameLoggedOnPurposeIsFoundByTheScan() {
        // GIVEN a log line holding the FHIR register's child's family name, written from this test (never from main code)
        ChildRecord fhirChild = children.get(federation.mocks.registers().stream().map(MockRegister::dialect).toList()
                .indexOf("fhir-r4"));
        LoggerFactory.getLogger("uk.wycps.test.DeliberateLeak").warn("deliberate leak: familyName={}",
                fhirChild.familyName());
        // THEN the same scan reports it
        List<String> findings = scan();
        assertTrue(findings.stream().anyMatch(f -> f.startsWith("log holds") && f.contains(fhirChild.familyName())),
                findings::toString);
    }
}
