package uk.wycps.gateway.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.fanout.WireMockRegisters;
import uk.wycps.gateway.support.GatewayHarness;

/**
 * Verifies that one enquiry is one trace (O3): it continues the caller's {@code traceparent},
 * holds one enquiry span with a child span per register exchange (authority, dialect, status,
 * attempt), and each register received the trace context in the request it was sent.
 */
class EnquiryTracingTest {

    private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";

    private InMemorySpanExporter spans;
    private OpenTelemetrySdk sdk;
    private Vertx vertx;
    private WireMockRegisters registers;
    private GatewayHarness gateway;

    @BeforeEach
    void start() {
        spans = InMemorySpanExporter.create();
        sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(uk.wycps.gateway.tracing.QueryRedaction.applyTo(SdkTracerProvider.builder())
                        .addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        Telemetry telemetry = Telemetry.with(sdk);
        vertx = telemetry.vertx(new VertxOptions());
        registers = new WireMockRegisters(true);
        gateway = GatewayHarness.start(vertx, registers.settingsAll(2000, new JsonObject()), new InMemoryAuditSink(),
                telemetry).await();
    }

    @AfterEach
    void stop() {
        gateway.close().await();
        vertx.close().await();
        registers.close();
        sdk.close();
    }

    @Test
    void oneEnquiryIsOneTraceWithAChildSpanPerRegisterAndEachRegisterReceivedTheTraceContext() throws Exception {
        // GIVEN a caller whose own trace is under way, who may see every register (a withheld
        // register is searched after the answer, A9: its span, in the same trace, ends later)
        String token = gateway.issuer.token("child-worker", "social-services", "leeds", "cross-authority:*");
        // WHEN it makes one enquiry of the five registers
        HttpResponse<Buffer> answer = gateway.client.post("/api/v1/enquiries").bearerTokenAuthentication(token)
                .putHeader("traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01")
                .sendJsonObject(GatewayHarness.enquiry(WireMockRegisters.GIVEN, WireMockRegisters.FAMILY,
                        WireMockRegisters.DOB))
                .await();
        assertEquals(200, answer.statusCode(), answer::bodyAsString);
        String enquiryId = answer.bodyAsJsonObject().getString("enquiryId");
        List<SpanData> all = awaitSpans(s -> s.getKind() == SpanKind.SERVER);

        // THEN every span is in the caller's trace
        assertTrue(all.stream().allMatch(s -> s.getTraceId().equals(CALLER_TRACE)),
                () -> "spans outside the caller's trace: " + all);
        // AND the server span continues the caller's span, the enquiry span hangs under it
        SpanData server = only(all, s -> s.getKind() == SpanKind.SERVER);
        assertEquals(CALLER_SPAN, server.getParentSpanId());
        SpanData enquiry = only(all, s -> s.getName().equals("enquiry"));
        assertEquals(server.getSpanId(), enquiry.getParentSpanId());
        assertEquals(enquiryId, enquiry.getAttributes().get(Telemetry.ENQUIRY_ID));
        assertEquals("found", enquiry.getAttributes().get(Telemetry.OUTCOME));
        // AND one child span per register, with its authority, dialect, status and attempt
        Map<String, SpanData> byAuthority = all.stream().filter(s -> s.getName().startsWith("register "))
                .collect(Collectors.toMap(s -> s.getAttributes().get(Telemetry.AUTHORITY), Function.identity()));
        assertEquals(Set5.AUTHORITIES, byAuthority.keySet());
        for (SpanData register : byAuthority.values()) {
            assertEquals(enquiry.getSpanId(), register.getParentSpanId());
            assertEquals("canonical-json", register.getAttributes().get(Telemetry.DIALECT));
            assertEquals("OK", register.getAttributes().get(Telemetry.STATUS));
            assertEquals(1L, register.getAttributes().get(Telemetry.ATTEMPT));
            assertEquals(enquiryId, register.getAttributes().get(Telemetry.ENQUIRY_ID));
        }
        // AND each register received a traceparent naming an HTTP client span under its register span
        for (String authority : WireMockRegisters.AUTHORITIES) {
            List<LoggedRequest> received = registers.server(authority).findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/search")));
            assertEquals(1, received.size());
            String traceparent = received.get(0).getHeader("traceparent");
            assertNotNull(traceparent, authority + " received no trace context");
            String[] parts = traceparent.split("-");
            assertEquals(CALLER_TRACE, parts[1]);
            SpanData client = only(all, s -> s.getSpanId().equals(parts[2]));
            assertEquals(SpanKind.CLIENT, client.getKind());
            assertEquals(byAuthority.get(authority).getSpanId(), client.getParentSpanId());
        }
    }

    @Test
    void registerLatencyBucketsCarryExemplarsOfTheEnquirysTraceBesideTheGuardAndOutboxGauges() throws Exception {
        // GIVEN one traced enquiry of the five registers, all visible to the caller
        String token = gateway.issuer.token("child-worker", "social-services", "leeds", "cross-authority:*");
        HttpResponse<Buffer> answer = gateway.client.post("/api/v1/enquiries").bearerTokenAuthentication(token)
                .putHeader("traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01")
                .sendJsonObject(GatewayHarness.enquiry(WireMockRegisters.GIVEN, WireMockRegisters.FAMILY,
                        WireMockRegisters.DOB))
                .await();
        assertEquals(200, answer.statusCode());
        // WHEN Prometheus scrapes in the OpenMetrics format
        String metrics = gateway.management.get("/metrics").putHeader("Accept", "application/openmetrics-text")
                .send().await().bodyAsString();
        // THEN a latency bucket of each register names the enquiry's trace
        for (String authority : WireMockRegisters.AUTHORITIES) {
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("wycps_register_searches_seconds_bucket{")
                    && l.contains("authority=\"" + authority + "\"") && l.contains("trace_id=\"" + CALLER_TRACE + "\"")),
                    () -> "no exemplar for " + authority + " in\n" + metrics);
            // AND the breaker, in-flight and outbox gauges are there
            assertTrue(metrics.contains("wycps_register_circuit_state{authority=\"" + authority + "\",state=\"CLOSED\"} 1"),
                    metrics);
            assertTrue(metrics.contains("wycps_register_in_flight{authority=\"" + authority + "\"} 0"), metrics);
            assertTrue(metrics.contains("wycps_outbox_depth{authority=\"" + authority + "\"}"), metrics);
        }
    }

    /** The spans exported so far, once one matching {@code last} has ended (the server's ends after the answer). */
    private List<SpanData> awaitSpans(java.util.function.Predicate<SpanData> last) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            List<SpanData> now = spans.getFinishedSpanItems();
            if (now.stream().anyMatch(last)) {
                return now;
            }
            Thread.sleep(25);
        }
        return spans.getFinishedSpanItems();
    }

    private static SpanData only(List<SpanData> all, java.util.function.Predicate<SpanData> which) {
        List<SpanData> found = all.stream().filter(which).toList();
        assertEquals(1, found.size(), () -> "expected one span, found " + found);
        return found.get(0);
    }

    private static final class Set5 {
        static final java.util.Set<String> AUTHORITIES = java.util.Set.copyOf(WireMockRegisters.AUTHORITIES);
    }
}
