package uk.wycps.gateway.logging;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.Map;

/**
 * The ids that every log line of a request carries: its correlation id and, once it has one,
 * its enquiry id. SLF4J's MDC is bound to a thread, and a Vert.x event loop serves many requests
 * at once on one thread; so they live in the local data of the request's own (duplicated)
 * Vert.x context, which follows the request through every callback, timer and client answer.
 * {@link EnquiryIdsJsonProvider} reads them when a line is written. Ids only, never personal data
 * (H5).
 */
public final class LogContext {

    public static final String CORRELATION_ID = "correlationId";
    public static final String ENQUIRY_ID = "enquiryId";
    private static final String PREFIX = "wycps.log.";

    private LogContext() {
    }

    /** Binds the correlation id to the current request's context (no-op off a Vert.x context). */
    public static void correlationId(String id) {
        put(CORRELATION_ID, id);
    }

    /** Binds the enquiry id to the current request's context (no-op off a Vert.x context). */
    public static void enquiryId(String id) {
        put(ENQUIRY_ID, id);
    }

    /** The id bound under {@code name} in the current context, or null. */
    public static String get(String name) {
        Map<Object, Object> local = local(Vertx.currentContext());
        Object value = local == null ? null : local.get(PREFIX + name);
        return value instanceof String s ? s : null;
    }

    /**
     * Gives {@code to} (a context made for part of the current request, such as one register
     * exchange) the ids bound to the current request.
     */
    public static void copyTo(ContextInternal to) {
        Map<Object, Object> from = local(Vertx.currentContext());
        Map<Object, Object> into = local(to);
        if (from == null || into == null) {
            return;
        }
        for (String name : new String[] {CORRELATION_ID, ENQUIRY_ID}) {
            Object value = from.get(PREFIX + name);
            if (value != null) {
                into.put(PREFIX + name, value);
            }
        }
    }

    private static void put(String name, String value) {
        Map<Object, Object> local = local(Vertx.currentContext());
        if (local != null && value != null) {
            local.put(PREFIX + name, value);
        }
    }

    private static Map<Object, Object> local(Context context) {
        // Only a duplicated context belongs to one request; the event loop's own is shared.
        return context instanceof ContextInternal internal && internal.isDuplicate()
                ? internal.localContextData() : null;
    }
}
