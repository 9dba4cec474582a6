package uk.wycps.gateway.adapter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static uk.wycps.gateway.support.Answers.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import uk.wycps.adapter.AdapterConfig;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.connector.proof.AnswerSignature;
import uk.wycps.gateway.audit.AuditEntry;
import uk.wycps.gateway.audit.FileAuditSink;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.audit.SignedAnswers;
import uk.wycps.gateway.support.Answers;
import uk.wycps.gateway.support.GatewayHarness;
import uk.wycps.gateway.support.TestIssuer;
import uk.wycps.record.CanonicalFields;

/**
 * Verifies the register adapter and the mutual TLS that binds it to the gateway (issue 17: F3,
 * A5, H1, H2), with certificates made in the test: every refused handshake leaves the register
 * UNAVAILABLE with its notice (never "no record"), a rotated certificate keeps enquiries
 * flowing, the authority's ceiling holds whatever the gateway asks, and an answer changed after
 * signing is ERROR, while the signed answers in the audit verify afterwards.
 *
 * <p>Behind the adapter: a WireMock register speaking canonical-json, holding one child with
 * every field filled.
 */
@ExtendWith(VertxExtension.class)
class RegisterAdapterTest {

    private static final String RECORD = "{\"recordId\":\"LE-000001\",\"givenName\":\"Aisha\",\"familyName\":\"Khan\","
            + "\"dateOfBirth\":\"2016-03-09\",\"gender\":\"female\",\"ethnicity\":\"asian-pakistani\","
            + "\"address\":{\"line1\":\"1 Mill Lane\",\"town\":\"Leeds\",\"postcode\":\"LS1 1AA\"},"
            + "\"legalStatus\":\"none\"}";

    @TempDir
    Path dir;

