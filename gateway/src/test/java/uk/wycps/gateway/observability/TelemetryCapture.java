package uk.wycps.gateway.observability;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import uk.wycps.gateway.tracing.Telemetry;

/**
 * Everything the gateway emits besides its answers, captured for a scan: each log line as the
 * real logback configuration writes it (standard output, teed), and each span with its
 * attributes and events from an in-memory exporter.
 */
final class TelemetryCapture implements AutoCloseable {

    final InMemorySpanExporter spans = InMemorySpanExporter.create();
    final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(uk.wycps.gateway.tracing.QueryRedaction.applyTo(SdkTracerProvider.builder())
                        .addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    final Telemetry telemetry = Telemetry.with(sdk);
    private final PrintStream original = System.out;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    /** Starts teeing standard output (where logback's console appender writes) into the capture. */
    TelemetryCapture() {
        PrintStream tee = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (captured) {
                    captured.write(b);
                }
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (captured) {
                    captured.write(b, off, len);
                }
                original.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8);
        System.setOut(tee);
    }

    /** The log lines written so far. */
    List<String> logLines() {
        String text;
        synchronized (captured) {
            text = captured.toString(StandardCharsets.UTF_8);
        }
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** Every span as text: name, status, attributes, events and their attributes. */
    List<String> spanTexts() {
        List<String> out = new ArrayList<>();
        for (SpanData s : spans.getFinishedSpanItems()) {
            StringBuilder b = new StringBuilder(s.getName()).append(' ').append(s.getStatus().getDescription());
            append(b, s.getAttributes());
            for (EventData e : s.getEvents()) {
                b.append(" event ").append(e.getName());
                append(b, e.getAttributes());
            }
            out.add(b.toString());
        }
        return out;
    }

    private static void append(StringBuilder b, Attributes attributes) {
        attributes.forEach((k, v) -> b.append(' ').append(k.getKey()).append('=').append(v));
    }

    /** The canaries found in {@code texts}, each with where it was found. */
    static List<String> findings(String where, List<String> texts, List<String> canaries) {
        List<String> found = new ArrayList<>();
        for (String text : texts) {
            String lower = text.toLowerCase(Locale.ROOT);
            for (String canary : canaries) {
                if (lower.contains(canary.toLowerCase(Locale.ROOT))) {
                    found.add(where + " holds '" + canary + "': " + text);
                }
            }
        }
        return found;
    }

    @Override
    public void close() {
        System.setOut(original);
        sdk.close();
    }
}
