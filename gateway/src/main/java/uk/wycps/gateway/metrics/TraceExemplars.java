package uk.wycps.gateway.metrics;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/**
 * The current OpenTelemetry span, as Prometheus's exemplar sampler sees it: a latency
 * observation made during a traced enquiry carries that enquiry's trace and span ids (ids only).
 * Without tracing the span is invalid and no exemplar is kept.
 */
final class TraceExemplars implements io.prometheus.metrics.tracer.common.SpanContext {

    @Override
    public String getCurrentTraceId() {
        SpanContext span = Span.current().getSpanContext();
        return span.isValid() ? span.getTraceId() : null;
    }

    @Override
    public String getCurrentSpanId() {
        SpanContext span = Span.current().getSpanContext();
        return span.isValid() ? span.getSpanId() : null;
    }

    @Override
    public boolean isCurrentSpanSampled() {
        SpanContext span = Span.current().getSpanContext();
        return span.isValid() && span.isSampled();
    }

    @Override
    public void markCurrentSpanAsExemplar() {
        // Span attributes are set when the span is made; nothing to add here.
    }
}
