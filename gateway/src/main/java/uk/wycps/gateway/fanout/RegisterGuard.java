package uk.wycps.gateway.fanout;

import io.opentelemetry.api.trace.Span;
import uk.wycps.gateway.tracing.Telemetry;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.RegisterAnswer;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.RegisterFailure;
import uk.wycps.connector.SearchRequest;
import uk.wycps.connector.proof.AnswerProof;
import uk.wycps.record.ChildRecord;

/**
 * Guards the searches of one register, in this order from the outside: the deadline, a
 * circuit breaker, a bulkhead, and at most one retry after a connection failure (F2, F5).
 *
 * <p>Nothing here blocks or uses a thread of its own: resilience4j's non-blocking primitives
 * ({@code tryAcquirePermission}, {@code onSuccess}, {@code onError}, {@code releasePermission},
 * {@code onComplete}) are driven from Vert.x future callbacks, the deadline and the retry's pause
 * are Vert.x timers on the caller's event loop, the bulkhead never waits (maxWaitDuration 0) and
 * the breaker moves from open to half-open lazily on the next call, not on a scheduler thread.
 *
 * <p>One guard is shared by every event loop of a gateway: breaker and bulkhead are thread-safe,
 * so the register sees one limit and one breaker whichever loop an enquiry lands on.
 */
public final class RegisterGuard {

    private static final Logger LOG = LoggerFactory.getLogger(RegisterGuard.class);

    /** How long past its deadline a connector may take before the guard gives up on it. */
    static final long GUARD_MARGIN_MS = 25;
    private static final int LATENCY_WINDOW = 128;

    private final String authority;
    private final GuardSettings settings;
    private final CircuitBreaker breaker;
    private final Bulkhead bulkhead;
    private final LatencyWindow latencies = new LatencyWindow(LATENCY_WINDOW);
    private final AtomicReference<Instant> lastSuccess = new AtomicReference<>();
    private final AtomicReference<Instant> lastFailure = new AtomicReference<>();
    private final AtomicReference<RegisterStatus> lastFailureStatus = new AtomicReference<>();
    private final Map<String, AtomicLong> transitions = new ConcurrentHashMap<>();
    private final AtomicReference<CircuitBreaker.State> seenState = new AtomicReference<>(CircuitBreaker.State.CLOSED);

