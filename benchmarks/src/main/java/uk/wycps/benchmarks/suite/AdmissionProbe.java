package uk.wycps.benchmarks.suite;

import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.HdrHistogram.Histogram;
import uk.wycps.benchmarks.load.LoadGenerator;
import uk.wycps.benchmarks.load.LoadResult;
import uk.wycps.gateway.auth.DemoKeys;
import uk.wycps.gateway.config.GatewayConfig;

/**
 * Admission control under load (issue 14), against the gateway in mode {@code gateway-limited}
 * (in-memory audit, {@link #LIMITS}), five mock registers:
 * <ol>
 * <li>burst: calm callers at 100 enquiries/s in all (2/s each, under their bucket) while one
 * caller sends at ten times its rate (100/s against 10/s): how fast its 429s come back, and
 * whether every calm enquiry is answered in full;</li>
 * <li>overload: RATE enquiries/s (give twice the gateway's saturation) from callers each under
 * their own rate, so that only {@code maxInFlight} refuses: the heap (highest after a
 * collection, and sampled), the answers by status, and the slowest admitted answer against the
 * registers' 2 s deadline.</li>
 * </ol>
 * Prints its figures; docs/performance.md quotes them with the command.
 */
final class AdmissionProbe {

    /** 10 enquiries a second per caller (burst 20), no agency bucket, 256 in flight, the default event-loop lag. */
    static final GatewayConfig.Limits LIMITS = new GatewayConfig.Limits(256, new GatewayConfig.Rate(600, 20), null,
            new GatewayConfig.Rate(30, 10), GatewayConfig.Limits.DEFAULT_MAX_EVENT_LOOP_LAG_MS);

    private final Suite suite;

    AdmissionProbe(Suite suite) {
        this.suite = suite;
    }

    void run(double overloadRate, int seconds) throws Exception {
        try (ChildJvm registers = ChildJvm.start("registers", suite.loadCpus, List.of("-Xmx1g"), RegistersMain.class,
                List.of("mock", "5"), suite.work.resolve("registers.log"))) {
            Path regFile = suite.registersFile("five", new JsonObject(registers.ready));
            floor(regFile, seconds);
            try (ChildJvm sut = suite.sut("gateway-limited", Suite.SUT_JVM, regFile, null)) {
                int port = Integer.parseInt(sut.ready);
                suite.warm(sut, 400, callers(400 / 5.0), Integer.getInteger("probe.warmRounds", 10));
                burst(sut, registers, port, seconds);
                if (overloadRate > 0) {
                    overload(sut, registers, overloadRate, seconds);
                }
            }
        }
    }

