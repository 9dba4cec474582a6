package uk.wycps.adapter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uk.wycps.connector.AuditCheckpoint;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.HistoryDelivery;
import uk.wycps.connector.RegisterFailure;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.connector.canonicaljson.CanonicalJsonConnector;
import uk.wycps.connector.proof.AnswerSignature;
import uk.wycps.connector.statistics.RegisterStatistics;
import uk.wycps.record.CanonicalFields;
import uk.wycps.record.EnquiryHistoryEntry;
import uk.wycps.record.RecordJson;

/**
 * Verifies that the adapter signs every answer, not only searches (issue 17, H2): enquiry
 * history (one and a batch), audit checkpoints and statistics carry a signature over the request
 * and the body, and the gateway's connector refuses, as ERROR, each such answer that comes
 * unsigned, changed after signing, or with the signature of another request. Between the two, a
 * plain-HTTP stand-in for the network that can strip, change or swap; behind the adapter, a
 * WireMock register speaking canonical-json.
 */
class EveryAnswerSignedTest {

    private static final EnquiryHistoryEntry ENTRY = new EnquiryHistoryEntry("0b6f1c1e-2f65-3c1e-9d7b-2a3c4d5e6f70",
            "q-9", Instant.parse("2026-01-02T03:04:05Z"), "w-9", "child-worker", "police", "leeds", "s47-enquiry",
            "obtained");
    private static final AuditCheckpoint CHECKPOINT = new AuditCheckpoint(7, "ab12", "2026-02-03T10:15:30Z", "k1", "sig");
    private static final RegisterStatistics STATISTICS = new RegisterStatistics(LocalDate.of(2026, 1, 31),
            Map.of("registrations-by-category", Map.of("neglect", 12L)));

