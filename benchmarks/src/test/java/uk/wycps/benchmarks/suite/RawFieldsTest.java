package uk.wycps.benchmarks.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uk.wycps.gateway.Gateway;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.auth.DemoKeys;

/**
 * The load suite compares like with like (issue 21): the raw fan-out proxy asks every register
 * for exactly the fields a real gateway asks for the suite's caller and declaration (A5, with the
 * shielded mark of A10). Both are pointed at the same recording registers and the fields each
 * register was asked for are compared, register by register.
 */
class RawFieldsTest {

    private static final List<String> AUTHORITIES = List.of("bradford", "calderdale", "kirklees", "leeds", "wakefield");

    private Vertx vertx;
    private HttpServer registers;
    /** authority → the fields of the last search it received, per system. */
    private final Map<String, Set<String>> asked = new ConcurrentHashMap<>();

    @BeforeEach
    void recordingRegisters() throws Exception {
        vertx = Vertx.vertx();
        registers = await(vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            String[] path = req.path().split("/");
            if (req.method() == HttpMethod.POST && path.length == 3 && path[2].equals("search")) {
                Set<String> fields = new TreeSet<>();
                body.toJsonObject().getJsonArray("fields").forEach(f -> fields.add((String) f));
                asked.put(path[1], fields);
            }
            req.response().putHeader("Content-Type", "application/json").end("{\"records\":[]}");
        })).listen(0, "127.0.0.1"));
    }

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void rawProxyAsksEachRegisterForTheFieldsTheGatewayAsksFor(@TempDir Path work) throws Exception {
        List<String[]> regs = new ArrayList<>();
        for (String a : AUTHORITIES) {
            regs.add(new String[] {a, "http://127.0.0.1:" + registers.actualPort() + "/" + a});
        }
        JsonObject enquiry = new JsonObject()
                .put("subject", new JsonObject().put("givenName", "Ada").put("familyName", "Smith").put("dateOfBirth", "2015-03-02"))
                .put("purpose", new JsonObject().put("code", SutMain.PURPOSE).put("justification", "Benchmark enquiry"))
                .put("consent", new JsonObject().put("status", SutMain.CONSENT_STATUS).put("ground", SutMain.CONSENT_GROUND));

        Files.createDirectories(work.resolve("gw"));
        Gateway gateway = await(Gateway.start(vertx, SutMain.gatewayConfig("gateway-mem", regs, work.resolve("gw"), null),
                InMemoryAuditSink.keepingLast(10), work.resolve("gw")));
        String token = DemoKeys.mint(vertx, "bench-worker-0", SutMain.CALLER_ROLE, SutMain.CALLER_AGENCY,
                SutMain.CALLER_AUTHORITY, SutMain.CALLER_GRANTS, 600);
        assertEquals(200, post(gateway.port(), enquiry, token));
        Map<String, Set<String>> byGateway = new TreeMap<>(asked);
        asked.clear();

        SutMain.RawFanOutVerticle.PORT.set(0);
        Map<String, Set<String>> fields = SutMain.rawFields(null, SutMain.authorities(regs));
        await(vertx.deployVerticle(() -> new SutMain.RawFanOutVerticle(regs, fields), new DeploymentOptions()));
        assertEquals(200, post(SutMain.RawFanOutVerticle.PORT.get(), enquiry, null));
        Map<String, Set<String>> byRaw = new TreeMap<>(asked);

        assertEquals(Set.copyOf(AUTHORITIES), byGateway.keySet(), "the gateway searched every register");
        assertTrue(byGateway.get("leeds").contains("familyName"), "the gateway asked for person-level fields");
        assertEquals(byGateway, byRaw);
    }

    private int post(int port, JsonObject body, String token) throws Exception {
        HttpClientAgent client = vertx.createHttpClient();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
                .setURI("/api/v1/enquiries").putHeader("Content-Type", "application/json");
        if (token != null) {
            options.putHeader("Authorization", "Bearer " + token);
        }
        int status = await(client.request(options).compose(r -> r.send(body.toBuffer()))
                .compose(resp -> resp.body().map(b -> resp.statusCode())));
        client.close();
        return status;
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
