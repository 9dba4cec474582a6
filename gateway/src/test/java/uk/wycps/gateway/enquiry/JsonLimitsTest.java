package uk.wycps.gateway.enquiry;

import static uk.wycps.gateway.support.Answers.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static uk.wycps.gateway.support.ErrorBodies.assertError;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.support.GatewayHarness;

/**
 * Explicit JSON parser limits on request bodies (issue 14 item 7): a body nested past 32 levels,
 * repeating a key, with an over-long number or key, or not UTF-8, is a 400 that names the limit
 * and echoes nothing of the body, on both routes that read a body. Register answers go through
 * the same reader ({@code RecordJsonLimitsTest} in the record module, {@code LegacyContractTest}).
 */
@ExtendWith(VertxExtension.class)
class JsonLimitsTest {

    private static GatewayHarness harness;
    private static String token;

    @BeforeAll
    static void start(Vertx vertx, VertxTestContext ctx) {
        GatewayHarness.start(vertx, List.of(RegisterSettings.of("leeds", "canonical-json", URI.create("http://127.0.0.1:1"))),
                new InMemoryAuditSink()).onComplete(ctx.succeeding(h -> {
                    harness = h;
                    token = h.issuer.token("child-worker", "social-services", "leeds");
                    ctx.completeNow();
                }));
    }

    @AfterAll
    static void stop(VertxTestContext ctx) {
        harness.close().onComplete(ctx.succeedingThenComplete());
    }

    private static final String DECLARATION = "\"purpose\": {\"code\": \"register-check\", \"justification\": \"j\"},"
            + " \"consent\": {\"status\": \"not-sought\", \"ground\": \"authorised-register-check\"}";

    private static HttpResponse<Buffer> post(String path, Buffer body) throws Exception {
        return harness.client.post(path).bearerTokenAuthentication(token).putHeader("Content-Type", "application/json")
                .sendBuffer(body).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static void assertRefused(Buffer body, String says) throws Exception {
        for (String path : new String[] {"/api/v1/enquiries", "/api/v1/policy/explain"}) {
            HttpResponse<Buffer> r = post(path, body);
            assertError(r, 400, "malformed-json");
            assertTrue(r.bodyAsString().contains(says), r.bodyAsString());
            assertFalse(r.bodyAsString().contains("Secretname"), "nothing of the body is echoed");
        }
    }

    @Test
    void aBodyNestedDeeperThan32LevelsIs400() throws Exception {
        String deep = "[".repeat(40) + "]".repeat(40);
        assertRefused(Buffer.buffer("{" + DECLARATION + ", \"registers\": " + deep + "}"), "nests deeper than 32");
    }

    @Test
    void aKeyRepeatedInOneObjectIs400NotTheLastValueWinning() throws Exception {
        assertRefused(Buffer.buffer("{" + DECLARATION + ", \"subject\": {\"familyName\": \"Secretname\","
                + " \"familyName\": \"Khan\", \"givenName\": \"Aisha\"}}"), "repeats a key");
        assertRefused(Buffer.buffer("{" + DECLARATION + ", \"purpose\": {\"code\": \"planning\", \"justification\": \"j\"}}"),
                "repeats a key");
    }

    @Test
    void anOverLongNumberOrKeyIs400() throws Exception {
        assertRefused(Buffer.buffer("{" + DECLARATION + ", \"registers\": [" + "9".repeat(40) + "]}"), "longer than allowed");
        assertRefused(Buffer.buffer("{" + DECLARATION + ", \"" + "k".repeat(300) + "\": 1}"), "longer than allowed");
    }

    @Test
    void aBodyThatIsNotUtf8Is400() throws Exception {
        Buffer body = Buffer.buffer("{" + DECLARATION + ", \"subject\": {\"familyName\": \"");
        body.appendBytes(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
        body.appendString("\", \"givenName\": \"Aisha\"}}");
        assertRefused(body, "not well-formed JSON in UTF-8");
    }

    @Test
    void theSameBodyWithinTheLimitsIsAnswered() throws Exception {
        HttpResponse<Buffer> r = post("/api/v1/policy/explain", Buffer.buffer("{" + DECLARATION + ", \"registers\": [\"leeds\"]}"));
        assertTrue(r.statusCode() == 200, r.bodyAsString());
    }

}
