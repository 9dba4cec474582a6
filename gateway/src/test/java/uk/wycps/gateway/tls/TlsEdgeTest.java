package uk.wycps.gateway.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static uk.wycps.gateway.support.Answers.await;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.nio.file.FileSystems;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.config.ConfigException;
import uk.wycps.gateway.config.GatewayConfig;
import uk.wycps.gateway.fanout.WireMockRegisters;
import uk.wycps.gateway.support.GatewayHarness;

/**
 * Verifies TLS on the API listener (issue 14, A1): a handshake with a certificate made in the
 * test, TLS 1.1 refused (while this JVM's client can speak it), and a certificate swapped on disk
 * while the gateway runs served to new connections, the open connection keeping its own.
 */
class TlsEdgeTest {

    private static Vertx vertx;
    private static WireMockRegisters registers;
    private static X509Bundle ca;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        registers = new WireMockRegisters(false);
        ca = new CertificateBuilder().subject("CN=WYCPS test CA").setIsCertificateAuthority(true).ecp256()
                .notBefore(Instant.now().minusSeconds(60)).notAfter(Instant.now().plusSeconds(3600)).buildSelfSigned();
    }

    @AfterAll
    static void stop() throws Exception {
        registers.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static X509Bundle leaf(String name) throws Exception {
        return new CertificateBuilder().subject("CN=" + name).ecp256().addSanIpAddress("127.0.0.1")
                .addSanDnsName("localhost").addExtendedKeyUsageServerAuth()
                .notBefore(Instant.now().minusSeconds(60)).notAfter(Instant.now().plusSeconds(3600)).buildIssuedBy(ca);
    }

    /** Writes the pair as an operator's tooling would: each file replaced whole, the key its owner's only. */
    private static void install(X509Bundle bundle, Path cert, Path key) throws IOException {
        install(bundle, cert, key, "rw-------");
    }

    /** As above, the key file with these permissions. */
    private static void install(X509Bundle bundle, Path cert, Path key, String keyPermissions) throws IOException {
        Path tmpCert = Files.writeString(cert.resolveSibling(cert.getFileName() + ".new"),
                bundle.getCertificatePathPEM());
        Path tmpKey = Files.writeString(key.resolveSibling(key.getFileName() + ".new"), bundle.getPrivateKeyPEM());
        Files.setPosixFilePermissions(tmpKey, PosixFilePermissions.fromString(keyPermissions));
        Files.move(tmpKey, key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(tmpCert, cert, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static SSLContext trustingTheCa() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, ca.toTrustManagerFactory().getTrustManagers(), null);
        return context;
    }

    private static SSLSocket connect(int port, String... protocols) throws Exception {
        SSLSocket socket = (SSLSocket) trustingTheCa().getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        if (protocols.length > 0) {
            socket.setEnabledProtocols(protocols);
        }
        socket.startHandshake();
        return socket;
    }

    private static String subject(SSLSocket socket) throws Exception {
        return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
    }

    /** One keep-alive GET of /health/live; the status line. */
    private static String live(SSLSocket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        String status = in.readLine();
        int length = 0;
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        for (int i = 0; i < length; i++) {
            in.read();
        }
        return status;
    }

    private static GatewayHarness gateway(Path cert, Path key) throws Exception {
        return await(GatewayHarness.start(vertx, registers.settings(null, 2000, 1 << 20, 64, null),
                // (an idle timeout longer than any wait for a reload: a connection opened before a
                // swap must still be open when the test uses it after)
                new InMemoryAuditSink(), c -> c.withHttp(new GatewayConfig.Http("127.0.0.1", 0,
                        GatewayConfig.Http.DEFAULT_MAX_BODY_BYTES, 30,
                        new GatewayConfig.Tls(cert, key, Duration.ofMillis(100))))));
    }

    @Test
    void theGatewayServesItsCertificateOverTls12And13AndRefusesTls11() throws Exception {
        Path cert = dir.resolve("a.crt");
        Path key = dir.resolve("a.key");
        install(leaf("gateway-1"), cert, key);
        GatewayHarness g = gateway(cert, key);
        try {
            // WHEN a client that trusts the CA connects with TLS 1.3, then 1.2
            for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
                try (SSLSocket s = connect(g.gateway.port(), protocol)) {
                    // THEN the handshake uses it, the gateway's certificate is served and it answers
                    assertEquals(protocol, s.getSession().getProtocol());
                    assertEquals("CN=gateway-1", subject(s));
                    assertTrue(live(s).startsWith("HTTP/1.1 200"));
                }
            }
            // AND a client offering only TLS 1.1 is refused by the gateway ...
            assertThrows(SSLException.class, () -> connect(g.gateway.port(), "TLSv1.1").close());
            // ... though this JVM's client speaks it to a server that allows it (the control)
            assertEquals("TLSv1.1", handshakeWithOldServer(leaf("old-server")));
        } finally {
            await(g.close());
        }
    }

    /** A plain JDK server offering TLS 1.1: proves the refusal above is the gateway's. */
    private static String handshakeWithOldServer(X509Bundle bundle) throws Exception {
        KeyStore store = bundle.toKeyStore(new char[0]);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        try (SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            server.setEnabledProtocols(new String[] {"TLSv1.1"});
            Thread accept = new Thread(() -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    s.startHandshake();
                    s.getInputStream().read();
                } catch (IOException ignored) {
                    // the client closes
                }
            });
            accept.start();
            try (SSLSocket client = connect(server.getLocalPort(), "TLSv1.1")) {
                return client.getSession().getProtocol();
            } finally {
                accept.join(10_000);
            }
        }
    }

    @Test
    void aCertificateSwappedWhileTheGatewayRunsIsServedToNewConnections() throws Exception {
        Path cert = dir.resolve("b.crt");
        Path key = dir.resolve("b.key");
        install(leaf("gateway-1"), cert, key);
        GatewayHarness g = gateway(cert, key);
        try (SSLSocket before = connect(g.gateway.port())) {
            assertEquals("CN=gateway-1", subject(before));
            // WHEN the operator installs a new pair while the gateway runs
            install(leaf("gateway-2"), cert, key);
            // THEN a new connection, once the files have been read again, gets the new certificate
            String served = "";
            for (int i = 0; i < 200 && !served.equals("CN=gateway-2"); i++) {
                Thread.sleep(50);
                try (SSLSocket s = connect(g.gateway.port())) {
                    served = subject(s);
                    assertTrue(live(s).startsWith("HTTP/1.1 200"));
                }
            }
            assertEquals("CN=gateway-2", served);
            // AND the connection opened before goes on with the certificate it had
            assertTrue(live(before).startsWith("HTTP/1.1 200"));
            assertEquals("CN=gateway-1", subject(before));
        } finally {
            await(g.close());
        }
    }

    @Test
    void aCertificateWhoseKeyIsNotYetInPlaceIsNotTaken() throws Exception {
        Path cert = dir.resolve("d.crt");
        Path key = dir.resolve("d.key");
        install(leaf("gateway-1"), cert, key);
        GatewayHarness g = gateway(cert, key);
        try {
            // WHEN only the certificate of a new pair has been copied so far (the old key still there)
            Files.writeString(cert, leaf("gateway-4").getCertificatePathPEM());
            Thread.sleep(500);
            // THEN handshakes still work, with the old pair: a certificate is never served with another's key
            for (int i = 0; i < 3; i++) {
                try (SSLSocket s = connect(g.gateway.port())) {
                    assertEquals("CN=gateway-1", subject(s));
                }
            }
        } finally {
            await(g.close());
        }
    }

    @Test
    void aHalfWrittenCertificateIsNotTakenAndTheOldOneIsStillServed() throws Exception {
        Path cert = dir.resolve("c.crt");
        Path key = dir.resolve("c.key");
        install(leaf("gateway-1"), cert, key);
        GatewayHarness g = gateway(cert, key);
        try {
            // WHEN the certificate file is replaced by garbage (a copy cut short)
            Files.writeString(cert, "-----BEGIN CERTIFICATE-----\nMIIB\n");
            Thread.sleep(500);
            // THEN the gateway still serves the pair it had
            try (SSLSocket s = connect(g.gateway.port())) {
                assertEquals("CN=gateway-1", subject(s));
            }
            // AND takes a good pair once it is there
            install(leaf("gateway-3"), cert, key);
            String served = "";
            for (int i = 0; i < 200 && !served.equals("CN=gateway-3"); i++) {
                Thread.sleep(50);
                try (SSLSocket s = connect(g.gateway.port())) {
                    served = subject(s);
                }
            }
            assertEquals("CN=gateway-3", served);
        } finally {
            await(g.close());
        }
    }

    @Test
    void aKeyFileThatGroupOrOthersMayReadStopsStartUpNamingIt() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        Path cert = dir.resolve("e.crt");
        Path key = dir.resolve("e.key");
        for (String open : List.of("rw-r-----", "rw----r--", "rw-rw----", "rw-r--r--")) {
            // GIVEN a good pair whose key file group or others may read (or write)
            install(leaf("gateway-5"), cert, key, open);
            // WHEN the gateway starts with it
            Throwable refused = await(GatewayHarness.start(vertx, registers.settings(null, 2000, 1 << 20, 64, null),
                            new InMemoryAuditSink(), c -> c.withHttp(new GatewayConfig.Http("127.0.0.1", 0,
                                    GatewayConfig.Http.DEFAULT_MAX_BODY_BYTES, 5, new GatewayConfig.Tls(cert, key))))
                    .transform(ar -> ar.succeeded() ? ar.result().close().map((Throwable) null)
                            : Future.succeededFuture(ar.cause())));
            // THEN it does not start, and says which setting and what to do (H1)
            ConfigException e = assertInstanceOf(ConfigException.class, refused, open + ": " + refused);
            assertTrue(e.getMessage().startsWith("$.http.tls.keyFile " + key), e.getMessage());
            assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
        }
        // AND the same pair with the key its owner's only starts (the control)
        install(leaf("gateway-5"), cert, key);
        GatewayHarness g = gateway(cert, key);
        try (SSLSocket s = connect(g.gateway.port())) {
            assertEquals("CN=gateway-5", subject(s));
        } finally {
            await(g.close());
        }
    }

    @Test
    void aNewKeyThatOthersMayReadIsNotTakenWhileTheGatewayRuns() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        Path cert = dir.resolve("f.crt");
        Path key = dir.resolve("f.key");
        install(leaf("gateway-1"), cert, key);
        GatewayHarness g = gateway(cert, key);
        try {
            // WHEN a new pair is installed with its key readable by others
            install(leaf("gateway-6"), cert, key, "rw-r--r--");
            Thread.sleep(500);
            // THEN the old pair is still served
            try (SSLSocket s = connect(g.gateway.port())) {
                assertEquals("CN=gateway-1", subject(s));
            }
            // AND once the key is made its owner's only, the new pair is taken
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            String served = "";
            for (int i = 0; i < 200 && !served.equals("CN=gateway-6"); i++) {
                Thread.sleep(50);
                try (SSLSocket s = connect(g.gateway.port())) {
                    served = subject(s);
                }
            }
            assertEquals("CN=gateway-6", served);
        } finally {
            await(g.close());
        }
    }
}