    private Vertx vertx;
    private WireMockServer register;
    private LocalAdapter.Pki pki;
    private GatewayHarness gateway;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        register = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        register.start();
        register.stubFor(post(urlEqualTo("/search")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"records\":[" + RECORD + "]}")));
        pki = LocalAdapter.issue(dir.resolve("pki"));
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            await(gateway.close());
        }
        register.stop();
        await(vertx.close());
    }

    /**
     * How the gateway reaches the adapter, with a deadline generous enough for a first TLS
     * handshake on a loaded machine: these tests are about who may talk, not how fast.
     */
    private RegisterSettings toAdapter(int port) throws Exception {
        RegisterSettings s = LocalAdapter.gatewaySettings("leeds", port, pki);
        return new RegisterSettings(s.authority(), s.dialect(), s.baseUrl(), java.time.Duration.ofSeconds(10),
                s.maxConnections(), s.maxWaitQueue(), s.maxResponseBytes(), s.options());
    }

    private RegisterSettings behindAdapter() {
        RegisterSettings s = RegisterSettings.of("leeds", "canonical-json", URI.create("http://127.0.0.1:" + register.port()));
        return new RegisterSettings(s.authority(), s.dialect(), s.baseUrl(), java.time.Duration.ofSeconds(8),
                s.maxConnections(), s.maxWaitQueue(), s.maxResponseBytes(), s.options());
    }

    private int startAdapter(Set<String> release) throws Exception {
        return await(LocalAdapter.start(vertx, LocalAdapter.adapterConfig(pki, behindAdapter(), release)));
    }

    private int startAdapter() throws Exception {
        return startAdapter(CanonicalFields.all());
    }

    /** The gateway with only Leeds, reached as {@code settings} say, its tls options changed by {@code tls}. */
    private void startGateway(RegisterSettings settings, UnaryOperator<JsonObject> tls) throws Exception {
        JsonObject options = settings.options().copy();
        if (options.containsKey("tls")) {
            options.put("tls", tls.apply(options.getJsonObject("tls").copy()));
        }
        RegisterSettings changed = new RegisterSettings(settings.authority(), settings.dialect(), settings.baseUrl(),
                settings.deadline(), settings.maxConnections(), settings.maxWaitQueue(), settings.maxResponseBytes(),
                options);
        gateway = await(GatewayHarness.start(vertx, List.of(changed), new InMemoryAuditSink()));
    }

    private JsonObject enquire() throws Exception {
        String token = gateway.issuer.token("cp-coordinator", "social-services", "leeds");
        HttpResponse<Buffer> r = await(gateway.enquire(token, GatewayHarness.enquiry("Aisha", "Khan", "2016-03-09")));
        assertEquals(200, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject();
    }

    private static void assertNotChecked(JsonObject answer, String status) {
        JsonObject leeds = Answers.registerEntry(answer, "leeds");
        assertEquals(status, leeds.getString("status"), answer.encode());
        assertTrue(leeds.getString("notice").contains("This is not a 'no record' result."), answer.encode());
        assertFalse(answer.getBoolean("complete"));
        assertEquals("not-all-checked", answer.getString("outcome"));
        assertTrue(answer.getJsonArray("persons").isEmpty());
    }

    private static JsonObject onlyRecord(JsonObject answer) {
        JsonArray persons = answer.getJsonArray("persons");
        assertEquals(1, persons.size(), answer.encode());
        return persons.getJsonObject(0).getJsonArray("records").getJsonObject(0);
    }

    @Test
    void anAnswerOverMutualTlsIsSignedCheckedAndItsProofAudited() throws Exception {
        // GIVEN the gateway reaching Leeds' adapter over mutual TLS, with the adapter's answer key
        int port = startAdapter();
        InMemoryAuditSink audit = new InMemoryAuditSink();
        gateway = await(GatewayHarness.start(vertx, List.of(toAdapter(port)), audit));
        // WHEN a Leeds co-ordinator enquires
        JsonObject answer = enquire();
        // THEN Leeds is OK with its record
        assertEquals("OK", Answers.registerEntry(answer, "leeds").getString("status"));
        assertEquals("LE-000001", onlyRecord(answer).getString("recordId"));
        // AND the audit entry keeps the proof, which verifies with the adapter's key
        AuditEntry entry = audit.entries().stream()
                .filter(e -> e.enquiryId().equals(answer.getString("enquiryId"))).findFirst().orElseThrow();
        AuditEntry.RegisterAnswer leeds = entry.registers().stream().filter(r -> r.authority().equals("leeds"))
                .findFirst().orElseThrow();
        assertNotNull(leeds.proof());
        PublicKey key = AnswerSignature.publicKey(Files.readString(pki.answerKey()));
        AnswerSignature.Claims claims = AnswerSignature.verify(key, leeds.proof().signature());
        assertEquals(leeds.proof().bodySha256(), claims.bodySha256());
        assertEquals("leeds", claims.authority());
    }

    /** The audit directory of a gateway with the file audit, closed after three enquiries Leeds' adapter answered. */
    private Path threeSignedAnswersAudited() throws Exception {
        int port = startAdapter();
        Path auditDir = dir.resolve("audit");
        gateway = await(GatewayHarness.startWithFileAudit(vertx, new TestIssuer(vertx),
                List.of(toAdapter(port)), auditDir));
        for (int i = 0; i < 3; i++) {
            assertEquals("OK", Answers.registerEntry(enquire(), "leeds").getString("status"));
        }
        await(gateway.close());
        gateway = null;
        return auditDir;
    }

    @Test
    void verifyAuditReportsEachRegistersSignedAnswersAsVerifiedAndAChangedOneAsNot() throws Exception {
        // GIVEN a gateway with the file audit, three enquiries answered by Leeds' adapter
        Path auditDir = threeSignedAnswersAudited();
        // WHEN the signed answers in the log are checked with the adapter's key
        Path log = auditDir.resolve(FileAuditSink.FILE_NAME);
        Map<String, PublicKey> keys = Map.of("leeds", AnswerSignature.publicKey(Files.readString(pki.answerKey())));
        // THEN all three verify
        assertEquals(new SignedAnswers.Tally(3, 0, 0), SignedAnswers.verify(log, keys).get("leeds"));
        // AND a recorded digest changed afterwards does not
        String text = Files.readString(log, StandardCharsets.UTF_8);
        String line = text.lines().filter(l -> l.contains("\"proof\"")).findFirst().orElseThrow();
        String digest = new JsonObject(uk.wycps.gateway.audit.HashChain.parse(line).entry())
                .getJsonArray("registers").getJsonObject(0).getJsonObject("proof").getString("bodySha256");
        Files.writeString(log, text.replaceFirst(digest, "A" + digest.substring(1)), StandardCharsets.UTF_8);
        assertEquals(new SignedAnswers.Tally(2, 1, 0), SignedAnswers.verify(log, keys).get("leeds"));
    }

    /**
     * Verifies {@code verify-audit --answer-key leeds=FILE} as a user runs it on the log a gateway
     * wrote (H2, issue 17): exit 0 and each of Leeds' signed answers verified on the untouched
     * log; exit 1, with the answer that no longer verifies counted, once one is altered.
     */
    @Test
    void verifyAuditWithAnAnswerKeyAsAUserRunsIt() throws Exception {
        // GIVEN a gateway with the file audit, three enquiries answered by Leeds' adapter
        Path auditDir = threeSignedAnswersAudited();
        // WHEN verify-audit is run with Leeds' published answer key THEN exit 0, three verified
        String[] args = {"verify-audit", "--audit", auditDir.toString(), "--answer-key", "leeds=" + pki.answerKey()};
        Run intact = run(args);
        assertEquals(0, intact.code(), intact.out());
        assertTrue(intact.out().contains("leeds: 3 signed answers verified"), intact.out());
        assertFalse(intact.out().contains("NOT VERIFIED"), intact.out());
        // WHEN one signed answer's recorded body digest is altered THEN exit 1, that answer not verified
        Path log = auditDir.resolve(FileAuditSink.FILE_NAME);
        String text = Files.readString(log, StandardCharsets.UTF_8);
        String line = text.lines().filter(l -> l.contains("\"proof\"")).skip(1).findFirst().orElseThrow();
        String digest = new JsonObject(uk.wycps.gateway.audit.HashChain.parse(line).entry())
                .getJsonArray("registers").getJsonObject(0).getJsonObject("proof").getString("bodySha256");
        String flipped = (digest.charAt(0) == 'A' ? "B" : "A") + digest.substring(1);
        // that line alone: the three answers are alike, so their digests are too
        Files.writeString(log, text.replace(line, line.replace(digest, flipped)), StandardCharsets.UTF_8);
        Run altered = run(args);
        assertEquals(1, altered.code(), altered.out());
        // the chain says where the log was changed, and the answer check which answer no longer holds
        assertTrue(altered.out().contains("BROKEN at entry 2"), altered.out());
        assertTrue(altered.out().contains("leeds: 2 signed answers verified, 1 NOT VERIFIED"), altered.out());
    }


    /** Runs the gateway's command line as the jar would, returning its exit code and what it printed. */
    private static Run run(String... args) {
        java.io.PrintStream original = System.out;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int code = new picocli.CommandLine(new uk.wycps.gateway.GatewayMain()).execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }

    private record Run(int code, String out) {
    }

    @Test
    void aGatewayWithoutAClientCertificateIsRefusedAndLeedsIsUnavailable() throws Exception {
        int port = startAdapter();
        startGateway(toAdapter(port), tls -> {
            tls.remove("certFile");
            tls.remove("keyFile");
            return tls;
        });
        assertNotChecked(enquire(), "UNAVAILABLE");
        register.verify(0, postRequestedFor(urlEqualTo("/search")));
    }

    @Test
    void aClientCertificateFromAnotherCaIsRefused() throws Exception {
        int port = startAdapter();
        LocalAdapter.Pki other = LocalAdapter.issue(dir.resolve("other"));
        startGateway(toAdapter(port), tls -> tls
                .put("certFile", other.gatewayCert().toString()).put("keyFile", other.gatewayKey().toString()));
        assertNotChecked(enquire(), "UNAVAILABLE");
        register.verify(0, postRequestedFor(urlEqualTo("/search")));
    }

    @Test
    void anExpiredClientCertificateIsRefused() throws Exception {
        int port = startAdapter();
        // The right CA and subject, but out of date
        X509Bundle gatewayCa = reissuedGatewayCa();
        X509Bundle expired = new CertificateBuilder().subject(LocalAdapter.GATEWAY_SUBJECT).ecp256()
                .addExtendedKeyUsageClientAuth().notBefore(Instant.now().minus(10, ChronoUnit.DAYS))
                .notAfter(Instant.now().minus(1, ChronoUnit.DAYS)).buildIssuedBy(gatewayCa);
        Path cert = LocalAdapter.write(dir.resolve("expired.pem"), expired.getCertificatePEM());
        Path key = LocalAdapter.write(dir.resolve("expired.key"), expired.getPrivateKeyPEM());
        startGateway(toAdapter(port), tls -> tls.put("certFile", cert.toString())
                .put("keyFile", key.toString()));
        assertNotChecked(enquire(), "UNAVAILABLE");
        register.verify(0, postRequestedFor(urlEqualTo("/search")));
    }

    /**
     * Verifies the adapter's pinned subject: a certificate issued by the gateway's own CA, valid
     * and for client authentication, but naming another subject, is refused before anything is
     * read, and the register is never asked.
     */
    @Test
    void aClientCertificateFromTheRightCaWithAnotherSubjectIsRefusedAndTheRegisterNeverAsked() throws Exception {
        // GIVEN an adapter that pins the gateway's subject, and a client certificate from the same CA for another
        int port = startAdapter();
        X509Bundle stranger = new CertificateBuilder().subject("CN=another-service,O=WYCPS").ecp256()
                .addExtendedKeyUsageClientAuth().notBefore(Instant.now().minus(1, ChronoUnit.HOURS))
                .notAfter(Instant.now().plus(1, ChronoUnit.DAYS)).buildIssuedBy(reissuedGatewayCa());
        Path cert = LocalAdapter.write(dir.resolve("stranger.pem"), stranger.getCertificatePEM());
        Path key = LocalAdapter.write(dir.resolve("stranger.key"), stranger.getPrivateKeyPEM());
        // (the handshake itself succeeds: the chain is right, so it is the pin that refuses)
        assertEquals(403, probe(port, cert, key));
        // WHEN a gateway presenting it enquires
        startGateway(toAdapter(port), tls -> tls.put("certFile", cert.toString()).put("keyFile", key.toString()));
        // THEN Leeds is not checked (never "no record"), and its register was never asked
        JsonObject answer = enquire();
        assertNotChecked(answer, "ERROR");
        assertTrue(Answers.registerEntry(answer, "leeds").getString("notice").contains("not a 'no record'"));
        register.verify(0, postRequestedFor(urlEqualTo("/search")));
    }

    @Test
    void anAdapterWhoseHostNameDoesNotMatchIsRefused() throws Exception {
        // GIVEN an adapter whose certificate names another host, from the CA the gateway trusts
        X509Bundle registerCa = reissuedRegisterCa();
        X509Bundle elsewhere = new CertificateBuilder().subject("CN=register.elsewhere.example").ecp256()
                .addSanDnsName("register.elsewhere.example").addExtendedKeyUsageServerAuth()
                .notBefore(Instant.now().minus(1, ChronoUnit.HOURS)).notAfter(Instant.now().plus(1, ChronoUnit.DAYS))
                .buildIssuedBy(registerCa);
        LocalAdapter.write(pki.adapterCert(), elsewhere.getCertificatePEM());
        LocalAdapter.write(pki.adapterKey(), elsewhere.getPrivateKeyPEM());
        int port = startAdapter();
        // WHEN the gateway reaches it as localhost THEN the handshake is refused: UNAVAILABLE
        startGateway(toAdapter(port), tls -> tls);
        assertNotChecked(enquire(), "UNAVAILABLE");
        register.verify(0, postRequestedFor(urlEqualTo("/search")));
    }

    @Test
    void certificatesRotatedWhileBothRunKeepEnquiriesFlowing() throws Exception {
        // GIVEN the gateway and adapter talking
        int port = startAdapter();
        startGateway(toAdapter(port), tls -> tls);
        assertEquals("OK", Answers.registerEntry(enquire(), "leeds").getString("status"));
        // WHEN both certificates are renewed in place (same CAs, new keys)
        X509Bundle registerCa = reissuedRegisterCa();
        X509Bundle adapter = new CertificateBuilder().subject("CN=localhost").ecp256().addSanDnsName("localhost")
                .addExtendedKeyUsageServerAuth().notBefore(Instant.now().minus(1, ChronoUnit.HOURS))
                .notAfter(Instant.now().plus(1, ChronoUnit.DAYS)).buildIssuedBy(registerCa);
        X509Bundle client = new CertificateBuilder().subject(LocalAdapter.GATEWAY_SUBJECT).ecp256()
                .addExtendedKeyUsageClientAuth().notBefore(Instant.now().minus(1, ChronoUnit.HOURS))
                .notAfter(Instant.now().plus(1, ChronoUnit.DAYS)).buildIssuedBy(reissuedGatewayCa());
        LocalAdapter.write(pki.adapterCert(), adapter.getCertificatePEM());
        LocalAdapter.write(pki.adapterKey(), adapter.getPrivateKeyPEM());
        LocalAdapter.write(pki.gatewayCert(), client.getCertificatePEM());
        LocalAdapter.write(pki.gatewayKey(), client.getPrivateKeyPEM());
        // THEN enquiries keep being answered by Leeds throughout
        for (int i = 0; i < 6; i++) {
            assertEquals("OK", Answers.registerEntry(enquire(), "leeds").getString("status"));
            Thread.sleep(400);
        }
        // AND a new connection is now served the renewed certificate (the adapter reloaded it; a
        // check that read a pair half-written tries again a period later, so this waits, boundedly)
        java.math.BigInteger served = servedCertificateSerial(port);
        for (int i = 0; i < 40 && !adapter.getCertificate().getSerialNumber().equals(served); i++) {
            Thread.sleep(250);
            served = servedCertificateSerial(port);
        }
        assertEquals(adapter.getCertificate().getSerialNumber(), served);
    }

    /**
     * Verifies the gateway's side of a rotation: the regional service moves its client
     * certificate to a new CA while both run. The adapter trusts both CAs for the change-over,
     * the gateway's certificate files are renewed in place, then the old CA is withdrawn from
     * the adapter, which closes the connections it no longer accepts. Leeds still answers, so
     * the gateway presented its renewed certificate; a connection kept open with the old one
     * does not outlive the withdrawal.
     */
    @Test
    void theGatewayPresentsItsRenewedClientCertificateOnceTheOldCaIsWithdrawn() throws Exception {
        // GIVEN the gateway and adapter talking, the gateway's certificate from its first CA
        int port = startAdapter();
        startGateway(toAdapter(port), tls -> tls);
        assertEquals("OK", Answers.registerEntry(enquire(), "leeds").getString("status"));
        Path oldCert = LocalAdapter.write(dir.resolve("old-gateway.pem"), Files.readString(pki.gatewayCert()));
        Path oldKey = LocalAdapter.write(dir.resolve("old-gateway.key"), Files.readString(pki.gatewayKey()));
        HttpClient kept = client(oldCert, oldKey);
        assertEquals(400, status(kept, port));
        // WHEN the adapter is given the new CA beside the old one
        Instant now = Instant.now();
        X509Bundle newCa = new CertificateBuilder().subject("CN=Gateway CA 2,O=WYCPS demo").ecp256()
                .setIsCertificateAuthority(true).notBefore(now.minus(1, ChronoUnit.HOURS))
                .notAfter(now.plus(30, ChronoUnit.DAYS)).buildSelfSigned();
        X509Bundle renewed = new CertificateBuilder().subject(LocalAdapter.GATEWAY_SUBJECT).ecp256()
                .addExtendedKeyUsageClientAuth().notBefore(now.minus(1, ChronoUnit.HOURS))
                .notAfter(now.plus(1, ChronoUnit.DAYS)).buildIssuedBy(newCa);
        Path renewedCert = LocalAdapter.write(dir.resolve("renewed.pem"), renewed.getCertificatePEM());
        Path renewedKey = LocalAdapter.write(dir.resolve("renewed.key"), renewed.getPrivateKeyPEM());
        LocalAdapter.write(pki.gatewayCa(), reissuedGatewayCa().getCertificatePEM() + newCa.getCertificatePEM());
        awaitProbe(port, renewedCert, renewedKey, 400);
        // AND the gateway's certificate files are renewed in place, the gateway running throughout
        LocalAdapter.write(pki.gatewayKey(), renewed.getPrivateKeyPEM());
        LocalAdapter.write(pki.gatewayCert(), renewed.getCertificatePEM());
        for (int i = 0; i < 6; i++) {
            // several of the gateway's reload periods (1 s) pass, enquiries answered all the while
            assertEquals("OK", Answers.registerEntry(enquire(), "leeds").getString("status"));
            Thread.sleep(500);
        }
        // AND the old CA is withdrawn from the adapter: the old certificate is refused from now on
        LocalAdapter.write(pki.gatewayCa(), newCa.getCertificatePEM());
        awaitProbe(port, oldCert, oldKey, -1);
        // THEN the connection kept open with the old certificate did not survive the withdrawal
        assertEquals(-1, status(kept, port));
        await(kept.close());
        // AND Leeds still answers the gateway, which can only be with its renewed certificate
        int asked = register.findAll(postRequestedFor(urlEqualTo("/search"))).size();
        assertEquals("OK", Answers.registerEntry(enquire(), "leeds").getString("status"));
        assertEquals(asked + 1, register.findAll(postRequestedFor(urlEqualTo("/search"))).size());
    }

    @Test
    void theAuthoritysCeilingHoldsWhateverTheGatewayAsks() throws Exception {
        // GIVEN Leeds releases no address and no ethnicity at all
        Set<String> release = new java.util.HashSet<>(CanonicalFields.all());
        release.remove("address");
        release.remove("ethnicity");
        int port = startAdapter(release);
        gateway = await(GatewayHarness.start(vertx, List.of(toAdapter(port)),
                new InMemoryAuditSink()));
        // WHEN a Leeds co-ordinator, whose tier allows both, enquires
        JsonObject record = onlyRecord(enquire());
        // THEN neither reaches the gateway, though the register holds them
        assertFalse(record.getJsonObject("data").containsKey("address"), record.encode());
        assertFalse(record.getJsonObject("data").containsKey("ethnicity"), record.encode());
        assertEquals("Khan", record.getJsonObject("data").getString("familyName"));
        // AND the register was not even asked for them
        String asked = register.findAll(postRequestedFor(urlEqualTo("/search"))).get(0).getBodyAsString();
        JsonArray fields = new JsonObject(asked).getJsonArray("fields");
        assertFalse(fields.contains("address") || fields.contains("ethnicity"), asked);
        assertTrue(fields.contains("givenName"), asked);
    }

    @Test
    void anAnswerChangedAfterSigningIsErrorAndAnUnsignedOneToo() throws Exception {
        // GIVEN something between the gateway and the adapter that changes one letter of each answer
        int port = startAdapter();
        int tampering = startProxy(port, true, true);
        RegisterSettings signed = toAdapter(port);
        JsonObject options = signed.options().copy();
        options.remove("tls");
        gateway = await(GatewayHarness.start(vertx, List.of(new RegisterSettings("leeds", "canonical-json",
                URI.create("http://127.0.0.1:" + tampering), signed.deadline(), 8, 8, signed.maxResponseBytes(), options)),
                new InMemoryAuditSink()));
        // WHEN an enquiry is made THEN Leeds is ERROR: its answer is not the one it signed
        JsonObject answer = enquire();
        assertNotChecked(answer, "ERROR");
        assertTrue(Answers.registerEntry(answer, "leeds").getString("notice").contains("signature"), answer.encode());
        await(gateway.close());
        // AND the same with the signature taken off
        int stripping = startProxy(port, false, false);
        gateway = await(GatewayHarness.start(vertx, List.of(new RegisterSettings("leeds", "canonical-json",
                URI.create("http://127.0.0.1:" + stripping), signed.deadline(), 8, 8, signed.maxResponseBytes(), options)),
                new InMemoryAuditSink()));
        assertNotChecked(enquire(), "ERROR");
    }

    /**
     * A plain-HTTP stand-in for a network that changes things: forwards each request to the
     * adapter over mutual TLS (with the gateway's certificate), then changes "Aisha" to "Aishb"
     * in the body ({@code tamper}) and passes the signature header on, or drops it.
     */
    private int startProxy(int adapterPort, boolean tamper, boolean keepSignature) throws Exception {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setVerifyHost(false)
                .setTrustOptions(new PemTrustOptions().addCertPath(pki.registerCa().toString()))
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(pki.gatewayCert().toString())
                        .setKeyPath(pki.gatewayKey().toString())));
        HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> client
                .request(req.method(), adapterPort, "localhost", req.uri())
                .compose(out -> {
                    // the request as sent, its nonce included: what is changed is the answer
                    String nonce = req.getHeader(AnswerSignature.NONCE_HEADER);
                    if (nonce != null) {
                        out.putHeader(AnswerSignature.NONCE_HEADER, nonce);
                    }
                    return out.putHeader("Content-Type", "application/json").send(body);
                })
                .compose(resp -> resp.body().map(b -> {
                    String text = b.toString(StandardCharsets.UTF_8);
                    var reply = req.response().setStatusCode(resp.statusCode())
                            .putHeader("Content-Type", resp.getHeader("Content-Type"));
                    if (keepSignature && resp.getHeader(AnswerSignature.HEADER) != null) {
                        reply.putHeader(AnswerSignature.HEADER, resp.getHeader(AnswerSignature.HEADER));
                    }
                    reply.end(tamper ? text.replace("Aisha", "Aishb") : text);
                    return null;
                }))
                .onFailure(e -> req.response().setStatusCode(502).end())));
        return await(server.listen(0, "127.0.0.1")).actualPort();
    }

    /** A client presenting {@code cert}, trusting the register's CA, reaching the adapter as localhost. */
    private HttpClient client(Path cert, Path key) {
        return vertx.createHttpClient(new HttpClientOptions().setSsl(true).setKeepAlive(true)
                .setTrustOptions(new PemTrustOptions().addCertPath(pki.registerCa().toString()))
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString())));
    }

    /**
     * The status the adapter answers {@code client} for a request that never reaches the
     * register (a statistics date that is not a date: 400 once the client is let in), or -1
     * when there is no answer (the handshake refused, the connection closed).
     */
    private int status(HttpClient client, int port) throws Exception {
        return await(client.request(HttpMethod.GET, port, "localhost", "/statistics?asOf=not-a-date")
                .compose(r -> r.send().compose(resp -> resp.body().map(b -> resp.statusCode())))
                .otherwise(-1));
    }

    /** As {@link #status}, over a new connection presenting {@code cert}. */
    private int probe(int port, Path cert, Path key) throws Exception {
        HttpClient client = client(cert, key);
        try {
            return status(client, port);
        } finally {
            await(client.close());
        }
    }

    /** Waits (boundedly) until a new connection presenting {@code cert} gets {@code expected}: the adapter reloaded. */
    private void awaitProbe(int port, Path cert, Path key, int expected) throws Exception {
        int got = probe(port, cert, key);
        for (int i = 0; i < 60 && got != expected; i++) {
            Thread.sleep(250);
            got = probe(port, cert, key);
        }
        assertEquals(expected, got, "the adapter did not take its new client CA");
    }

    /** The serial number of the certificate the adapter presents to a new connection. */
    private java.math.BigInteger servedCertificateSerial(int port) throws Exception {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setSsl(true)
                .setTrustOptions(new PemTrustOptions().addCertPath(pki.registerCa().toString()))
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(pki.gatewayCert().toString())
                        .setKeyPath(pki.gatewayKey().toString())));
        try {
            var conn = await(client.request(HttpMethod.GET, port, "localhost", "/statistics?asOf=not-a-date")
                    .compose(r -> r.send().compose(resp -> resp.body()).map(body -> r.connection())));
            return ((java.security.cert.X509Certificate) conn.peerCertificates().get(0)).getSerialNumber();
        } finally {
            await(client.close());
        }
    }

    /** The register CA of {@link #pki}, with its key, to issue more certificates from. */
    private X509Bundle reissuedRegisterCa() {
        return pki.registerCaBundle();
    }

    private X509Bundle reissuedGatewayCa() {
        return pki.gatewayCaBundle();
    }
}