    public RegisterGuard(String authority, GuardSettings settings) {
        this.authority = Objects.requireNonNull(authority, "authority");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.breaker = CircuitBreaker.of(authority, CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.slidingWindowSize())
                .minimumNumberOfCalls(Math.min(settings.minimumCalls(), settings.slidingWindowSize()))
                .failureRateThreshold(settings.failureRatePercent())
                .slowCallRateThreshold(settings.slowCallRatePercent())
                .slowCallDurationThreshold(Duration.ofMillis(settings.slowCallMs()))
                .waitDurationInOpenState(Duration.ofMillis(settings.waitInOpenMs()))
                .permittedNumberOfCallsInHalfOpenState(settings.halfOpenCalls())
                // No scheduler thread: open becomes half-open on the next call after the wait.
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .writableStackTraceEnabled(false)
                .build());
        this.bulkhead = Bulkhead.of(authority, BulkheadConfig.custom()
                .maxConcurrentCalls(settings.maxConcurrent())
                // Zero: a full bulkhead refuses at once; above zero it would park the event loop.
                .maxWaitDuration(Duration.ZERO)
                .writableStackTraceEnabled(false)
                .build());
    }

    /**
     * Counts and logs a change of the breaker's state since it was last looked at; called after
     * every call into the breaker. Not an event consumer: with one registered, resilience4j builds
     * an event, with a {@code ZonedDateTime}, for every call, not only for transitions ({@code java.time}
     * was 3 % of the gateway's samples with 150 registers).
     */
    private void noteState() {
        CircuitBreaker.State now = breaker.getState();
        CircuitBreaker.State before = seenState.get();
        if (now != before && seenState.compareAndSet(before, now)) {
            String transition = before.name() + "_TO_" + now.name();
            transitions.computeIfAbsent(transition, k -> new AtomicLong()).incrementAndGet();
            LOG.warn("register circuit: authority={}, transition={}", authority, transition);
        }
    }

    public String authority() {
        return authority;
    }

    public GuardSettings settings() {
        return settings;
    }

    /**
     * Searches the register through the guard. The future never fails: it holds the register's
     * outcome, {@link RegisterStatus#OK} with its records or a status saying why it was not
     * checked, and completes by the request's deadline plus a small margin whatever the
     * connector does. Must be called on a Vert.x context (timers run there).
     */
    public Future<RegisterOutcome> search(Vertx vertx, RegisterConnector connector, SearchRequest request) {
        return search(vertx, connector, request, true);
    }

    /**
     * As {@link #search(Vertx, RegisterConnector, SearchRequest)}; when {@code published} is false
     * the search's latency stays out of the latency window that health publishes (a search of a
     * register withheld from the caller, whose time could tell a match, A9).
     */
    public Future<RegisterOutcome> search(Vertx vertx, RegisterConnector connector, SearchRequest request,
            boolean published) {
        return search(vertx, connector, request, published, null);
    }

    /**
     * As above, with the deadline watched by {@code deadlineWatch}, whose holder expires it when
     * the request's deadline passes (a fan-out holds one timer for every register that shares a
     * deadline, issue 21); null for a timer of this search's own. Either way the search's
     * exchanges hang their own deadline on the watch, and a connector that has still not
     * finished {@link #GUARD_MARGIN_MS} after it expires is settled TIMEOUT by the guard.
     */
    public Future<RegisterOutcome> search(Vertx vertx, RegisterConnector connector, SearchRequest request,
            boolean published, Deadline.Watch deadlineWatch) {
        long started = System.nanoTime();
        long budget = request.deadline().remainingMillis();
        boolean permitted = breaker.tryAcquirePermission();
        noteState();
        if (!permitted) {
            return Future.succeededFuture(notCalled(RegisterStatus.CIRCUIT_OPEN,
                    "circuit open: the register has been failing"));
        }
        if (!bulkhead.tryAcquirePermission()) {
            breaker.releasePermission();
            return Future.succeededFuture(notCalled(RegisterStatus.REJECTED,
                    "bulkhead full: " + settings.maxConcurrent() + " searches of this register already running"));
        }
        // At most one timer for the search (issue 21), none when the caller holds one: the
        // connector's exchanges hang their own deadline on the watch instead of each arming
        // another. When it expires they fail with TIMEOUT and reset their requests; a connector
        // that has still not finished GUARD_MARGIN_MS later (one that does not use the watch, or
        // is stuck) is settled TIMEOUT by the guard.
        Deadline.Watch watch = deadlineWatch != null ? deadlineWatch : new Deadline.Watch();
        Call call = new Call(vertx, connector, request.withDeadline(request.deadline().watchedBy(watch)), started, budget,
                published);
        if (deadlineWatch == null) {
            call.deadlineTimer = vertx.setTimer(Math.max(1, budget), id -> watch.expire());
        }
        call.attempt(1);
        // After the first attempt's exchanges have hung theirs, so that they settle first.
        watch.onExpiry(call::deadlinePassed);
        return call.promise.future();
    }

    /** One guarded search; settled once, whichever of the connector and the guard's timer comes first. */
    private final class Call {
        final Promise<RegisterOutcome> promise = Promise.promise();
        final java.util.concurrent.atomic.AtomicBoolean settled = new java.util.concurrent.atomic.AtomicBoolean();
        final Vertx vertx;
        final RegisterConnector connector;
        final SearchRequest request;
        final long started;
        final long budget;
        final boolean published;
        /** The search's own deadline timer, or -1 when the caller holds the watch's timer. */
        long deadlineTimer = -1;
        /** The guard's last-resort timer, armed when the deadline passes with the search unsettled. */
        long marginTimer = -1;
        /** The signed answer's proof, once a register that signs has answered. */
        AnswerProof proof;

        Call(Vertx vertx, RegisterConnector connector, SearchRequest request, long started, long budget,
                boolean published) {
            this.published = published;
            this.vertx = vertx;
            this.connector = connector;
            this.request = request;
            this.started = started;
            this.budget = budget;
        }

        /** The deadline has passed: give the connector {@link #GUARD_MARGIN_MS} more to settle, no longer. */
        void deadlinePassed() {
            if (!settled.get()) {
                marginTimer = vertx.setTimer(GUARD_MARGIN_MS, id -> settle(RegisterStatus.TIMEOUT, List.of(),
                        "connector did not finish by its deadline", null));
            }
        }

        void attempt(int n) {
            if (settled.get()) {
                return;
            }
            // The register exchange's span, when tracing (a no-op span otherwise).
            Span.current().setAttribute(Telemetry.ATTEMPT, n);
            Future<RegisterAnswer> search;
            try {
                search = connector.searchAnswer(request);
            } catch (RuntimeException e) {
                search = Future.failedFuture(e);
            }
            search.onComplete(ar -> onAttempt(n, ar));
        }

        void onAttempt(int n, AsyncResult<RegisterAnswer> ar) {
            if (ar.succeeded()) {
                proof = ar.result().proof();
                settle(RegisterStatus.OK, ar.result().records(), null, null);
                return;
            }
            if (ar.cause() instanceof RegisterFailure f) {
                long remaining = request.deadline().remainingMillis();
                if (n == 1 && f.connectionFailure() && !settled.get()
                        && remaining >= settings.retryBackoffMs() + settings.retryMinRemainingMs()) {
                    // An idempotent search that reached no register application: one more try.
                    if (settings.retryBackoffMs() == 0) {
                        attempt(2);
                    } else {
                        vertx.setTimer(settings.retryBackoffMs(), id -> attempt(2));
                    }
                    return;
                }
                settle(RegisterFanOut.status(f.kind()), List.of(), f.getMessage(), f);
            } else {
                settle(RegisterStatus.ERROR, List.of(), "connector failed", ar.cause());
            }
        }

        /**
         * True when the search had clearly less than the register's configured deadline, i.e. the
         * caller shortened it ({@code X-Deadline-Ms}); the tolerance covers the few milliseconds
         * between the deadline being set and the guard being entered, even on a busy machine.
         */
        boolean callerShortened() {
            return budget + Math.max(50, settings.deadlineMs() / 10) < settings.deadlineMs();
        }

        /** How close to a shortened deadline a failure counts as having come with it. */
        long nearDeadline() {
            return Math.max(10, budget / 10);
        }

        void settle(RegisterStatus status, List<ChildRecord> records, String reason, Throwable cause) {
            if (!settled.compareAndSet(false, true)) {
                return;
            }
            long latency = elapsedMillis(started);
            // Permissions go back before the outcome is handed on, so that whoever reacts to it
            // finds the bulkhead and the breaker already up to date.
            if (deadlineTimer >= 0) {
                vertx.cancelTimer(deadlineTimer);
            }
            if (marginTimer >= 0) {
                vertx.cancelTimer(marginTimer);
            }
            bulkhead.onComplete();
            if (published) {
                latencies.add(latency);
            }
            if (status == RegisterStatus.OK) {
                lastSuccess.set(Instant.now());
                breaker.onSuccess(latency, TimeUnit.MILLISECONDS);
                noteState();
            } else {
                lastFailure.set(Instant.now());
                lastFailureStatus.set(status);
                LOG.info("register not checked: authority={}, enquiryId={}, status={}, latencyMs={}, reason={}",
                        authority, request.enquiryId(), status, latency, reason);
                if (callerShortened() && (status == RegisterStatus.TIMEOUT || latency >= budget - nearDeadline())) {
                    // The caller asked for less time than the register is given: not the register's
                    // fault. Nor is any failure that came as that short time ran out (a wait for a
                    // pooled connection ends with the same budget, as UNAVAILABLE): one caller's
                    // short deadlines must not open the circuit for everyone.
                    breaker.releasePermission();
                } else {
                    breaker.onError(latency, TimeUnit.MILLISECONDS,
                            cause != null ? cause : new RegisterFailure(RegisterFailure.Kind.TIMEOUT, reason));
                    noteState();
                }
            }
            promise.complete(new RegisterOutcome(authority, status, latency, records, reason,
                    status == RegisterStatus.OK ? proof : null));
        }
    }

    private RegisterOutcome notCalled(RegisterStatus status, String reason) {
        return new RegisterOutcome(authority, status, 0, List.of(), reason);
    }

    private static long elapsedMillis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000L;
    }

    /** The circuit's state: {@code CLOSED}, {@code OPEN}, {@code HALF_OPEN} (resilience4j's names). */
    public String circuitState() {
        return breaker.getState().name();
    }

    /** How many times each state transition happened, e.g. {@code CLOSED_TO_OPEN}. */
    public Map<String, Long> transitions() {
        Map<String, Long> copy = new java.util.TreeMap<>();
        transitions.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    /** What {@code /health/ready} shows of this register. */
    public Health health() {
        CircuitBreaker.Metrics m = breaker.getMetrics();
        LatencyWindow.Snapshot lat = latencies.snapshot();
        return new Health(authority, circuitState(), m.getFailureRate(), m.getSlowCallRate(),
                m.getNumberOfBufferedCalls(), bulkhead.getMetrics().getAvailableConcurrentCalls(),
                bulkhead.getMetrics().getMaxAllowedConcurrentCalls(), lastSuccess.get(), lastFailure.get(),
                lastFailureStatus.get(), lat, transitions());
    }

    /** A register's state; rates are -1 until the breaker's window holds its minimum of calls. */
    public record Health(String authority, String circuit, float failureRate, float slowCallRate, int bufferedCalls,
            int bulkheadAvailable, int bulkheadMax, Instant lastSuccess, Instant lastFailure,
            RegisterStatus lastFailureStatus, LatencyWindow.Snapshot latency, Map<String, Long> transitions) {
    }

    /** For tests: forces the breaker open, as if the register had been failing. */
    void forceOpen() {
        breaker.transitionToOpenState();
        noteState();
    }
}
