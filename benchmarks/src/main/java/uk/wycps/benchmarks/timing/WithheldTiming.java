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
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.gateway.Gateway;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.auth.DemoKeys;
import uk.wycps.gateway.config.GatewayConfig;
import uk.wycps.mock.GroundTruth;
import uk.wycps.mock.MockFederation;
import uk.wycps.mock.MockOptions;
import uk.wycps.mock.MockRegister;
import uk.wycps.mock.MockRegisters;
import uk.wycps.record.ChildRecord;

/**
 * The timing channel of A9, measured (issue 14 item 2): a Leeds child worker enquires, one at a
 * time, about children only a register withheld from them holds ("match") and about children
 * nobody holds ("none"), in a seeded random order, and the answer times of the two are
 * compared: percentiles and a two-sample Kolmogorov-Smirnov test. A control does the same as a
 * caller who may see that register, where the two must differ (records fetched, linked and
 * released), to show that the test can tell them apart when there is something to tell.
 *
 * <p>Four runs: (A) the withheld register alone, which isolates it; (B) with Leeds, the
 * caller's own register, as a real enquiry would be; (C) a placebo, Leeds alone with the same
 * subjects, since the two kinds of subject have different names and Leeds's own search differs
 * with the name whatever the withheld register holds; (D) the control.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar uk.wycps.benchmarks.timing.WithheldTiming
 * [ENQUIRIES_PER_KIND [REGISTER [SEED]]]} (defaults 2000, wakefield, 20261201). The gateway and the
 * five mock registers run in this JVM on loopback.
 */
public final class WithheldTiming {

    private static final int CHILDREN = 20;

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        String register = args.length > 1 ? args[1] : "wakefield";
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 20261201L;
        Vertx vertx = Vertx.vertx();
        MockFederation mocks = await(MockRegisters.start(vertx, MockOptions.defaults().withAuthorityDialects()
                .withChildrenPerRegister(200).withEphemeralPorts()));
        List<RegisterSettings> settings = new ArrayList<>();
        for (MockRegister r : mocks.registers()) {
            settings.add(r.connectorSettings());
        }
        GatewayConfig config = new GatewayConfig(new GatewayConfig.Http("127.0.0.1", 0,
                GatewayConfig.Http.DEFAULT_MAX_BODY_BYTES, GatewayConfig.Http.DEFAULT_IDLE_TIMEOUT_SECONDS),
                DemoKeys.demoAuth(), settings, GatewayConfig.Audit.in(Files.createTempDirectory("wycps-timing")), null);
        Gateway gateway = await(Gateway.start(vertx, config, InMemoryAuditSink.keepingLast(1_000),
                Files.createTempDirectory("wycps-timing-outbox")));
        Client client = new Client(gateway.port());
        String leeds = DemoKeys.mint(vertx, "timing-leeds", "child-worker", "social-services", "leeds", List.of(), 3600);
        String owner = DemoKeys.mint(vertx, "timing-owner", "child-worker", "social-services", register, List.of(), 3600);

        List<JsonObject> held = heldOnlyBy(mocks, client, register, owner, leeds);
        List<JsonObject> nobody = new ArrayList<>();
        for (int i = 0; i < held.size(); i++) {
            JsonObject e = held.get(i).copy();
            e.getJsonObject("subject").put("givenName", "Zephyrine").put("familyName", "Quillfeather" + (char) ('a' + i));
            nobody.add(e);
        }
        System.out.printf(Locale.ROOT, "register %s withheld from a Leeds child worker; %d children it alone holds,"
                + " %d nobody holds; %d enquiries of each kind; seed %d%n", register, held.size(), nobody.size(), n, seed);

        Random random = new Random(seed);
        List<String> alone = List.of(register);
        List<String> withLeeds = List.of("leeds", register);
        run(client, leeds, with(held, withLeeds), with(nobody, withLeeds), 500, random); // warm-up
        report("A. " + register + " alone, WITHHELD from the caller",
                run(client, leeds, with(held, alone), with(nobody, alone), n, random));
        report("B. leeds and " + register + ", " + register + " WITHHELD",
                run(client, leeds, with(held, withLeeds), with(nobody, withLeeds), n, random));
        report("C. placebo: leeds alone, the same subjects (" + register + " not asked)",
                run(client, leeds, with(held, List.of("leeds")), with(nobody, List.of("leeds")), n, random));
        run(client, owner, with(held, withLeeds), with(nobody, withLeeds), 500, random);
        report("D. control: leeds and " + register + ", " + register + " visible to the caller",
                run(client, owner, with(held, withLeeds), with(nobody, withLeeds), Math.min(n, 1000), random));

