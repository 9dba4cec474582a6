package uk.wycps.gateway.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import uk.wycps.gateway.fanout.RegisterGuard;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's Prometheus metrics (O3), served at {@code GET /metrics}. Labels are codes only
 * (outcome, authority, status, role): never a name, a date of birth or an address (H5).
 */
public final class GatewayMetrics {

    /** Exemplars: a histogram bucket names the trace of a request that fell in it (when tracing). */
    static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT,
            new PrometheusRegistry(), Clock.SYSTEM, new TraceExemplars());
    /** Timers by their tags, built once: a registry look-up per use would run 150 times an enquiry at national scale. */
    private final java.util.Map<String, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();
    private final Timer eventLoopLag = Timer.builder("wycps_event_loop_lag")
            .description("How late the event loops' 10 ms timers ran: what a request arriving then waited to be read")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
            .register(registry);

    public GatewayMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
    }

    /**
     * How late an event loop's 10 ms timer ran (admission/EventLoopLag): the wait a request
     * arriving then had before the loop could read it. One histogram for the node's loops.
     */
    public void eventLoopLag(long nanos) {
        eventLoopLag.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** An enquiry answered, with its outcome and whether every register was checked. */
    public void enquiryAnswered(String outcome, boolean complete, long nanos) {
        timers.computeIfAbsent("enquiry|" + outcome + '|' + complete, k -> Timer.builder("wycps_enquiries")
                .description("Enquiries answered, by outcome and completeness")
                .tag("outcome", outcome).tag("complete", Boolean.toString(complete))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A request refused with a 4xx or 503, by HTTP status and error code. */
    public void refused(int status, String code) {
        Counter.builder("wycps_refusals").description("Requests refused, by status and error code")
                .tag("status", Integer.toString(status)).tag("code", code).register(registry).increment();
    }

    /** How one register answered one enquiry. */
    public void registerOutcome(String authority, String status, long latencyMs) {
        timers.computeIfAbsent("register|" + authority + '|' + status, k -> Timer.builder("wycps_register_searches")
                .description("Register searches, by register and status: a latency histogram whose buckets carry "
                        + "exemplars linking to traces")
                .tag("authority", authority).tag("status", status)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry)).record(latencyMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Gauges of a register's guard: its circuit (1 on the current state's series, 0 on the
     * others) and its searches in flight. Registering the same register again (one verticle per
     * event loop) keeps the first.
     */
    public void watchRegister(RegisterGuard guard) {
        String authority = guard.authority();
        // Once per register: every verticle of the node wires its routes, and Micrometer warns
        // (once, at start, in every log) when a gauge is registered again.
        if (!watched.add("register:" + authority)) {
            return;
        }
        for (String state : CIRCUIT_STATES) {
            Gauge.builder("wycps_register_circuit_state", guard, g -> state.equals(g.circuitState()) ? 1 : 0)
                    .description("Circuit breaker state per register: 1 on the current state")
                    .tag("authority", authority).tag("state", state).strongReference(true).register(registry);
        }
        Gauge.builder("wycps_register_in_flight", guard, g -> {
            RegisterGuard.Health h = g.health();
            return h.bulkheadMax() - h.bulkheadAvailable();
        }).description("Searches of the register under way").tag("authority", authority).strongReference(true)
                .register(registry);
    }

    /** Gauge of the outbox's messages to {@code authority} not yet acknowledged. */
    public void watchOutbox(String authority, java.util.concurrent.atomic.AtomicInteger depth) {
        if (!watched.add("outbox:" + authority)) {
            return;
        }
        Gauge.builder("wycps_outbox_depth", depth, java.util.concurrent.atomic.AtomicInteger::get)
                .description("Outbox messages (enquiry history, checkpoints) not yet acknowledged by the register")
                .tag("authority", authority).strongReference(true).register(registry);
    }

    /** The gauges registered already. */
    private final java.util.Set<String> watched = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private static final java.util.List<String> CIRCUIT_STATES = java.util.List.of("CLOSED", "OPEN", "HALF_OPEN",
            "FORCED_OPEN", "DISABLED", "METRICS_ONLY");



    /**
     * A search of a register withheld from its caller, by status only: no latency, since its
     * time could tell whether the register holds the child (A9).
     */
    public void withheldSearch(String authority, String status) {
        Counter.builder("wycps_withheld_searches").description("Searches of registers withheld from the caller, by status")
                .tag("authority", authority).tag("status", status).register(registry).increment();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** {@code GET /metrics}: the Prometheus text format. */
    public void scrape(RoutingContext ctx) {
        String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
        if (accept != null && accept.contains("application/openmetrics-text")) {
            // Exemplars exist only in the OpenMetrics format; Prometheus asks for it when
            // exemplar storage is on.
            ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, OPENMETRICS).end(registry.scrape(OPENMETRICS));
            return;
        }
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
                .end(registry.scrape());
    }
}
