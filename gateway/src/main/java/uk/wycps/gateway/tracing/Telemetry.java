package uk.wycps.gateway.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.tracing.opentelemetry.OpenTelemetryOptions;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;
import io.vertx.tracing.opentelemetry.VertxContextStorageProvider.VertxContextStorage;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import uk.wycps.gateway.logging.LogContext;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Tracing with OpenTelemetry (O3): a span per enquiry and a child span per register exchange,
 * W3C {@code traceparent} accepted from callers and sent to registers (Vert.x's own HTTP server
 * and client spans, through vertx-opentelemetry). Off by default; on with the standard
 * variables ({@code OTEL_SDK_DISABLED=false}, {@code OTEL_EXPORTER_OTLP_ENDPOINT}, ...), which
 * configure the OTLP exporter. Span attributes carry codes and ids only, never a name, a date
 * of birth or an address (H5).
 */
public final class Telemetry {

    public static final AttributeKey<String> ENQUIRY_ID = AttributeKey.stringKey("wycps.enquiry.id");
    public static final AttributeKey<String> CORRELATION_ID = AttributeKey.stringKey("wycps.correlation.id");
    public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("wycps.enquiry.outcome");
    public static final AttributeKey<Boolean> COMPLETE = AttributeKey.booleanKey("wycps.enquiry.complete");
    public static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
    public static final AttributeKey<String> ERROR_CODE = AttributeKey.stringKey("wycps.error.code");
    public static final AttributeKey<String> AUTHORITY = AttributeKey.stringKey("wycps.register.authority");
    public static final AttributeKey<String> DIALECT = AttributeKey.stringKey("wycps.register.dialect");
    public static final AttributeKey<String> STATUS = AttributeKey.stringKey("wycps.register.status");
    public static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("wycps.register.attempt");
    public static final AttributeKey<Long> LATENCY_MS = AttributeKey.longKey("wycps.register.latency_ms");

    private static final String SCOPE = "uk.wycps.gateway";
    private static final Telemetry OFF = new Telemetry(OpenTelemetry.noop(), false, null);

    private final OpenTelemetry openTelemetry;
    private final Tracer tracer;
    private final boolean enabled;
    private final OpenTelemetrySdk sdk;

    private Telemetry(OpenTelemetry openTelemetry, boolean enabled, OpenTelemetrySdk sdk) {
        this.openTelemetry = openTelemetry;
        this.tracer = openTelemetry.getTracer(SCOPE);
        this.enabled = enabled;
        this.sdk = sdk;
    }

    /** No tracing: no span is made and no Vert.x context is touched. */
    public static Telemetry off() {
        return OFF;
    }

    /**
     * Tracing through the given OpenTelemetry (tests give one with an in-memory exporter); its
     * tracer provider should have {@link QueryRedaction} applied, as {@link #fromEnvironment} does.
     */
    public static Telemetry with(OpenTelemetry openTelemetry) {
        return new Telemetry(Objects.requireNonNull(openTelemetry, "openTelemetry"), true, null);
    }

    /**
     * From the standard {@code OTEL_*} variables and {@code otel.*} properties, read once at
     * start-up; off unless {@code OTEL_SDK_DISABLED=false} (or {@code -Dotel.sdk.disabled=false}).
     * Exports traces only, by OTLP unless {@code OTEL_TRACES_EXPORTER} says otherwise.
     */
    public static Telemetry fromEnvironment() {
        Map<String, String> settings = new HashMap<>();
        System.getenv().forEach((name, value) -> {
            if (name.startsWith("OTEL_")) {
                settings.put(name, value);
            }
        });
        System.getProperties().forEach((name, value) -> {
            if (name.toString().startsWith("otel.")) {
                settings.put(name.toString(), value.toString());
            }
        });
        return fromEnvironment(settings);
    }