        await(gateway.close());
        await(mocks.close());
        await(vertx.close());
    }

    /** The same enquiries, asking {@code registers}. */
    private static List<JsonObject> with(List<JsonObject> enquiries, List<String> registers) {
        return enquiries.stream().map(e -> e.copy().put("registers", registers)).toList();
    }

    /** Answer times in microseconds, by kind, and by the kind of the enquiry before each. */
    private record Result(double[] match, double[] none, double[] afterMatch, double[] afterNone) {
    }

    private static Result run(Client client, String token, List<JsonObject> held, List<JsonObject> nobody, int n,
            Random random) throws Exception {
        List<Boolean> order = new ArrayList<>(2 * n);
        for (int i = 0; i < n; i++) {
            order.add(true);
            order.add(false);
        }
        java.util.Collections.shuffle(order, random);
        List<Double> match = new ArrayList<>();
        List<Double> none = new ArrayList<>();
        List<Double> afterMatch = new ArrayList<>();
        List<Double> afterNone = new ArrayList<>();
        Boolean previous = null;
        for (boolean isMatch : order) {
            List<JsonObject> pool = isMatch ? held : nobody;
            JsonObject body = pool.get(random.nextInt(pool.size()));
            long t0 = System.nanoTime();
            int status = client.enquire(token, body).statusCode();
            double micros = (System.nanoTime() - t0) / 1_000.0;
            if (status != 200) {
                throw new IllegalStateException("enquiry answered " + status);
            }
            (isMatch ? match : none).add(micros);
            if (previous != null) {
                (previous ? afterMatch : afterNone).add(micros);
            }
            previous = isMatch;
        }
        return new Result(array(match), array(none), array(afterMatch), array(afterNone));
    }

    private static void report(String title, Result r) {
        KolmogorovSmirnovTest ks = new KolmogorovSmirnovTest();
        System.out.println(title);
        System.out.printf(Locale.ROOT, "  %-24s %7s %9s %9s %9s%n", "", "n", "p50 ms", "p90 ms", "p99 ms");
        line("match", r.match());
        line("no match", r.none());
        System.out.printf(Locale.ROOT, "  KS match vs no match: D = %.4f, p = %.4f%n",
                ks.kolmogorovSmirnovStatistic(r.match(), r.none()), ks.kolmogorovSmirnovTest(r.match(), r.none()));
        line("after a match", r.afterMatch());
        line("after no match", r.afterNone());
        System.out.printf(Locale.ROOT, "  KS next enquiry after match vs after none: D = %.4f, p = %.4f%n",
                ks.kolmogorovSmirnovStatistic(r.afterMatch(), r.afterNone()),
                ks.kolmogorovSmirnovTest(r.afterMatch(), r.afterNone()));
    }

    private static void line(String name, double[] micros) {
        double[] sorted = micros.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "  %-24s %7d %9.3f %9.3f %9.3f%n", name, sorted.length,
                percentile(sorted, 0.50) / 1000, percentile(sorted, 0.90) / 1000, percentile(sorted, 0.99) / 1000);
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static double[] array(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Children that only {@code register} holds, found there, with no candidate in Leeds. */
    private static List<JsonObject> heldOnlyBy(MockFederation mocks, Client client, String register, String owner,
            String leeds) throws Exception {
        List<JsonObject> out = new ArrayList<>();
        for (GroundTruth.Person p : mocks.groundTruth().persons()) {
            if (out.size() == CHILDREN) {
                break;
            }
            if (p.records().size() != 1 || !p.records().get(0).authority().equals(register)) {
                continue;
            }
            ChildRecord r = mocks.register(register).record(p.records().get(0).recordId()).orElseThrow();
            if (r.givenName() == null || r.dateOfBirth() == null) {
                continue;
            }
            JsonObject enquiry = new JsonObject()
                    .put("subject", new JsonObject().put("givenName", r.givenName()).put("familyName", r.familyName())
                            .put("dateOfBirth", r.dateOfBirth().toString()))
                    .put("purpose", new JsonObject().put("code", "register-check").put("justification", "timing"))
                    .put("consent", new JsonObject().put("status", "not-sought").put("ground", "authorised-register-check"))
                    .put("registers", List.of("leeds", register));
            JsonObject byOwner = new JsonObject(client.enquire(owner, enquiry).body());
            JsonObject byLeeds = new JsonObject(client.enquire(leeds, enquiry).body());
            if (!byOwner.getJsonArray("persons").isEmpty() && byLeeds.getJsonArray("persons").isEmpty()) {
                out.add(enquiry);
            }
        }
        return out;
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
