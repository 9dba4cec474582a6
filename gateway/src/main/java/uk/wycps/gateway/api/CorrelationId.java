package uk.wycps.gateway.api;

import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import uk.wycps.gateway.logging.LogContext;
import java.util.regex.Pattern;

/**
 * The {@code X-Correlation-Id} of a request: the caller's when it is well formed
 * ({@code [A-Za-z0-9-]{1,64}}), otherwise a generated one. Echoed in the answer and used in
 * logs; never passed on to registers.
 */
public final class CorrelationId {

    public static final String HEADER = "X-Correlation-Id";
    public static final String KEY = "correlationId";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private CorrelationId() {
    }

    /** Route handler: fixes the correlation id and echoes it on the answer. */
    public static void handle(RoutingContext ctx) {
        String given = ctx.request().getHeader(HEADER);
        String id = given != null && VALID.matcher(given).matches() ? given : UUID.randomUUID().toString();
        ctx.put(KEY, id);
        LogContext.correlationId(id);
        ctx.response().putHeader(HEADER, id);
        ctx.next();
    }
}
