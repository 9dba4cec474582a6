package uk.wycps.gateway.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.support.FederationHarness;

/**
 * {@link Telemetry#fromEnvironment} (O3, H5): tracing is off unless the standard variables turn
 * it on; turned on, it exports by OTLP to the configured endpoint, and the exported spans of a
 * register searched with the names in its query string (the FHIR and legacy registers) hold the
 * path but not the query ({@link QueryRedaction}).
 */
class TelemetryFromEnvironmentTest {

    private static final String GIVEN = "Zephyrine";
    private static final String FAMILY = "Quillfeather";
    private static final String DOB = "2011-07-23";
    private static final String POSTCODE = "WF9 9ZZ";

    @Test
    void withNoOtelSettingsTracingIsOff() {
        for (Map<String, String> settings : List.of(
                Map.<String, String>of(),
                // an endpoint alone does not turn tracing on: OTEL_SDK_DISABLED=false does
                Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318"),
                Map.of("OTEL_SDK_DISABLED", "true"),
                Map.of("OTEL_SDK_DISABLED", "false", "otel.sdk.disabled", "true"))) {
            Telemetry telemetry = Telemetry.fromEnvironment(settings);
            assertFalse(telemetry.enabled(), settings::toString);
            // no span is made, and the Vert.x it gives traces nothing
            assertFalse(telemetry.startEnquiry("c-1").getSpanContext().isValid(), settings::toString);
            assertFalse(telemetry.openTelemetry().getTracer("t").spanBuilder("s").startSpan().getSpanContext().isValid());
        }
    }

    @Test
    void thisProcessHasNoOtelSettingsSoTheGatewayStartsWithoutTracing() {
        assumeTrue(System.getenv().keySet().stream().noneMatch(k -> k.startsWith("OTEL_"))
                && System.getProperties().stringPropertyNames().stream().noneMatch(k -> k.startsWith("otel.")),
                "this process has OTEL settings of its own");
        assertFalse(Telemetry.fromEnvironment().enabled());
    }

    @Test
    void turnedOnItExportsByOtlpAndNoClientSpanHoldsAQueryString() throws Exception {
        // GIVEN an OTLP receiver that keeps every export it is sent
        Vertx receiverVertx = Vertx.vertx();
        List<byte[]> exports = new CopyOnWriteArrayList<>();
        HttpServer receiver = receiverVertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            if (request.path().equals("/v1/traces")) {
                exports.add(body.getBytes());
            }
            request.response().putHeader("Content-Type", "application/x-protobuf").end();
        })).listen(0, "127.0.0.1").await();
        // AND tracing turned on by the standard variables only
        Telemetry telemetry = Telemetry.fromEnvironment(Map.of(
                "OTEL_SDK_DISABLED", "false",
                "OTEL_TRACES_EXPORTER", "otlp",
                "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + receiver.actualPort(),
                "OTEL_SERVICE_NAME", "wycps-gateway-test"));
        assertTrue(telemetry.enabled());
        Vertx vertx = telemetry.vertx(new VertxOptions());
        FederationHarness federation = FederationHarness.start(vertx, new InMemoryAuditSink(), telemetry).await();
        try {
            // WHEN a caller who may see every register enquires, the names travelling to each
            String token = federation.gateway.issuer.token("child-worker", "social-services", "leeds",
                    "cross-authority:*");
            JsonObject enquiry = new JsonObject()
                    .put("subject", new JsonObject().put("givenName", GIVEN).put("familyName", FAMILY)
                            .put("dateOfBirth", DOB).put("postcode", POSTCODE))
                    .put("purpose", new JsonObject().put("code", "register-check").put("justification", "Referral"))
                    .put("consent", new JsonObject().put("status", "not-sought").put("ground", "authorised-register-check"));
            HttpResponse<Buffer> answer = federation.gateway.enquire(token, enquiry).await();
            assertEquals(200, answer.statusCode(), answer::bodyAsString);
            JsonArray registers = answer.bodyAsJsonObject().getJsonArray("registers");
            assertEquals(5, registers.size());
        } finally {
            federation.close().await();
            vertx.close().await();
            telemetry.close(); // flushes the batch to the receiver
            receiver.close().await();
            receiverVertx.close().await();
        }

        // THEN spans were exported, with the gateway's service name and the register spans
        String exported = new String(exports.stream().reduce(new byte[0], TelemetryFromEnvironmentTest::concat),
                StandardCharsets.ISO_8859_1);
        assertFalse(exports.isEmpty(), "nothing exported");
        assertTrue(exported.contains("wycps-gateway-test"), "the service name from OTEL_SERVICE_NAME");
        assertTrue(exported.contains("register kirklees") && exported.contains("fhir-r4"), "the FHIR register's span");
        // AND the HTTP client spans name the paths they called, the legacy register's among them
        assertTrue(exported.contains("url.full"), "client spans with their URL");
        assertTrue(exported.contains("/cpr/find"), "the legacy register's search path");
        // AND no exported byte holds a name, the date of birth or the postcode, in any encoding
        for (String canary : List.of(GIVEN, FAMILY, DOB, "20110723", "WF9+9ZZ", "WF9%209ZZ", POSTCODE, "WF99ZZ",
                "SURNAME=", "family=")) {
            assertFalse(exported.contains(canary), () -> "the export holds '" + canary + "'");
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
