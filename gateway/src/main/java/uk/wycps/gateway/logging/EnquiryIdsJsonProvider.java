package uk.wycps.gateway.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.io.IOException;
import net.logstash.logback.composite.AbstractJsonProvider;

/**
 * Adds {@code correlationId}, {@code enquiryId}, {@code traceId} and {@code spanId} to a JSON log
 * line, from the Vert.x context of the request being served ({@link LogContext}) and the current
 * OpenTelemetry span. It reads them while the line is encoded, which is on the logging thread
 * because the appenders are synchronous (an asynchronous appender would lose them).
 */
public final class EnquiryIdsJsonProvider extends AbstractJsonProvider<ILoggingEvent> {

    @Override
    public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
        write(generator, LogContext.CORRELATION_ID, LogContext.get(LogContext.CORRELATION_ID));
        write(generator, LogContext.ENQUIRY_ID, LogContext.get(LogContext.ENQUIRY_ID));
        SpanContext span = Span.current().getSpanContext();
        if (span.isValid()) {
            write(generator, "traceId", span.getTraceId());
            write(generator, "spanId", span.getSpanId());
        }
    }

    private static void write(JsonGenerator generator, String name, String value) throws IOException {
        if (value != null) {
            generator.writeStringField(name, value);
        }
    }
}
