package uk.wycps.gateway.security;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static uk.wycps.gateway.support.Answers.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.config.GatewayConfig;
import uk.wycps.gateway.fanout.WireMockRegisters;
import uk.wycps.gateway.support.GatewayHarness;

/**
 * The attack suite of issue 14 (A1, O2), run in the normal test phase: what an attacker on the
 * network would send to the API, each answered with a clear 4xx (or the connection closed) and
 * no register asked. Attacks already proven elsewhere are not repeated here: forged, expired,
 * wrong-audience, wrong-issuer, {@code alg: none}, HMAC-with-public-key and garbage tokens in
 * AuthenticationTest; unknown {@code kid}, {@code typ} and lifetime in IdentityProviderKeysTest;
 * an oversize body (with a length) and control characters in EnquiryValidationTest; deep
 * nesting, duplicate keys and bodies that are not UTF-8 in JsonLimitsTest; a flood from
 * one caller while another is served, and a flood of bad signatures, in AdmissionControlTest
 * (docs/security.md lists them all).
 */
class AttackSuiteTest {

    private static Vertx vertx;
    private static WireMockRegisters registers;
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        registers = new WireMockRegisters(true);
        // an idle timeout of 1 s, so that a stalled client is seen closed quickly
        gateway = await(GatewayHarness.start(vertx, registers.settings(null, 2000, 1 << 20, 64, null),
                new InMemoryAuditSink(), c -> c.withHttp(new GatewayConfig.Http("127.0.0.1", 0,
                        GatewayConfig.Http.DEFAULT_MAX_BODY_BYTES, 1))));
    }

    @AfterAll
    static void stop() throws Exception {
        await(gateway.close());
        registers.close();
        await(vertx.close());
    }

    @BeforeEach
    void healthy() {
        WireMockRegisters.AUTHORITIES.forEach(registers::healthy);
    }

    private static int searches() {
        int n = 0;
        for (String a : WireMockRegisters.AUTHORITIES) {
            n += registers.server(a).findAll(postRequestedFor(urlEqualTo("/search"))).size();
        }
        return n;
    }

    private static String token() {
        return gateway.issuer.token("child-worker", "social-services", "leeds");
    }

    private static HttpResponse<Buffer> post(String token, Buffer body) throws Exception {
        return await(GatewayHarness.retriedIfClosed(() -> gateway.client.post("/api/v1/enquiries").bearerTokenAuthentication(token)
                .putHeader("Content-Type", "application/json").sendBuffer(body)));
    }

    private static void assertRefused(HttpResponse<Buffer> r, int status, String code) {
        assertEquals(status, r.statusCode(), r.bodyAsString());
        assertEquals(code, r.bodyAsJsonObject().getString("error"), r.bodyAsString());
    }

    // --- tokens ------------------------------------------------------------------------------

    @Test
    void aTokenIssuedInTheFutureGets401() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String t = gateway.issuer.signWithTimes(claims(), now + 600, now + 1200, null);
        assertRefused(await(gateway.enquire(t, GatewayHarness.enquiry("Aisha", "Khan", "2016-03-09"))), 401,
                "unauthorized");
        assertEquals(0, searches());
    }

    @Test
    void aTokenNotValidBeforeALaterTimeGets401() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String t = gateway.issuer.signWithTimes(claims(), now, now + 1200, now + 600);
        assertRefused(await(gateway.enquire(t, GatewayHarness.enquiry("Aisha", "Khan", "2016-03-09"))), 401,
                "unauthorized");
        assertEquals(0, searches());
    }

    @Test
    void aTokenLivingLongerThanTheGatewayAcceptsGets401() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String t = gateway.issuer.signWithTimes(claims(), now, now + 2 * 3600, null);
        HttpResponse<Buffer> r = await(gateway.enquire(t, GatewayHarness.enquiry("Aisha", "Khan", "2016-03-09")));
        assertRefused(r, 401, "unauthorized");
        assertTrue(r.bodyAsJsonObject().getString("message").contains("lifetime"), r.bodyAsString());
    }

    private static JsonObject claims() {
        return new JsonObject().put("role", "child-worker").put("agency", "social-services").put("authority", "leeds");
    }

    // --- bodies ------------------------------------------------------------------------------

    @Test
    void anOversizeBodySentInChunksWithoutALengthIs413() throws Exception {
        String head = "POST /api/v1/enquiries HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token()
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
        try (Socket s = socket()) {
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = ("1000\r\n" + "x".repeat(0x1000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            try {
                for (int i = 0; i < 8; i++) {
                    out.write(chunk);
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (SocketException closedEarly) {
                // the gateway may answer and close before all of it is sent
            }
            assertTrue(readAll(s).startsWith("HTTP/1.1 413"));
        }
        assertEquals(0, searches());
    }

    // --- headers -----------------------------------------------------------------------------

    @Test
    void aHeaderWithABareCarriageReturnIs400AndInjectsNothing() throws Exception {
        String request = "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Correlation-Id: abc\rSet-Cookie: s=1\r\n"
                + "Connection: close\r\n\r\n";
        try (Socket s = socket()) {
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String answer = readAll(s);
            assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
            assertFalse(answer.toLowerCase().contains("set-cookie"), answer);
        }
    }

    @Test
    void aCorrelationIdThatIsNotAPlainTokenIsNotEchoed() throws Exception {
        HttpResponse<Buffer> r = await(GatewayHarness.retriedIfClosed(() -> gateway.client.get("/health/live")
                .putHeader("X-Correlation-Id", "abc<script>%0d%0aSet-Cookie:s=1").send()));
        assertEquals(200, r.statusCode());
        String echoed = r.getHeader("X-Correlation-Id");
        assertNotEquals("abc<script>%0d%0aSet-Cookie:s=1", echoed);
        assertTrue(echoed.matches("[A-Za-z0-9-]{1,64}"), echoed);
        assertEquals(null, r.getHeader("Set-Cookie"));
    }

    @Test
    void headersOverTheLimitAreRefused() throws Exception {
        String request = "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + "a".repeat(16 * 1024)
                + "\r\nConnection: close\r\n\r\n";
        try (Socket s = socket()) {
            try {
                s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            } catch (SocketException closedEarly) {
                // refused before the whole head was sent
            }
            String answer = readAll(s);
            assertTrue(answer.startsWith("HTTP/1.1 431") || answer.startsWith("HTTP/1.1 400"), answer);
        }
    }

    // --- slow clients ------------------------------------------------------------------------

    @Test
    void aClientThatStallsInItsHeadersIsDisconnectedByTheIdleTimeout() throws Exception {
        try (Socket s = socket()) {
            s.getOutputStream().write("POST /api/v1/enquiries HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty"
                    .getBytes(StandardCharsets.US_ASCII));
            // THEN the gateway closes the connection (no answer: there is no request to answer)
            assertEquals("", readAll(s));
        }
        assertEquals(0, searches());
    }

    @Test
    void aClientThatStallsInItsBodyIsDisconnectedAndNoRegisterIsAsked() throws Exception {
        String head = "POST /api/v1/enquiries HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token()
                + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"subject\":";
        try (Socket s = socket()) {
            s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            String answer = readAll(s);
            assertFalse(answer.startsWith("HTTP/1.1 200"), answer);
        }
        assertEquals(0, searches());
    }

    private static Socket socket() throws IOException {
        Socket s = new Socket("127.0.0.1", gateway.gateway.port());
        // a guard against a hang, far above the 1 s idle timeout: not a timing assertion
        s.setSoTimeout(30_000);
        return s;
    }

    /** Everything the gateway sends until it closes the connection. */
    private static String readAll(Socket s) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                bytes.write(buffer, 0, n);
            }
        } catch (SocketException reset) {
            // a reset after the answer: what was read stands
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }
}
