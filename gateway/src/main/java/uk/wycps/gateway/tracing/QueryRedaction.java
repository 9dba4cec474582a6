package uk.wycps.gateway.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;

/**
 * Cuts query strings out of the HTTP spans that vertx-opentelemetry makes: a URL's query can
 * hold personal data (a FHIR register is searched with {@code ?family=...&birthdate=...}), and
 * span attributes carry codes and ids only (H5). The path stays.
 */
public final class QueryRedaction implements SpanProcessor {

    private static final AttributeKey<String> HTTP_URL = AttributeKey.stringKey("http.url");
    private static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
    private static final AttributeKey<String> URL_QUERY = AttributeKey.stringKey("url.query");
    private static final AttributeKey<String> HTTP_TARGET = AttributeKey.stringKey("http.target");

    /**
     * Adds the redaction to a tracer provider. It cuts when a span starts (Vert.x gives the URL
     * then) and exporters read a span when it ends, so the order of the processors does not
     * matter (the SDK's auto-configuration adds its exporters first).
     */
    public static SdkTracerProviderBuilder applyTo(SdkTracerProviderBuilder builder) {
        return builder.addSpanProcessor(new QueryRedaction());
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        redact(span);
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {
    }

    @Override
    public boolean isEndRequired() {
        return false;
    }

    private static void redact(ReadWriteSpan span) {
        for (AttributeKey<String> key : new AttributeKey[] {HTTP_URL, URL_FULL, HTTP_TARGET}) {
            String value = span.getAttribute(key);
            if (value != null && value.indexOf('?') >= 0) {
                span.setAttribute(key, value.substring(0, value.indexOf('?')));
            }
        }
        if (span.getAttribute(URL_QUERY) != null) {
            span.setAttribute(URL_QUERY, "[redacted]");
        }
    }
}
