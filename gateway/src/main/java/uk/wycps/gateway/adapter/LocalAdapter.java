package uk.wycps.gateway.adapter;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import uk.wycps.adapter.AdapterConfig;
import uk.wycps.adapter.AdapterVerticle;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.connector.canonicaljson.CanonicalJsonConnector;
import uk.wycps.connector.proof.AnswerSignature;

/**
 * A register put behind its own adapter on this machine, as an authority would run it (issue
 * 17), with throw-away certificates made at start: the demo's topology for Leeds, and the
 * tests'. Two CAs, as in a deployment: the register's CA issues the adapter's server
 * certificate, the gateway's CA the gateway's client certificate; the adapter trusts only the
 * gateway's CA, the gateway only the register's. Nothing here is ever written to the repository.
 */
public final class LocalAdapter {

    /** The subject of the gateway's client certificate, which the adapter pins. */
    public static final String GATEWAY_SUBJECT = "CN=wycps-gateway,O=WYCPS";

    private LocalAdapter() {
    }

    /**
     * The PEM files of one adapter's mutual TLS and answer signing, in one folder; the two CAs
     * (with their keys) stay in memory, to issue renewed certificates from, and are never written.
     */
    public record Pki(Path registerCa, Path adapterCert, Path adapterKey, Path gatewayCa, Path gatewayCert,
            Path gatewayKey, Path signingKey, Path answerKey, X509Bundle registerCaBundle, X509Bundle gatewayCaBundle) {
    }

    /** Makes the CAs, certificates and signing key for an adapter reached as {@code localhost}. */
    public static Pki issue(Path dir) throws Exception {
        Files.createDirectories(dir);
        Instant now = Instant.now();
        X509Bundle registerCa = new CertificateBuilder().subject("CN=Register CA,O=WYCPS demo").ecp256()
                .setIsCertificateAuthority(true).notBefore(now.minus(1, ChronoUnit.HOURS))
                .notAfter(now.plus(30, ChronoUnit.DAYS)).buildSelfSigned();
        X509Bundle adapter = new CertificateBuilder().subject("CN=localhost,O=WYCPS demo").ecp256()
                .addSanDnsName("localhost").addSanIpAddress("127.0.0.1").addExtendedKeyUsageServerAuth()
                .notBefore(now.minus(1, ChronoUnit.HOURS)).notAfter(now.plus(30, ChronoUnit.DAYS))
                .buildIssuedBy(registerCa);
        X509Bundle gatewayCa = new CertificateBuilder().subject("CN=Gateway CA,O=WYCPS demo").ecp256()
                .setIsCertificateAuthority(true).notBefore(now.minus(1, ChronoUnit.HOURS))
                .notAfter(now.plus(30, ChronoUnit.DAYS)).buildSelfSigned();
        X509Bundle gateway = new CertificateBuilder().subject(GATEWAY_SUBJECT).ecp256().addExtendedKeyUsageClientAuth()
                .notBefore(now.minus(1, ChronoUnit.HOURS)).notAfter(now.plus(30, ChronoUnit.DAYS))
                .buildIssuedBy(gatewayCa);
        // RSA, so PS256: its check costs the gateway, which checks every register's answer, about
        // 0.04 ms against ES256's 1.1 ms on JDK 17 (AnswerSignature)
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair signing = rsa.generateKeyPair();
        return new Pki(
                write(dir.resolve("register-ca.pem"), registerCa.getCertificatePEM()),
                write(dir.resolve("adapter.pem"), adapter.getCertificatePEM()),
                write(dir.resolve("adapter.key"), adapter.getPrivateKeyPEM()),
                write(dir.resolve("gateway-ca.pem"), gatewayCa.getCertificatePEM()),
                write(dir.resolve("gateway.pem"), gateway.getCertificatePEM()),
                write(dir.resolve("gateway.key"), gateway.getPrivateKeyPEM()),
                write(dir.resolve("answer-signing.key"), AnswerSignature.pem("PRIVATE KEY", signing.getPrivate().getEncoded())),
                write(dir.resolve("answer-signing.pub"), AnswerSignature.pem("PUBLIC KEY", signing.getPublic().getEncoded())),
                registerCa, gatewayCa);
    }

    /** Writes a PEM file readable by its owner alone, from its creation. */
    public static Path write(Path file, String pem) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, pem, StandardCharsets.US_ASCII);
        return file;
    }

    /** The adapter's configuration: {@code register} behind it, releasing {@code release}, on a free loopback port. */
    public static AdapterConfig adapterConfig(Pki pki, RegisterSettings register, Set<String> release) throws IOException {
        return new AdapterConfig(register.authority(), "127.0.0.1", 0,
                new AdapterConfig.Tls(pki.adapterCert().toString(), pki.adapterKey().toString(),
                        pki.gatewayCa().toString(), GATEWAY_SUBJECT, 1_000),
                Files.readString(pki.signingKey(), StandardCharsets.US_ASCII), register, release);
    }

    /** Starts the adapter; completes with the port it listens on. */
    public static Future<Integer> start(Vertx vertx, AdapterConfig config) {
        AtomicInteger port = new AtomicInteger();
        return vertx.deployVerticle(new AdapterVerticle(config, port)).map(id -> port.get());
    }

    /** How the gateway reaches the adapter: canonical-json over mutual TLS, answers signed. */
    public static RegisterSettings gatewaySettings(String authority, int port, Pki pki) throws IOException {
        JsonObject options = new JsonObject()
                .put("tls", new JsonObject().put("caFile", pki.registerCa().toString())
                        .put("certFile", pki.gatewayCert().toString()).put("keyFile", pki.gatewayKey().toString())
                        .put("reloadCheckMs", 1_000))
                .put(CanonicalJsonConnector.ANSWER_KEY_OPTION, Files.readString(pki.answerKey(), StandardCharsets.US_ASCII));
        RegisterSettings defaults = RegisterSettings.of(authority, "canonical-json",
                URI.create("https://localhost:" + port));
        return new RegisterSettings(authority, "canonical-json", defaults.baseUrl(), defaults.deadline(),
                defaults.maxConnections(), defaults.maxWaitQueue(), defaults.maxResponseBytes(), options);
    }
}