    private Vertx vertx;
    private WireMockServer register;
    private CanonicalJsonConnector gateway;
    /** What the stand-in does to each answer: its body and signature header in, what to pass on out. */
    private final AtomicReference<Function<String[], String[]>> network = new AtomicReference<>(a -> a);
    /** The signature of the last answer that passed the stand-in. */
    private final AtomicReference<String> lastSignature = new AtomicReference<>();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        register = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        register.start();
        register.stubFor(any(urlPathMatching("/(records|enquiries|audit-checkpoints).*")).willReturn(aResponse()
                .withStatus(201).withHeader("Content-Type", "application/json").withBody("{}")));
        register.stubFor(get(urlEqualTo("/statistics?asOf=2026-01-31")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(RecordJson.mapper().writeValueAsString(STATISTICS))));
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair signing = ec.generateKeyPair();
        AdapterConfig config = new AdapterConfig("leeds", "127.0.0.1", 0, null,
                AnswerSignature.pem("PRIVATE KEY", signing.getPrivate().getEncoded()),
                settings("http://127.0.0.1:" + register.port(), new JsonObject()), CanonicalFields.all());
        AtomicInteger port = new AtomicInteger();
        await(vertx.deployVerticle(new AdapterVerticle(config, port)));
        int through = startNetwork(port.get());
        gateway = new CanonicalJsonConnector(vertx, settings("http://127.0.0.1:" + through, new JsonObject()
                .put(CanonicalJsonConnector.ANSWER_KEY_OPTION,
                        AnswerSignature.pem("PUBLIC KEY", signing.getPublic().getEncoded()))));
    }

    @AfterEach
    void stop() throws Exception {
        await(gateway.close());
        register.stop();
        await(vertx.close());
    }

    private static RegisterSettings settings(String baseUrl, JsonObject options) {
        return new RegisterSettings("leeds", "canonical-json", URI.create(baseUrl), Duration.ofSeconds(10), 4, 16,
                1024 * 1024, options);
    }

    private static Deadline deadline() {
        return Deadline.afterMillis(10_000);
    }

    /** The four answers other than a search, each as the gateway asks for it. */
    private List<Future<?>> everyOtherAnswer() {
        return List.of(gateway.recordEnquiry("LE-000001", ENTRY, deadline()),
                gateway.recordEnquiries(List.of(new HistoryDelivery("LE-000001", ENTRY)), deadline()),
                gateway.publishCheckpoint(CHECKPOINT, deadline()),
                gateway.statistics(STATISTICS.asOf(), deadline()));
    }

    @Test
    void historyCheckpointAndStatisticsAnswersAreSignedAndCheckedByTheGateway() throws Exception {
        for (Future<?> answer : everyOtherAnswer()) {
            await(answer);
            assertTrue(lastSignature.get() != null, "the adapter signed the answer");
        }
        assertEquals(STATISTICS, await(gateway.statistics(STATISTICS.asOf(), deadline())));
    }

    @Test
    void anyOfThemUnsignedIsError() throws Exception {
        network.set(a -> new String[] {a[0], null});
        for (Future<?> answer : everyOtherAnswer()) {
            assertError(answer, "not signed");
        }
    }

    @Test
    void statisticsChangedAfterSigningAreError() throws Exception {
        network.set(a -> new String[] {a[0].replace("12", "13"), a[1]});
        assertError(gateway.statistics(STATISTICS.asOf(), deadline()), "does not cover");
    }

    /** A signature lifted from one write's answer ({@code {}}, as every write's) does not cover another's. */
    @Test
    void aWriteAnsweredWithAnotherRequestsSignatureIsError() throws Exception {
        await(gateway.publishCheckpoint(CHECKPOINT, deadline()));
        String lifted = lastSignature.get();
        network.set(a -> new String[] {a[0], lifted});
        assertError(gateway.recordEnquiry("LE-000001", ENTRY, deadline()), "does not cover");
        assertError(gateway.publishCheckpoint(new AuditCheckpoint(8, "cd34", "2026-02-03T10:16:30Z", "k1", "sig"),
                deadline()), "does not cover");
    }

    /**
     * Verifies that a signed answer saved on the way and sent again for a later, identical
     * request is refused (F5): two enquiries about the same child at the same tier send the same
     * search, and a saved "no record" would otherwise verify as the register's answer long after
     * it came to hold the child. Each signed request carries a fresh nonce that the signature
     * must cover.
     */
    @Test
    void aSearchAnsweredWithTheSavedAnswerToAnIdenticalEarlierSearchIsError() throws Exception {
        register.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo("/search"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"records\":[]}")));
        AtomicReference<String[]> saved = new AtomicReference<>();
        network.set(a -> {
            saved.compareAndSet(null, a);
            return a;
        });
        uk.wycps.connector.SearchRequest search = new uk.wycps.connector.SearchRequest(
                new uk.wycps.record.SearchCriteria("Aisha", "Khan", List.of(), List.of(), LocalDate.of(2016, 3, 9), null, null),
                java.util.Set.of("recordId", "givenName", "familyName"), deadline(), "q-1");
        assertEquals(List.of(), await(gateway.searchAnswer(search)).records(), "the first answer, signed and checked");
        network.set(a -> saved.get());
        assertError(gateway.searchAnswer(new uk.wycps.connector.SearchRequest(search.criteria(), search.fields(),
                deadline(), "q-2")), "does not cover");
    }

    private static void assertError(Future<?> answer, String reason) throws Exception {
        Throwable t = answer.transform(ar -> Future.succeededFuture(ar.failed() ? ar.cause() : null))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertTrue(t instanceof RegisterFailure, "expected a RegisterFailure, got " + t);
        assertEquals(RegisterFailure.Kind.ERROR, ((RegisterFailure) t).kind(), t.getMessage());
        assertTrue(t.getMessage().contains(reason), t.getMessage());
    }

    /** The stand-in network: forwards each request to the adapter and passes its answer on as {@link #network} says. */
    private int startNetwork(int adapterPort) throws Exception {
        HttpClient client = vertx.createHttpClient();
        HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> client
                .request(req.method(), adapterPort, "127.0.0.1", req.uri())
                .compose(out -> {
                    for (String header : List.of("Content-Type", AnswerSignature.NONCE_HEADER)) {
                        String value = req.getHeader(header);
                        if (value != null) {
                            out.putHeader(header, value);
                        }
                    }
                    return out.send(body);
                })
                .compose(resp -> resp.body().map(b -> {
                    String[] passed = network.get().apply(new String[] {b.toString(), resp.getHeader(AnswerSignature.HEADER)});
                    var reply = req.response().setStatusCode(resp.statusCode())
                            .putHeader("Content-Type", resp.getHeader("Content-Type"));
                    if (passed[1] != null) {
                        reply.putHeader(AnswerSignature.HEADER, passed[1]);
                    }
                    lastSignature.set(resp.getHeader(AnswerSignature.HEADER));
                    reply.end(Buffer.buffer(passed[0]));
                    return null;
                }))
                .onFailure(e -> req.response().setStatusCode(502).end())));
        return await(server.listen(0, "127.0.0.1")).actualPort();
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
