package uk.wycps.gateway.tls;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.fanout.WireMockRegisters;
import uk.wycps.gateway.support.GatewayHarness;

/**
 * Cleartext HTTP/2 (h2c) is off on the API and management ports (issue 14, A1): HTTP/2 brings its
 * own floods (rapid reset, CONTINUATION) and cleartext is the form nobody needs in front of a
 * TLS terminator. Neither the HTTP/1.1 {@code Upgrade: h2c} nor a connection that starts with
 * the HTTP/2 preface ("prior knowledge") is taken. A Vert.x server with h2c on answers both
 * (the control): the probes would see it.
 */
class CleartextHttp2RefusedTest {

    /** The client connection preface (RFC 9113, 3.4) and an empty SETTINGS frame. */
    private static final byte[] PREFACE;

    static {
        byte[] magic = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] settings = {0, 0, 0, 0x04, 0, 0, 0, 0, 0};
        PREFACE = new byte[magic.length + settings.length];
        System.arraycopy(magic, 0, PREFACE, 0, magic.length);
        System.arraycopy(settings, 0, PREFACE, magic.length, settings.length);
    }

    private static Vertx vertx;
    private static WireMockRegisters registers;
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        registers = new WireMockRegisters(true);
        gateway = GatewayHarness.start(vertx, registers.settingsAll(2000, new JsonObject()), new InMemoryAuditSink()).await();
    }

    @AfterAll
    static void stop() {
        gateway.close().await();
        vertx.close().await();
        registers.close();
    }

    @Test
    void anUpgradeToH2cIsAnsweredInHttp11AndNotSwitched() throws Exception {
        for (int port : new int[] {gateway.gateway.port(), gateway.gateway.managementPort()}) {
            String answer = upgrade(port);
            assertFalse(answer.startsWith("HTTP/1.1 101"), () -> port + " switched to h2c: " + answer);
            assertTrue(answer.startsWith("HTTP/1.1 200"), () -> port + ": " + answer);
        }
    }

    @Test
    void aConnectionThatStartsWithTheHttp2PrefaceGetsNoHttp2Frame() throws Exception {
        for (int port : new int[] {gateway.gateway.port(), gateway.gateway.managementPort()}) {
            byte[] answer = priorKnowledge(port);
            assertFalse(isHttp2Settings(answer), () -> port + " spoke HTTP/2: " + hex(answer));
            // a refusal in text (Vert.x's HTTP/1 codec reads the preface as a request line of
            // version 2.0 and answers "HTTP/2.0 501 Not Implemented"), or the connection closed
            String text = new String(answer, StandardCharsets.US_ASCII);
            assertTrue(answer.length == 0 || text.matches("(?s)HTTP/[0-9.]+ [45][0-9][0-9] .*"), () -> port + ": " + text);
        }
    }

    @Test
    void theProbesSeeH2cWhereAServerTakesIt() throws Exception {
        // The control: Vert.x with cleartext HTTP/2 on switches on the upgrade and answers the preface.
        HttpServer h2c = vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(true))
                .requestHandler(r -> r.response().end("ok")).listen(0, "127.0.0.1").await();
        try {
            assertTrue(upgrade(h2c.actualPort()).startsWith("HTTP/1.1 101"));
            assertTrue(isHttp2Settings(priorKnowledge(h2c.actualPort())));
        } finally {
            h2c.close().await();
        }
    }

    /** An HTTP/1.1 GET of /health/live asking to upgrade to h2c; the answer's first bytes as text. */
    private static String upgrade(int port) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                    + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(read(socket.getInputStream(), 12), StandardCharsets.US_ASCII);
        }
    }

    /** The HTTP/2 preface sent first thing; whatever comes back (empty when the server closes). */
    private static byte[] priorKnowledge(int port) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(PREFACE);
            socket.getOutputStream().flush();
            return read(socket.getInputStream(), 12);
        }
    }

    /** At least {@code want} bytes, or fewer if the server closes first or goes quiet. */
    private static byte[] read(InputStream in, int want) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buffer = new byte[256];
        try {
            while (got.size() < want) {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                got.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException | java.net.SocketException quietOrReset) {
            // what came is what there is
        }
        return got.toByteArray();
    }

    /** True when the bytes start with an HTTP/2 frame header of type SETTINGS on stream 0. */
    private static boolean isHttp2Settings(byte[] b) {
        return b.length >= 9 && b[3] == 0x04 && (b[5] | b[6] | b[7] | b[8]) == 0;
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format("%02x", x));
        }
        return s.toString();
    }
}