    /**
     * As {@link #fromEnvironment()}, from {@code settings}: {@code OTEL_*} variable names
     * ({@code OTEL_EXPORTER_OTLP_ENDPOINT}) or {@code otel.*} property names, a property winning
     * over its variable as the SDK has it. These override whatever the process's own environment
     * holds (a test can then say exactly what the gateway is started with). When tracing is on,
     * every span passes {@link QueryRedaction} before any exporter sees it.
     */
    public static Telemetry fromEnvironment(Map<String, String> settings) {
        Map<String, String> properties = new HashMap<>();
        settings.forEach((name, value) -> {
            if (name.startsWith("OTEL_")) {
                properties.putIfAbsent(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        settings.forEach((name, value) -> {
            if (name.startsWith("otel.")) {
                properties.put(name, value);
            }
        });
        String disabled = properties.get("otel.sdk.disabled");
        if (disabled == null || !disabled.trim().equalsIgnoreCase("false")) {
            return OFF;
        }
        properties.putIfAbsent("otel.service.name", "wycps-gateway");
        properties.putIfAbsent("otel.metrics.exporter", "none");
        properties.putIfAbsent("otel.logs.exporter", "none");
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesCustomizer(config -> properties)
                .addTracerProviderCustomizer((builder, config) -> QueryRedaction.applyTo(builder))
                .build()
                .getOpenTelemetrySdk();
        return new Telemetry(sdk, true, sdk);
    }

    public boolean enabled() {
        return enabled;
    }

    public OpenTelemetry openTelemetry() {
        return openTelemetry;
    }

    /** A Vert.x whose HTTP server and clients trace through this telemetry (plain when off). */
    public Vertx vertx(VertxOptions options) {
        if (!enabled) {
            return Vertx.vertx(options);
        }
        return Vertx.builder()
                .with(new VertxOptions(options).setTracingOptions(new OpenTelemetryOptions()))
                .withTracer(new OpenTelemetryTracingFactory(openTelemetry))
                .build();
    }

    /**
     * Starts the enquiry's span under whatever is current (the HTTP server's span, itself under
     * the caller's {@code traceparent}) and makes it current for the rest of the request: the
     * request has its own Vert.x context, so this lasts exactly as long as the request.
     */
    public Span startEnquiry(String correlationId) {
        if (!enabled) {
            return Span.getInvalid();
        }
        Context parent = Context.current();
        Span span = tracer.spanBuilder("enquiry").setParent(parent).setSpanKind(SpanKind.INTERNAL)
                .setAttribute(CORRELATION_ID, correlationId).startSpan();
        ContextInternal request = ContextInternal.current();
        if (request != null && request.isDuplicate()) {
            VertxContextStorage.INSTANCE.attach(request, parent.with(span));
        }
        return span;
    }

    /**
     * Runs one register exchange in a span of its own, child of the current (enquiry) span, on a
     * Vert.x context of its own where that span is current, so that the HTTP client's span and
     * the {@code traceparent} it sends hang under it. {@code status} names the outcome.
     */
    public <T> Future<T> registerExchange(Vertx vertx, String authority, String dialect, String enquiryId,
            Supplier<Future<T>> exchange, Function<T, String> status) {
        if (!enabled) {
            return exchange.get();
        }
        Context parent = Context.current();
        Span span = tracer.spanBuilder("register " + authority).setParent(parent).setSpanKind(SpanKind.INTERNAL)
                .setAttribute(AUTHORITY, authority).setAttribute(DIALECT, dialect)
                .setAttribute(ENQUIRY_ID, enquiryId).startSpan();
        ContextInternal own = ((ContextInternal) vertx.getOrCreateContext()).duplicate();
        LogContext.copyTo(own);
        VertxContextStorage.INSTANCE.attach(own, parent.with(span));
        Promise<T> promise = Promise.promise();
        own.dispatch(() -> {
            Future<T> f;
            try {
                f = exchange.get();
            } catch (RuntimeException e) {
                f = Future.failedFuture(e);
            }
            f.onComplete(ar -> {
                if (ar.succeeded()) {
                    String s = status.apply(ar.result());
                    span.setAttribute(STATUS, s);
                    if (!"OK".equals(s)) {
                        span.setStatus(StatusCode.ERROR, s);
                    }
                } else {
                    span.setStatus(StatusCode.ERROR, ar.cause().getClass().getSimpleName());
                }
                span.end();
                promise.handle(ar);
            });
        });
        return promise.future();
    }

    /** Flushes and stops the exporter (when this telemetry made one). */
    public void close() {
        if (sdk != null) {
            sdk.close();
        }
    }
}
