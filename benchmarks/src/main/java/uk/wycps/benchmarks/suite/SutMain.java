package uk.wycps.benchmarks.suite;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.connector.http.RegisterHttpClients;
import uk.wycps.gateway.Gateway;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.auth.DemoKeys;
import uk.wycps.gateway.config.GatewayConfig;
import uk.wycps.gateway.enquiry.EnquiryService;
import uk.wycps.policy.AccessDecision;
import uk.wycps.policy.Agency;
import uk.wycps.policy.Caller;
import uk.wycps.policy.ConsentBasis;
import uk.wycps.policy.ConsentGround;
import uk.wycps.policy.ConsentStatus;
import uk.wycps.policy.Declaration;
import uk.wycps.policy.PolicyLoader;
import uk.wycps.policy.Purpose;
import uk.wycps.policy.Role;
import uk.wycps.policy.SharingPolicy;
import uk.wycps.record.CanonicalFields;

/**
 * The system under test, in a JVM of its own: {@code noop} (a Vert.x server answering a fixed
 * body), {@code raw} (a minimal fan-out proxy: same registers, same register request, answers
 * concatenated; no authentication, policy, linking or audit), {@code gateway-mem} (the gateway
 * with the in-memory audit) or {@code gateway-file} (with the durable file audit). One verticle
 * per available processor in every mode, as the gateway does. Prints {@code READY <port>}, then
 * serves {@link JvmStats} commands on stdin.
 *
 * <p>Arguments: {@code MODE REGISTERS_FILE WORK_DIR [POLICY_FILE]}; the registers file has one
 * {@code authority baseUrl} a line.
 */
public final class SutMain {

    /** The suite's practitioners (their tokens are minted by {@link Suite}): a Leeds child worker with every grant. */
    static final String CALLER_ROLE = "child-worker";
    static final String CALLER_AGENCY = "social-services";
    static final String CALLER_AUTHORITY = "leeds";
    static final List<String> CALLER_GRANTS = List.of("cross-authority:*");
    /** The declaration every suite enquiry carries. */
    static final String PURPOSE = "register-check";
    static final String CONSENT_STATUS = "not-sought";
    static final String CONSENT_GROUND = "authorised-register-check";

