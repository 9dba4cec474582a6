package uk.wycps.benchmarks.load;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.HdrHistogram.Histogram;

/**
 * An open-loop load generator: requests leave at a fixed arrival rate ({@link ArrivalSchedule})
 * whether or not earlier ones have been answered, and each latency is measured from the
 * request's intended send time (no coordinated omission). Runs on one Vert.x event loop with a
 * connection pool sized explicitly (the Vert.x default of 5 would itself throttle the load).
 */
public final class LoadGenerator {

    /** One request to send. */
    public record Request(HttpMethod method, String uri, MultiMap headers, Buffer body) {
    }

    /** Longest latency the histogram holds: 60 s in microseconds. */
    static final long HIGHEST_US = 60_000_000L;

    /** A request with no byte received for this long fails (counted as an error). */
    static final long REQUEST_IDLE_TIMEOUT_MS = 10_000;

    private final Context context;
    private final HttpClientAgent client;
    private final String host;
    private final int port;

    /**
     * @param maxConnections the pool size toward the target; in-flight requests beyond it wait
     *                       in the pool's queue, and that wait is part of their latency
     */
    public LoadGenerator(Vertx vertx, String host, int port, int maxConnections) {
        this.context = vertx.getOrCreateContext();
        this.host = host;
        this.port = port;
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                        .setIdleTimeout(30),
                new PoolOptions().setHttp1MaxSize(maxConnections).setMaxWaitQueueSize(-1));
    }

    /**
     * Sends {@code rate × durationMs / 1000} requests at {@code rate} per second, then waits up
     * to {@code drainMs} for the last answers; requests still unanswered then count as errors.
     *
     * @param classifier names a class for each successful answer body (counted), or null
     */
    public Future<LoadResult> run(double rate, long durationMs, LongFunction<Request> requests,
            Function<Buffer, String> classifier, long drainMs) {
        Promise<LoadResult> done = Promise.promise();
        context.runOnContext(v -> new Run(rate, durationMs, requests, classifier, drainMs, done).start());
        return done.future();
    }

    public Future<Void> close() {
        return client.close();
    }

    private final class Run {
        final double rate;
        final ArrivalSchedule schedule;
        final LongFunction<Request> requests;
        final Function<Buffer, String> classifier;
        final long drainMs;
        final Promise<LoadResult> done;
        final Histogram histogram = new Histogram(HIGHEST_US, 3);
        final Map<String, Long> classes = new HashMap<>();
        final long startNanos;
        long sent;
        long ok;
        long errors;
        long inFlight;
        long lastAnswerNanos;
        long timer;
        boolean finished;

        Run(double rate, long durationMs, LongFunction<Request> requests, Function<Buffer, String> classifier,
                long drainMs, Promise<LoadResult> done) {
            this.rate = rate;
            this.startNanos = System.nanoTime() + 1_000_000;
            this.schedule = new ArrivalSchedule(startNanos, rate, Math.max(1, Math.round(rate * durationMs / 1000.0)));
            this.requests = requests;
            this.classifier = classifier;
            this.drainMs = drainMs;
            this.done = done;
            this.lastAnswerNanos = startNanos;
        }

        void start() {
            timer = context.owner().setPeriodic(1, id -> tick());
        }

        void tick() {
            long now = System.nanoTime();
            long due = schedule.dueBy(now);
            while (sent < due) {
                send(sent, schedule.intendedNanos(sent));
                sent++;
            }
            if (sent >= schedule.total()) {
                if (inFlight == 0) {
                    finish();
                } else if (now - schedule.endNanos() > drainMs * 1_000_000L) {
                    errors += inFlight;
                    classes.merge("unanswered", inFlight, Long::sum);
                    inFlight = 0;
                    finish();
                }
            }
        }

        void send(long i, long intendedNanos) {
            Request r = requests.apply(i);
            inFlight++;
            RequestOptions options = new RequestOptions().setMethod(r.method()).setHost(host).setPort(port)
                    .setURI(r.uri()).setIdleTimeout(REQUEST_IDLE_TIMEOUT_MS);
            if (r.headers() != null) {
                options.setHeaders(r.headers());
            }
            client.request(options)
                    .compose(req -> (r.body() == null ? req.send() : req.send(r.body()))
                            .compose(resp -> resp.body().map(body -> {
                                if (resp.statusCode() / 100 != 2) {
                                    throw new IllegalStateException("HTTP " + resp.statusCode());
                                }
                                return body;
                            })))
                    .onComplete(ar -> answered(intendedNanos, ar.succeeded() ? ar.result() : null,
                            ar.succeeded() ? null : ar.cause()));
        }

        void answered(long intendedNanos, Buffer body, Throwable failure) {
            if (finished) {
                return;
            }
            inFlight--;
            long now = System.nanoTime();
            lastAnswerNanos = Math.max(lastAnswerNanos, now);
            if (failure != null) {
                errors++;
                String reason = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
                classes.merge("error: " + (reason.length() > 60 ? reason.substring(0, 60) : reason), 1L, Long::sum);
                return;
            }
            ok++;
            histogram.recordValue(Math.min(HIGHEST_US, Math.max(0, (now - intendedNanos) / 1000)));
            if (classifier != null) {
                String c = classifier.apply(body);
                if (c != null) {
                    classes.merge(c, 1L, Long::sum);
                }
            }
        }

        void finish() {
            if (finished) {
                return;
            }
            finished = true;
            context.owner().cancelTimer(timer);
            long end = Math.max(lastAnswerNanos, schedule.endNanos());
            double seconds = (end - startNanos) / 1e9;
            done.complete(new LoadResult(rate, sent, ok, errors, seconds, histogram, classes));
        }
    }
}
