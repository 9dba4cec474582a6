package uk.wycps.benchmarks.suite;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * A national-scale federation on one Vert.x server: {@code POST /<authority>/search} in the
 * canonical-json dialect for each simulated authority. Each register answers after a delay drawn
 * from its own log-normal distribution (median 4 to 30 ms, sigma 0.3 to 0.8: a long right tail),
 * capped at {@link #CAP_MS}, by a Vert.x timer (never sleeping). One register in
 * {@value #HOLDERS_EVERY} holds the child asked for and answers one record; the others answer
 * none. The delays applied are kept per register, so the suite can read each register's p99.
 */
public final class SimRegisters {

    /** Delays are capped below the gateway's 2000 ms deadline: this scenario is about the tail, not timeouts. */
    static final long CAP_MS = 1500;
    static final int HOLDERS_EVERY = 75;
    private static final Buffer EMPTY = Buffer.buffer("{\"records\":[]}");

    private final List<String> authorities;
    private final Map<String, Integer> index = new HashMap<>();
    private final double[] median;
    private final double[] sigma;
    private final ConcurrentHistogram[] applied;
    private final AtomicInteger port = new AtomicInteger();

    public SimRegisters(List<String> authorities, long seed) {
        this.authorities = List.copyOf(authorities);
        Random random = new Random(seed);
        median = new double[authorities.size()];
        sigma = new double[authorities.size()];
        applied = new ConcurrentHistogram[authorities.size()];
        for (int i = 0; i < authorities.size(); i++) {
            index.put(authorities.get(i), i);
            median[i] = 4 + random.nextDouble() * 26;
            sigma[i] = 0.3 + random.nextDouble() * 0.5;
            applied[i] = new ConcurrentHistogram(60_000_000L, 3);
        }
    }

    /** The five West Yorkshire authorities first (tokens name one of them), then la-006 ... */
    public static List<String> names(int count) {
        List<String> names = new ArrayList<>(List.of("bradford", "calderdale", "kirklees", "leeds", "wakefield"));
        for (int i = names.size() + 1; names.size() < count; i++) {
            names.add(String.format("la-%03d", i));
        }
        return names.subList(0, count);
    }

    public List<String> authorities() {
        return authorities;
    }

    int port() {
        return port.get();
    }

    /** The delay of one answer of register {@code i}, in milliseconds. */
    long draw(int i) {
        double ms = median[i] * Math.exp(sigma[i] * ThreadLocalRandom.current().nextGaussian());
        return Math.max(1, Math.min(CAP_MS, Math.round(ms)));
    }

    void reset() {
        for (Histogram h : applied) {
            h.reset();
        }
    }

    /** The slowest register's p99 (by its own applied delays), and the spread of registers' p99s. */
    JsonObject stats() {
        double worst = 0;
        String worstName = null;
        long answers = 0;
        List<Double> p99s = new ArrayList<>();
        for (int i = 0; i < applied.length; i++) {
            Histogram h = applied[i].copy();
            answers += h.getTotalCount();
            if (h.getTotalCount() == 0) {
                continue;
            }
            double p99 = h.getValueAtPercentile(99) / 1000.0;
            p99s.add(p99);
            if (p99 > worst) {
                worst = p99;
                worstName = authorities.get(i);
            }
        }
        p99s.sort(Double::compare);
        return new JsonObject().put("simAnswers", answers).put("slowestRegisterP99Ms", worst)
                .put("slowestRegister", worstName)
                .put("medianRegisterP99Ms", p99s.isEmpty() ? 0 : p99s.get(p99s.size() / 2));
    }

    VerticleBase verticle() {
        return new VerticleBase() {
            @Override
            public Future<?> start() {
                return vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true).setIdleTimeout(120))
                        .requestHandler(this::handle).listen(0, "127.0.0.1")
                        .onSuccess(s -> port.compareAndSet(0, s.actualPort()));
            }

            private void handle(HttpServerRequest req) {
                String path = req.path();
                if (req.method() == io.vertx.core.http.HttpMethod.PUT || path.endsWith("/enquiries")) {
                    // enquiry-history notices (one or a batch) and audit checkpoints: kept by nobody, acknowledged
                    req.body().onComplete(ar -> req.response().putHeader("Content-Type", "application/json").end("{}"));
                    return;
                }
                int slash = path.indexOf('/', 1);
                Integer i = slash < 0 ? null : index.get(path.substring(1, slash));
                if (i == null || !path.endsWith("/search")) {
                    req.response().setStatusCode(404).end();
                    return;
                }
                long t0 = System.nanoTime();
                req.body().onSuccess(body -> {
                    Buffer answer = EMPTY;
                    JsonObject criteria = body.toJsonObject().getJsonObject("criteria");
                    String family = criteria == null ? null : criteria.getString("familyName");
                    if (family != null && Math.floorMod(family.hashCode(), HOLDERS_EVERY) == i % HOLDERS_EVERY) {
                        JsonObject record = new JsonObject().put("recordId", "SIM-" + i + "-" + Math.floorMod(family.hashCode(), 100_000))
                                .put("familyName", family);
                        for (String f : List.of("givenName", "dateOfBirth", "gender")) {
                            if (criteria.getValue(f) != null) {
                                record.put(f, criteria.getValue(f));
                            }
                        }
                        answer = new JsonObject().put("records", new JsonArray().add(record)).toBuffer();
                    }
                    Buffer a = answer;
                    long delay = draw(i);
                    vertx.setTimer(delay, id -> {
                        req.response().putHeader("Content-Type", "application/json").end(a);
                        applied[i].recordValue(Math.min(60_000_000L, (System.nanoTime() - t0) / 1000));
                    });
                });
            }
        };
    }
}