    /**
     * The fields the raw proxy asks each register for: derived, not listed, from the same policy
     * as the gateway's and the suite's caller and declaration, through the same function the
     * gateway uses ({@link EnquiryService#fieldsAsked}: A5's allowed fields, with the shielded mark
     * whenever a location field is asked, A10). So the two systems fetch the same answers, and
     * a change of policy changes both. {@code RawFieldsTest} checks them against what a gateway
     * actually sends.
     */
    static Map<String, Set<String>> rawFields(Path policyFile, Set<String> authorities) {
        SharingPolicy policy = policyFile == null ? PolicyLoader.loadDefault(CanonicalFields.all(), authorities)
                : PolicyLoader.load(policyFile, CanonicalFields.all(), authorities);
        Caller caller = new Caller("bench-worker", Role.fromCode(CALLER_ROLE).orElseThrow(),
                Agency.fromCode(CALLER_AGENCY).orElseThrow(), CALLER_AUTHORITY, Set.copyOf(CALLER_GRANTS));
        Declaration declaration = new Declaration(Purpose.fromCode(PURPOSE).orElseThrow(), "Benchmark enquiry",
                new ConsentBasis(ConsentStatus.fromCode(CONSENT_STATUS).orElseThrow(), null,
                        ConsentGround.fromCode(CONSENT_GROUND).orElseThrow(), null));
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (String authority : authorities) {
            AccessDecision decision = policy.decide(caller, declaration, authority);
            out.put(authority, decision.recordsVisible() ? new TreeSet<>(EnquiryService.fieldsAsked(decision)) : Set.of());
        }
        return out;
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        List<String[]> registers = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[1]))) {
            if (!line.isBlank()) {
                registers.add(line.trim().split("\\s+"));
            }
        }
        Path work = Path.of(args[2]);
        Path policy = args.length > 3 ? Path.of(args[3]) : null;
        JvmStats.startSampling();
        Vertx vertx = Vertx.vertx();
        int instances = Runtime.getRuntime().availableProcessors();
        int port;
        Future<?> started;
        switch (mode) {
            case "noop" -> {
                NoopVerticle.PORT.set(0);
                port = await(vertx.deployVerticle(NoopVerticle::new, new DeploymentOptions().setInstances(instances))
                        .map(id -> NoopVerticle.PORT.get()));
            }
            case "raw" -> {
                RawFanOutVerticle.PORT.set(0);
                Map<String, Set<String>> fields = rawFields(policy, authorities(registers));
                port = await(vertx.deployVerticle(() -> new RawFanOutVerticle(registers, fields),
                        new DeploymentOptions().setInstances(instances)).map(id -> RawFanOutVerticle.PORT.get()));
            }
            case "gateway-mem", "gateway-file", "gateway-limited" -> {
                Files.createDirectories(work);
                GatewayConfig config = gatewayConfig(mode, registers, work, policy);
                Future<Gateway> gateway = mode.equals("gateway-file")
                        ? Gateway.start(vertx, config)
                        : Gateway.start(vertx, config, InMemoryAuditSink.keepingLast(1_000), work);
                port = await(gateway).port();
            }
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        }
        System.out.println("READY " + port);
        System.out.flush();
        JvmStats.serveCommands(null, () -> {
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
            System.exit(0);
        });
    }

    /** The gateway's configuration in the suite: these registers, demo keys, admission control off unless {@code gateway-limited}. */
    static GatewayConfig gatewayConfig(String mode, List<String[]> registers, Path work, Path policy) {
        List<RegisterSettings> settings = new ArrayList<>();
        for (String[] r : registers) {
            settings.add(new RegisterSettings(r[0], "canonical-json", URI.create(r[1]),
                    RegisterSettings.DEFAULT_DEADLINE, RegisterSettings.DEFAULT_MAX_CONNECTIONS,
                    RegisterSettings.DEFAULT_MAX_WAIT_QUEUE, RegisterSettings.DEFAULT_MAX_RESPONSE_BYTES, registerOptions()));
        }
        return new GatewayConfig(new GatewayConfig.Http("127.0.0.1", 0,
                GatewayConfig.Http.DEFAULT_MAX_BODY_BYTES, GatewayConfig.Http.DEFAULT_IDLE_TIMEOUT_SECONDS),
                DemoKeys.demoAuth(), settings, GatewayConfig.Audit.in(work), policy)
                .withManagement(new GatewayConfig.Management("127.0.0.1", 0))
                // The suite measures the fan-out: fifty callers at up to thousands a second
                // would be refused by the per-caller and per-agency buckets.
                .withLimits(mode.equals("gateway-limited") ? limits() : GatewayConfig.Limits.OFF);
    }

    /**
     * {@code gateway-limited}'s admission control: {@link AdmissionProbe#LIMITS}, with
     * {@code -Dsut.maxInFlight=N} for another bound on enquiries in flight (issue 21: at national
     * scale, refuse before answers would be late) and {@code -Dsut.maxEventLoopLagMs=N} for
     * another event-loop lag (0: none).
     */
    static GatewayConfig.Limits limits() {
        GatewayConfig.Limits l = AdmissionProbe.LIMITS;
        return new GatewayConfig.Limits(Integer.getInteger("sut.maxInFlight", l.maxInFlight()), l.perCaller(),
                l.perAgency(), l.failedAuthPerAddress(), Integer.getInteger("sut.maxEventLoopLagMs", l.maxEventLoopLagMs()));
    }

    /**
     * Every register's dialect options in the suite: none, or {@code -Dsut.http2=prior-knowledge}
     * for HTTP/2 (h2c) to every register (issue 21: HTTP/2 against pooled HTTP/1.1).
     */
    static io.vertx.core.json.JsonObject registerOptions() {
        String http2 = System.getProperty("sut.http2");
        return http2 == null || http2.isBlank() || http2.equals("false") ? null
                : new io.vertx.core.json.JsonObject().put(RegisterHttpClients.HTTP2_OPTION, http2);
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }

    /** The machine's request ceiling: reads the body, answers a fixed small JSON body. */
    static final class NoopVerticle extends VerticleBase {
        static final java.util.concurrent.atomic.AtomicInteger PORT = new java.util.concurrent.atomic.AtomicInteger();
        static final Buffer BODY = Buffer.buffer("{\"ok\":true}");

        @Override
        public Future<?> start() {
            return vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true))
                    .requestHandler(req -> req.body().onComplete(ar -> req.response()
                            .putHeader("Content-Type", "application/json").end(BODY)))
                    .listen(PORT.get() == 0 ? 0 : PORT.get(), "127.0.0.1")
                    .onSuccess(s -> PORT.compareAndSet(0, s.actualPort()));
        }
    }

    /**
     * The physical limit of fan-out here: parses the enquiry, asks every register for the same
     * criteria and fields the gateway would, with the same pool sizes (64 connections, wait
     * queue 256) and the same 2000 ms deadline, and concatenates the answers as they are.
     */
    static final class RawFanOutVerticle extends VerticleBase {
        static final java.util.concurrent.atomic.AtomicInteger PORT = new java.util.concurrent.atomic.AtomicInteger();
        private final List<String[]> registers;
        private final List<HttpClientAgent> clients = new ArrayList<>();
        private final List<String> paths = new ArrayList<>();
        /** Each register's {@code "fields"} member, encoded once. */
        private final List<String> fieldsJson = new ArrayList<>();
        private final Map<String, Set<String>> fields;

        RawFanOutVerticle(List<String[]> registers, Map<String, Set<String>> fields) {
            this.registers = registers;
            this.fields = fields;
        }

        @Override
        public Future<?> start() {
            for (String[] r : registers) {
                URI uri = URI.create(r[1]);
                clients.add(vertx.createHttpClient(new HttpClientOptions().setDefaultHost(uri.getHost())
                                .setDefaultPort(uri.getPort()).setKeepAlive(true).setTcpNoDelay(true)
                                .setKeepAliveTimeout(RegisterHttpClients.KEEP_ALIVE_SECONDS),
                        new PoolOptions().setHttp1MaxSize(RegisterSettings.DEFAULT_MAX_CONNECTIONS)
                                .setMaxWaitQueueSize(RegisterSettings.DEFAULT_MAX_WAIT_QUEUE)));
                String path = uri.getPath() == null ? "" : uri.getPath();
                paths.add((path.endsWith("/") ? path.substring(0, path.length() - 1) : path) + "/search");
                fieldsJson.add(new JsonArray(new ArrayList<>(fields.getOrDefault(r[0], Set.of()))).encode());
            }
            return vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true))
                    .requestHandler(this::handle)
                    .listen(PORT.get() == 0 ? 0 : PORT.get(), "127.0.0.1")
                    .onSuccess(s -> PORT.compareAndSet(0, s.actualPort()));
        }

        private void handle(HttpServerRequest req) {
            req.body().onSuccess(body -> {
                JsonObject subject;
                try {
                    subject = body.toJsonObject().getJsonObject("subject");
                } catch (RuntimeException e) {
                    req.response().setStatusCode(400).end();
                    return;
                }
                JsonObject criteria = new JsonObject();
                for (String f : List.of("givenName", "familyName", "dateOfBirth", "gender", "postcode")) {
                    if (subject.getValue(f) != null) {
                        criteria.put(f, subject.getValue(f));
                    }
                }
                // As the gateway: the caller may shorten the deadline (X-Deadline-Ms), never lengthen it.
                long deadline = RegisterSettings.DEFAULT_DEADLINE.toMillis();
                String asked = req.getHeader("X-Deadline-Ms");
                if (asked != null) {
                    try {
                        deadline = Math.max(1, Math.min(deadline, Long.parseLong(asked.trim())));
                    } catch (NumberFormatException e) {
                        req.response().setStatusCode(400).end();
                        return;
                    }
                }
                String head = "{\"criteria\":" + criteria.encode() + ",\"fields\":";
                List<Future<Buffer>> answers = new ArrayList<>(clients.size());
                for (int i = 0; i < clients.size(); i++) {
                    Buffer query = Buffer.buffer(head + fieldsJson.get(i) + "}");
                    answers.add(clients.get(i).request(new RequestOptions().setMethod(HttpMethod.POST)
                                    .setURI(paths.get(i)).setIdleTimeout(deadline)
                                    .putHeader("Content-Type", "application/json"))
                            .compose(r -> r.send(query))
                            .compose(resp -> resp.statusCode() == 200 ? resp.body()
                                    : Future.<Buffer>failedFuture("HTTP " + resp.statusCode())));
                }
                Future.join(answers).onComplete(ar -> {
                    int failed = 0;
                    for (Future<Buffer> a : answers) {
                        failed += a.succeeded() ? 0 : 1;
                    }
                    Buffer out = Buffer.buffer(1024).appendString("{\"failed\":" + failed + ",\"answers\":[");
                    for (int i = 0; i < answers.size(); i++) {
                        if (i > 0) {
                            out.appendString(",");
                        }
                        Future<Buffer> a = answers.get(i);
                        out.appendBuffer(a.succeeded() ? a.result() : Buffer.buffer("{\"error\":true}"));
                    }
                    out.appendString("]}");
                    req.response().putHeader("Content-Type", "application/json").end(out);
                });
            });
        }
    }

    static Set<String> authorities(List<String[]> registers) {
        Set<String> out = new LinkedHashSet<>();
        registers.forEach(r -> out.add(r[0]));
        return out;
    }

    static Duration deadline() {
        return RegisterSettings.DEFAULT_DEADLINE;
    }
}
