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
 * <p>Two gateways, identical but for one register: in the first, register W holds the children
 * asked about ("match"); in the second, W is the same dialect with other synthetic data (another
 * seed) and holds none of them, not even as a candidate ("no match"). Every other register is
 * the same. A Leeds child worker (W withheld) sends the same enquiries, one at a time, to one
 * gateway or the other in a seeded random order; the answer times of the two are compared by
 * percentiles and a two-sample Kolmogorov-Smirnov test, and so are the times of the enquiry
 * that follows each (work left after an answer could slow the next). Runs: (A) W alone, (B)
 * Leeds and W, (P) a placebo, Leeds alone, where the two gateways differ in nothing asked (any
 * difference there is the two gateways', not W's), and (C) a control, Leeds and W asked by W's
 * own child worker, who may see W's records: there the two must differ, which shows the test
 * can tell them apart.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar uk.wycps.benchmarks.timing.WithheldTiming
 * [ENQUIRIES_PER_KIND [REGISTER [SEED]]]} (defaults 2000, wakefield, 20261201). Gateways and mock
 * registers run in this JVM on loopback.
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
        InMemoryAuditSink matchAudit = InMemoryAuditSink.keepingLast(100_000);
        InMemoryAuditSink noneAudit = InMemoryAuditSink.keepingLast(100_000);
        // Each gateway on a Vert.x of its own: the same number of event loops each, none shared
        // with the registers or with the other gateway.
        Vertx matchVertx = Vertx.vertx();
        Vertx noneVertx = Vertx.vertx();
        Client match = new Client(await(start(matchVertx, holding, holding, register, matchAudit)).port());
        Client none = new Client(await(start(noneVertx, holding, other, register, noneAudit)).port());
        String leeds = DemoKeys.mint(vertx, "timing-leeds", "child-worker", "social-services", "leeds", List.of(), 3600);
        String owner = DemoKeys.mint(vertx, "timing-owner", "child-worker", "social-services", register, List.of(), 3600);

        List<JsonObject> subjects = subjects(holding, register, match, none, leeds, matchAudit, noneAudit);
        System.out.printf(Locale.ROOT, "register %s, withheld from a Leeds child worker; %d children it alone holds in"
                + " the first gateway and nobody holds in the second; %d enquiries to each; seed %d%n", register,
                subjects.size(), n, seed);

        Random random = new Random(seed);
        List<String> alone = List.of(register);
        List<String> withLeeds = List.of("leeds", register);
        run(match, none, leeds, with(subjects, withLeeds), 500, random); // warm-up
        report("A. " + register + " alone, withheld", run(match, none, leeds, with(subjects, alone), n, random));
        report("B. leeds and " + register + ", " + register + " withheld",
                run(match, none, leeds, with(subjects, withLeeds), n, random));
        report("P. placebo: leeds alone (the two gateways' registers asked are the same)",
                run(match, none, leeds, with(subjects, List.of("leeds")), n, random));
        run(match, none, owner, with(subjects, withLeeds), 500, random);
        report("C. control: leeds and " + register + ", " + register + " visible to the caller",
                run(match, none, owner, with(subjects, withLeeds), Math.min(n, 1000), random));
        System.exit(0);
    }

    /** A gateway over {@code base}'s registers, with {@code register} taken from {@code source}. */
    private static Future<Gateway> start(Vertx vertx, MockFederation base, MockFederation source, String register,
            InMemoryAuditSink audit) throws Exception {
        List<RegisterSettings> settings = new ArrayList<>();
        for (MockRegister r : base.registers()) {
            settings.add((r.authority().equals(register) ? source.register(register) : r).connectorSettings());
        }
        GatewayConfig config = new GatewayConfig(new GatewayConfig.Http("127.0.0.1", 0,
                GatewayConfig.Http.DEFAULT_MAX_BODY_BYTES, GatewayConfig.Http.DEFAULT_IDLE_TIMEOUT_SECONDS),
                DemoKeys.demoAuth(), settings, GatewayConfig.Audit.in(Files.createTempDirectory("wycps-timing")), null);
        return Gateway.start(vertx, config, audit, Files.createTempDirectory("wycps-timing-outbox"));
    }

    private static List<JsonObject> with(List<JsonObject> enquiries, List<String> registers) {
        return enquiries.stream().map(e -> e.copy().put("registers", registers)).toList();
    }

    /** Answer times in microseconds, by kind, and of the enquiry after each, by the kind before. */
    private record Result(double[] match, double[] none, double[] afterMatch, double[] afterNone) {
    }

    private static Result run(Client match, Client none, String token, List<JsonObject> subjects, int n, Random random)
            throws Exception {
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
            long t0 = System.nanoTime();
            int status = (isMatch ? match : none).enquire(token, body).statusCode();
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
     * Children only {@code register} holds, with no candidate in Leeds, that the first gateway's
     * {@code register} returns as a candidate and the second's does not (checked in each audit).
     */
    private static List<JsonObject> subjects(MockFederation holding, String register, Client match, Client none,
            String leeds, InMemoryAuditSink matchAudit, InMemoryAuditSink noneAudit) throws Exception {
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
            JsonObject inMatch = new JsonObject(match.enquire(leeds, enquiry).body());
            JsonObject inNone = new JsonObject(none.enquire(leeds, enquiry).body());
            if (!inMatch.getJsonArray("persons").isEmpty() || !inNone.getJsonArray("persons").isEmpty()) {
                continue;
            }
            if (notified(matchAudit, inMatch.getString("enquiryId")) > 0
                    && notified(noneAudit, inNone.getString("enquiryId")) == 0) {
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