    /** Callers enough that each sends at most 5 a second at {@code rate} (half its bucket's rate). */
    private LongFunction<LoadGenerator.Request> callers(double count) {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < Math.max(1, (int) Math.ceil(count)); i++) {
            tokens.add(DemoKeys.mint(suite.vertx, "probe-caller-" + i, "child-worker", "social-services", "leeds",
                    List.of("cross-authority:*"), 3600));
        }
        return i -> {
            LoadGenerator.Request r = suite.plain(i);
            r.headers().set("Authorization", "Bearer " + tokens.get((int) (i % tokens.size())));
            return r;
        };
    }

    /**
     * The harness's own floor: the same flooder and calm load against the no-op server (a fixed
     * answer at once, no work), on the same cores. What it shows is what this machine and
     * harness add to any answer; the gateway's 429s are read against it.
     */
    private void floor(Path regFile, int seconds) throws Exception {
        try (ChildJvm noop = suite.sut("noop", Suite.SUT_JVM, regFile, null)) {
            int port = Integer.parseInt(noop.ready);
            suite.warm(noop, 400, callers(1), 2);
            Flood flood = flood(port, "no-token-needed", seconds, null);
            System.out.printf("floor (no-op server, same load): flooder's answers %s; latency p50 %.2f ms, p90 %.2f ms, "
                            + "p99 %.2f ms, max %.2f ms; from the actual send p50 %.2f ms, p99 %.2f ms%n", flood.statuses,
                    ms(flood.answered, 50), ms(flood.answered, 90), ms(flood.answered, 99), flood.answered.getMaxValue() / 1000.0,
                    ms(flood.answeredFromSend, 50), ms(flood.answeredFromSend, 99));
        }
    }

    private void burst(ChildJvm sut, ChildJvm registers, int port, int seconds) throws Exception {
        String flooder = DemoKeys.mint(suite.vertx, "probe-flooder", "child-worker", "social-services", "leeds",
                List.of("cross-authority:*"), 3600);
        Flood flood = flood(port, flooder, seconds, Suite::completeOf);
        JsonObject sut1 = sut.stats();
        System.out.printf("burst: flooder at 100/s against 10/s for %d s: %s; 429 latency p50 %.2f ms, p90 %.2f ms, "
                        + "p99 %.2f ms, max %.2f ms; flooder's admitted p99 %.2f ms%n", seconds, flood.statuses,
                ms(flood.refused, 50), ms(flood.refused, 90), ms(flood.refused, 99), flood.refused.getMaxValue() / 1000.0,
                ms(flood.answered, 99));
        System.out.printf("burst: 429 latency from the actual send p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                ms(flood.refusedFromSend, 50), ms(flood.refusedFromSend, 99), flood.refusedFromSend.getMaxValue() / 1000.0);
        System.out.println("burst: calm callers at 100/s: " + flood.calm.summary());
        System.out.printf("burst: SUT heap after GC max %d MB, sampled max %d MB%n",
                sut1.getLong("heapAfterGcMax") / (1 << 20), sut1.getLong("heapSampledMax") / (1 << 20));
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }

    /** What one flood saw: answers by status, latencies of the 429s and of the others, and the calm callers' result. */
    private record Flood(Map<String, Long> statuses, Histogram refused, Histogram refusedFromSend, Histogram answered,
            Histogram answeredFromSend, LoadResult calm) {
    }

    /**
     * One caller ({@code token}) at 100 enquiries a second for {@code seconds}, beside calm callers
     * at 100 a second in all (2 a second each). Latency from each request's intended send time (a
     * 1 ms timer sends what is due), and from when it was handed to the client: the difference is
     * the load side's own lateness.
     */
    private Flood flood(int port, String token, int seconds, java.util.function.Function<io.vertx.core.buffer.Buffer, String> classifier)
            throws Exception {
        Flood flood = new Flood(new TreeMap<>(), histogram(), histogram(), histogram(), histogram(), null);
        HttpClient client = suite.vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(64));
        AtomicLong sent = new AtomicLong();
        Promise<Void> done = Promise.promise();
        long total = 100L * seconds;
        AtomicLong answered = new AtomicLong();
        long start = System.nanoTime();
        long timer = suite.vertx.setPeriodic(1, id -> {
            // request n is due at n × 10 ms: once 0 ms have passed, one is due
            long due = Math.min(total, (System.nanoTime() - start) / 10_000_000L + 1);
            while (sent.get() < due) {
                long intended = start + sent.getAndIncrement() * 10_000_000L;
                long actual = System.nanoTime();
                LoadGenerator.Request r = suite.plain(sent.get());
                MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(r.headers())
                        .set("Authorization", "Bearer " + token);
                client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
                                .setURI(r.uri()).setHeaders(headers))
                        .compose(req -> req.send(r.body()).compose(resp -> resp.body().map(b -> resp.statusCode())))
                        .onComplete(ar -> {
                            long now = System.nanoTime();
                            long us = Math.min(59_000_000L, Math.max(0, (now - intended) / 1000));
                            long fromSend = Math.min(59_000_000L, Math.max(0, (now - actual) / 1000));
                            String status = ar.succeeded() ? Integer.toString(ar.result()) : "error";
                            flood.statuses.merge(status, 1L, Long::sum);
                            if ("429".equals(status)) {
                                flood.refused.recordValue(us);
                                flood.refusedFromSend.recordValue(fromSend);
                            } else if ("200".equals(status)) {
                                flood.answered.recordValue(us);
                                flood.answeredFromSend.recordValue(fromSend);
                            }
                            if (answered.incrementAndGet() == total) {
                                done.tryComplete();
                            }
                        });
            }
        });
        LoadGenerator gen = new LoadGenerator(suite.vertx, "127.0.0.1", port, 512);
        LoadResult calm = gen.run(100, seconds * 1000L, callers(50), classifier, 5000).toCompletionStage()
                .toCompletableFuture().get();
        done.future().toCompletionStage().toCompletableFuture().get();
        suite.vertx.cancelTimer(timer);
        gen.close();
        client.close();
        return new Flood(flood.statuses, flood.refused, flood.refusedFromSend, flood.answered, flood.answeredFromSend, calm);
    }

    private static Histogram histogram() {
        return new Histogram(60_000_000L, 3);
    }

    private void overload(ChildJvm sut, ChildJvm registers, double rate, int seconds) throws Exception {
        LoadResult r = suite.measure("overload at " + (int) rate + "/s", sut, registers, rate, seconds * 1000L,
                callers(rate / 5), Suite::completeOf).result();
        JsonObject stats = sut.stats();
        System.out.printf("overload: %d/s for %d s: admitted and answered %d (max %.0f ms against the 2000 ms "
                        + "deadline), refused or failed %d %s; SUT heap after GC max %d MB, sampled max %d MB "
                        + "(heap limit %d MB)%n", (int) rate, seconds, r.ok(), r.maxMs(), r.errors(), r.classes(),
                stats.getLong("heapAfterGcMax") / (1 << 20), stats.getLong("heapSampledMax") / (1 << 20),
                stats.getLong("heapMax") / (1 << 20));
    }
}
