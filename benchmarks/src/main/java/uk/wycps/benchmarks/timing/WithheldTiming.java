package uk.wycps.benchmarks.timing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.gateway.Gateway;
import uk.wycps.gateway.audit.AuditEntry;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.auth.DemoKeys;
import uk.wycps.gateway.config.GatewayConfig;
import uk.wycps.gateway.enquiry.EnquiryService;
import uk.wycps.mock.GroundTruth;
import uk.wycps.mock.MockFederation;
import uk.wycps.mock.MockOptions;
import uk.wycps.mock.MockRegister;
import uk.wycps.mock.MockRegisters;
import uk.wycps.record.ChildRecord;

/**
 * The timing channel of A9, measured (issue 14 item 2): do a caller's answer times tell whether
 * a register withheld from them holds the child?
 *
 * <p>One gateway. Register W is reached through a switch in this program: each search of W goes
 * either to W as the mock registers have it, which holds the children asked about ("match"), or
 * to the same dialect with other synthetic data (another seed), which holds none of them, not
 * even as a candidate ("no match"), following a seeded random schedule; everything else (the
 * gateway, the subjects, every other register) is the same for both. A Leeds child worker (W
 * withheld) sends the enquiries one at a time, back to back; the answer times of the two kinds
 * are compared by percentiles and a two-sample Kolmogorov-Smirnov test, and so are the times of
 * the enquiry that follows each (work left after an answer could slow the next). Runs: (A) W
 * alone, (B) Leeds and W, (P) a placebo, as B but every search goes to the register that holds
 * nobody, the labels alone random (what noise looks like here), and (C) a control, Leeds and W
 * asked by W's own child worker, who may see W's records: there the two must differ, which
 * shows the test can tell them apart when there is something to tell.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar uk.wycps.benchmarks.timing.WithheldTiming
 * [ENQUIRIES_PER_KIND [REGISTER [SEED]]]} (defaults 2000, wakefield, 20261201; REGISTER
 * {@code wakefield} or {@code bradford}). Gateway and mock registers run in this JVM on loopback.
 */
public final class WithheldTiming {

    private static final int CHILDREN = 20;

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        String register = args.length > 1 ? args[1] : "wakefield";
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 20261201L;
        Vertx vertx = Vertx.vertx();
        MockOptions options = MockOptions.defaults().withAuthorityDialects().withChildrenPerRegister(200)
                .withEphemeralPorts();
        MockFederation holding = await(MockRegisters.start(vertx, options));
        MockFederation other = await(MockRegisters.start(vertx, options.withSeed(MockOptions.DEFAULT_SEED + 1)));
        Switch to = new Switch(holding.register(register).baseUrl(), other.register(register).baseUrl());
        int switchPort = await(to.start(vertx));
        InMemoryAuditSink audit = InMemoryAuditSink.keepingLast(100_000);
        // The gateway on a Vert.x of its own: no event loop shared with the registers or the switch.
        Gateway gateway = await(start(Vertx.vertx(), holding, register, switchPort, audit));
        Client client = new Client(gateway.port());
        String leeds = DemoKeys.mint(vertx, "timing-leeds", "child-worker", "social-services", "leeds", List.of(), 3600);
        String owner = DemoKeys.mint(vertx, "timing-owner", "child-worker", "social-services", register, List.of(), 3600);

        List<JsonObject> subjects = subjects(holding, register, client, to, leeds, audit);
        System.out.printf(Locale.ROOT, "register %s, withheld from a Leeds child worker; %d children it alone holds"
                + " (no match: the same register with another seed's data, holding none of them); %d enquiries of"
                + " each kind; seed %d; %d processors%n", register, subjects.size(), n, seed,
                Runtime.getRuntime().availableProcessors());

