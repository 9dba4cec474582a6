package uk.wycps.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uk.wycps.connector.ConnectorRegistry;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.connector.SearchRequest;
import uk.wycps.gateway.auth.DemoKeys;
import uk.wycps.mock.MockFederation;
import uk.wycps.mock.MockOptions;
import uk.wycps.mock.MockRegister;
import uk.wycps.mock.MockRegisters;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.SearchCriteria;

/**
 * {@code registers[].http2} (issue 21): a register configured for HTTP/2 with prior knowledge is
 * searched over HTTP/2 (h2c), one without it over HTTP/1.1; the mock registers accept h2c, so the
 * load suite can compare the two; a setting that cannot work stops start-up naming its place (O2).
 */
class Http2RegisterConfigurationTest {

    @TempDir
    Path dir;

    private Vertx vertx;

    @BeforeEach
    void vertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static JsonObject config(String baseUrl, Object http2) {
        JsonObject leeds = new JsonObject().put("authority", "leeds").put("dialect", "canonical-json")
                .put("baseUrl", baseUrl).put("insecure", true);
        if (http2 != null) {
            leeds.put("http2", http2);
        }
        return new JsonObject()
                .put("http", new JsonObject().put("port", 0))
                .put("auth", new JsonObject().put("issuer", "https://idp.example")
                        .put("keys", new JsonArray().add(new JsonObject().put("algorithm", "ES256")
                                .put("publicKey", DemoKeys.verificationKeyPem()))))
                .put("registers", new JsonArray().add(leeds))
                .put("audit", new JsonObject().put("directory", "audit"));
    }

    private RegisterSettings leeds(String baseUrl, Object http2) throws Exception {
        Path file = dir.resolve("gateway.json");
        Files.writeString(file, config(baseUrl, http2).encodePrettily());
        return new ConfigLoader(ConnectorRegistry.load()).load(file).registers().get(0);
    }

    private static SearchRequest search(String given, String family) {
        return new SearchRequest(new SearchCriteria(given, family, null, null, null, null, null), Set.of("givenName", "familyName"),
                Deadline.afterMillis(10_000), "enquiry-1");
    }

    @Test
    void aRegisterConfiguredForPriorKnowledgeIsSearchedOverHttp2AndOtherwiseOverHttp11() throws Exception {
        // GIVEN a register (a plain Vert.x server, which accepts h2c) that notes each search's protocol
        List<HttpVersion> seen = new CopyOnWriteArrayList<>();
        HttpServer register = await(vertx.createHttpServer().requestHandler(req -> {
            seen.add(req.version());
            req.body().onSuccess(b -> req.response().putHeader("Content-Type", "application/json").end("{\"records\":[]}"));
        }).listen(0, "127.0.0.1"));
        String base = "http://127.0.0.1:" + register.actualPort();

        // WHEN it is searched twice through a connector configured with http2: prior-knowledge, then without
        RegisterConnector h2 = ConnectorRegistry.load().create(vertx, leeds(base, "prior-knowledge"));
        assertEquals(List.of(), await(h2.search(search("Ada", "Smith"))));
        assertEquals(List.of(), await(h2.search(search("Ada", "Smith"))));
        RegisterConnector h1 = ConnectorRegistry.load().create(vertx, leeds(base, false));
        assertEquals(List.of(), await(h1.search(search("Ada", "Smith"))));

        // THEN the first two searches arrived over HTTP/2, the last over HTTP/1.1
        assertEquals(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_2, HttpVersion.HTTP_1_1), seen);
        await(h2.close());
        await(h1.close());
    }

    @Test
    void theMockRegistersAnswerASearchOverH2cWithPriorKnowledge() throws Exception {
        MockFederation mocks = await(MockRegisters.start(vertx, MockOptions.defaults().withChildrenPerRegister(20)
                .withEphemeralPorts()));
        try {
            MockRegister leeds = mocks.register("leeds");
            ChildRecord child = leeds.records().stream().filter(c -> c.givenName() != null).findFirst().orElseThrow();
            RegisterConnector h2 = ConnectorRegistry.load().create(vertx,
                    leeds(leeds.connectorSettings().baseUrl().toString(), "prior-knowledge"));
            List<ChildRecord> found = await(h2.search(search(child.givenName(), child.familyName())));
            assertTrue(found.stream().anyMatch(r -> r.recordId().equals(child.recordId())), "the child is found over h2c");
            await(h2.close());
        } finally {
            await(mocks.close());
        }
    }

    @Test
    void anHttp2SettingThatCannotWorkStopsStartUpNamingItsPlace() {
        ConfigException https = assertThrows(ConfigException.class,
                () -> leeds("https://register.leeds.example", "prior-knowledge"));
        assertTrue(https.getMessage().contains("$.registers[0].http2"), https.getMessage());
        ConfigException alpn = assertThrows(ConfigException.class, () -> leeds("http://127.0.0.1:9104", "alpn"));
        assertTrue(alpn.getMessage().contains("$.registers[0].http2"), alpn.getMessage());
        ConfigException unknown = assertThrows(ConfigException.class, () -> leeds("http://127.0.0.1:9104", "h3"));
        assertTrue(unknown.getMessage().contains("http2"), unknown.getMessage());
        assertFalse(unknown.getMessage().contains("Exception"), unknown.getMessage());
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