        Random random = new Random(seed);
        List<String> alone = List.of(register);
        List<String> withLeeds = List.of("leeds", register);
        run(client, to, leeds, with(subjects, withLeeds), 500, random, false); // warm-up
        report("A. " + register + " alone, withheld", run(client, to, leeds, with(subjects, alone), n, random, false));
        report("B. leeds and " + register + ", " + register + " withheld",
                run(client, to, leeds, with(subjects, withLeeds), n, random, false));
        report("P. placebo: as B, but every search goes to the register holding nobody",
                run(client, to, leeds, with(subjects, withLeeds), n, random, true));
        run(client, to, owner, with(subjects, withLeeds), 500, random, false);
        report("C. control: leeds and " + register + ", " + register + " visible to the caller",
                run(client, to, owner, with(subjects, withLeeds), Math.min(n, 1000), random, false));
        System.exit(0);
    }

    /** The gateway over the mock registers, {@code register} reached through the switch. */
    private static Future<Gateway> start(Vertx vertx, MockFederation mocks, String register, int switchPort,
            InMemoryAuditSink audit) throws Exception {
        List<RegisterSettings> settings = new ArrayList<>();
        for (MockRegister r : mocks.registers()) {
            RegisterSettings s = r.connectorSettings();
            if (r.authority().equals(register)) {
                URI base = s.baseUrl();
                s = new RegisterSettings(s.authority(), s.dialect(), new URI(base.getScheme(), null, base.getHost(),
                        switchPort, base.getPath(), null, null), s.deadline(), s.maxConnections(), s.maxWaitQueue(),
                        s.maxResponseBytes(), s.options());
            }
            settings.add(s);
        }
        GatewayConfig config = new GatewayConfig(new GatewayConfig.Http("127.0.0.1", 0,
                GatewayConfig.Http.DEFAULT_MAX_BODY_BYTES, GatewayConfig.Http.DEFAULT_IDLE_TIMEOUT_SECONDS),
                DemoKeys.demoAuth(), settings, GatewayConfig.Audit.in(Files.createTempDirectory("wycps-timing")), null);
        return Gateway.start(vertx, config, audit, Files.createTempDirectory("wycps-timing-outbox"));
    }

    /**
     * Sends each search of the register to the one that holds the children or to the one that
     * holds none of them, in the order queued (one search an enquiry, enquiries one at a time);
     * anything else (an enquiry-history delivery for a match) to the one that holds them.
     */
    private static final class Switch {
        private final URI holding;
        private final URI holdingNone;
        private final java.util.concurrent.ConcurrentLinkedQueue<Boolean> schedule =
                new java.util.concurrent.ConcurrentLinkedQueue<>();
        private io.vertx.core.http.HttpClient client;

        Switch(URI holding, URI holdingNone) {
            this.holding = holding;
            this.holdingNone = holdingNone;
        }

        /** The next search goes to the register that holds the child when {@code match}. */
        void next(boolean match) {
            schedule.add(match);
        }

        Future<Integer> start(Vertx vertx) {
            client = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions().setKeepAlive(true),
                    new io.vertx.core.http.PoolOptions().setHttp1MaxSize(32));
            return vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
                boolean search = req.path().endsWith("/find") || req.path().endsWith("/search");
                Boolean match = search ? schedule.poll() : Boolean.TRUE;
                URI to = match == null || match ? holding : holdingNone;
                io.vertx.core.http.RequestOptions options = new io.vertx.core.http.RequestOptions()
                        .setMethod(req.method()).setHost(to.getHost()).setPort(to.getPort()).setURI(req.uri());
                String type = req.getHeader("Content-Type");
                if (type != null) {
                    options.putHeader("Content-Type", type);
                }
                client.request(options).compose(r -> r.send(body)).compose(r -> r.body().map(b -> {
                    req.response().setStatusCode(r.statusCode());
                    String answerType = r.getHeader("Content-Type");
                    if (answerType != null) {
                        req.response().putHeader("Content-Type", answerType);
                    }
                    return req.response().end(b);
                })).onFailure(e -> req.response().setStatusCode(502).end());
            })).listen(0, "127.0.0.1").map(io.vertx.core.http.HttpServer::actualPort);
        }
    }

    private static List<JsonObject> with(List<JsonObject> enquiries, List<String> registers) {
        return enquiries.stream().map(e -> e.copy().put("registers", registers)).toList();
    }

    /** Answer times in microseconds, by kind, and of the enquiry after each, by the kind before. */
    private record Result(double[] match, double[] none, double[] afterMatch, double[] afterNone) {
    }

    private static Result run(Client client, Switch to, String token, List<JsonObject> subjects, int n, Random random,
            boolean placebo) throws Exception {
        List<Boolean> order = new ArrayList<>(2 * n);
        for (int i = 0; i < n; i++) {
            order.add(true);
            order.add(false);
        }
        Collections.shuffle(order, random);
        List<Double> m = new ArrayList<>();
        List<Double> o = new ArrayList<>();
        List<Double> afterMatch = new ArrayList<>();
        List<Double> afterNone = new ArrayList<>();
        Boolean previous = null;
        for (boolean isMatch : order) {
            JsonObject body = subjects.get(random.nextInt(subjects.size()));
            to.next(isMatch && !placebo);
            long t0 = System.nanoTime();
            int status = client.enquire(token, body).statusCode();
            double micros = (System.nanoTime() - t0) / 1_000.0;
            if (status != 200) {
                throw new IllegalStateException("enquiry answered " + status);
            }
            (isMatch ? m : o).add(micros);
            if (previous != null) {
                (previous ? afterMatch : afterNone).add(micros);
            }
            previous = isMatch;
        }
        return new Result(array(m), array(o), array(afterMatch), array(afterNone));
    }

    private static void report(String title, Result r) {
        KolmogorovSmirnovTest ks = new KolmogorovSmirnovTest();
        System.out.println(title);
        System.out.printf(Locale.ROOT, "  %-32s %6s %8s %8s %8s%n", "answer time", "n", "p50 ms", "p90 ms", "p99 ms");
        line("match", r.match());
        line("no match", r.none());
        System.out.printf(Locale.ROOT, "  KS match vs no match: D = %.4f, p = %.4f%n",
                ks.kolmogorovSmirnovStatistic(r.match(), r.none()), ks.kolmogorovSmirnovTest(r.match(), r.none()));
        line("next enquiry, after a match", r.afterMatch());
        line("next enquiry, after no match", r.afterNone());
        System.out.printf(Locale.ROOT, "  KS next after match vs after no match: D = %.4f, p = %.4f%n",
                ks.kolmogorovSmirnovStatistic(r.afterMatch(), r.afterNone()),
                ks.kolmogorovSmirnovTest(r.afterMatch(), r.afterNone()));
    }

    private static void line(String name, double[] micros) {
        double[] sorted = micros.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "  %-32s %6d %8.3f %8.3f %8.3f%n", name, sorted.length,
                percentile(sorted, 0.50) / 1000, percentile(sorted, 0.90) / 1000, percentile(sorted, 0.99) / 1000);
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static double[] array(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * Children only {@code register} holds, with no candidate in Leeds, that the register holding
     * them returns as a candidate and the other does not (checked in the audit's record of the
     * withheld searches).
     */
    private static List<JsonObject> subjects(MockFederation holding, String register, Client client, Switch to,
            String leeds, InMemoryAuditSink audit) throws Exception {
        List<JsonObject> out = new ArrayList<>();
        for (GroundTruth.Person p : holding.groundTruth().persons()) {
            if (out.size() == CHILDREN) {
                break;
            }
            if (p.records().size() != 1 || !p.records().get(0).authority().equals(register)) {
                continue;
            }
            ChildRecord r = holding.register(register).record(p.records().get(0).recordId()).orElseThrow();
            if (r.givenName() == null || r.dateOfBirth() == null) {
                continue;
            }
            JsonObject enquiry = new JsonObject()
                    .put("subject", new JsonObject().put("givenName", r.givenName()).put("familyName", r.familyName())
                            .put("dateOfBirth", r.dateOfBirth().toString()))
                    .put("purpose", new JsonObject().put("code", "register-check").put("justification", "timing"))
                    .put("consent", new JsonObject().put("status", "not-sought").put("ground", "authorised-register-check"))
                    .put("registers", List.of("leeds", register));
            to.next(true);
            JsonObject inMatch = new JsonObject(client.enquire(leeds, enquiry).body());
            int matched = notified(audit, inMatch.getString("enquiryId"));
            to.next(false);
            JsonObject inNone = new JsonObject(client.enquire(leeds, enquiry).body());
            int none = notified(audit, inNone.getString("enquiryId"));
            if (inMatch.getJsonArray("persons").isEmpty() && matched > 0 && none == 0) {
                out.add(enquiry);
            }
        }
        return out;
    }

    /** How many records the withheld searches of an enquiry notified, once they are audited. */
    private static int notified(InMemoryAuditSink audit, String enquiryId) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            for (AuditEntry e : audit.entries()) {
                if (enquiryId.equals(e.enquiryId()) && e.result().startsWith(EnquiryService.WITHHELD_SEARCHED)) {
                    return e.notified().size();
                }
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("the withheld searches of " + enquiryId + " were not audited");
    }

    /** A plain blocking HTTP/1.1 client (the JDK's): one enquiry at a time, the connection kept. */
    private static final class Client {
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final URI uri;

        Client(int port) {
            uri = URI.create("http://127.0.0.1:" + port + "/api/v1/enquiries");
        }

        HttpResponse<String> enquire(String token, JsonObject body) throws Exception {
            return http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
