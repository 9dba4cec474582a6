package uk.wycps.gateway.api;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Pattern;
import uk.wycps.gateway.audit.AuditQuery;
import uk.wycps.gateway.audit.AuditSink;
import uk.wycps.gateway.audit.AuditView;
import uk.wycps.gateway.auth.TokenVerifier;
import uk.wycps.policy.Caller;
import uk.wycps.policy.Role;
import uk.wycps.policy.SharingPolicy;

/**
 * {@code GET /api/v1/audit}: a Child Protection Co-ordinator's view of the audit (H1, A9): the
 * entries concerning their own authority only, filterable by {@code from}, {@code to} (ISO
 * instants) and {@code recordId}, as JSON or, with {@code Accept: application/x-ndjson} or
 * {@code format=jsonl}, as JSON lines for export. Every entry is cut for its reader
 * ({@link AuditView}): only what the reader could have been told in an answer (A9).
 */
public final class AuditRoutes {

    static final String JSON_LINES = "application/x-ndjson";
    private static final Pattern RECORD_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final TokenVerifier tokens;
    private final AuditSink audit;
    private final SharingPolicy policy;

    public AuditRoutes(TokenVerifier tokens, AuditSink audit, SharingPolicy policy) {
        this.tokens = tokens;
        this.audit = audit;
        this.policy = policy;
    }

    public void handle(RoutingContext ctx) {
        tokens.verify(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))
                .compose(caller -> entries(caller, ctx))
                .onSuccess(entries -> send(ctx, entries))
                .onFailure(e -> {
                    if (e instanceof ApiException api) {
                        ErrorResponses.send(ctx, api);
                    } else {
                        ctx.fail(e);
                    }
                });
    }

    /**
     * The entries {@code caller} may read, filtered by the request's parameters: the API and the
     * console's audit page both go through here (one decision, A9).
     */
    public Future<List<JsonObject>> entries(Caller caller, RoutingContext ctx) {
        try {
            // Each entry cut for its reader (A9): the log keeps the whole entry.
            AuditView view = new AuditView(policy, caller);
            return audit.query(query(caller, ctx)).map(entries -> entries.stream().map(view::cut).toList());
        } catch (ApiException e) {
            return Future.failedFuture(e);
        }
    }

    /**
     * Whether {@code caller} may read their authority's audit: a Child Protection Co-ordinator of
     * that authority's own staff (A4's own-authority agencies). The same role in another agency
     * (a token naming education or health with an authority) may not see that authority's
     * records, so its audit, which lists which of them went to whom and what colleagues typed,
     * is not theirs either (A4, A9). The console asks the same.
     */
    public boolean mayRead(Caller caller) {
        return caller.role() == Role.CP_COORDINATOR && caller.authority() != null && policy.isOwnAuthorityStaff(caller);
    }

    /** How many entries a read gives without a {@code limit}. */
    public static final int DEFAULT_LIMIT = 100;

    private AuditQuery query(Caller caller, RoutingContext ctx) {
        if (!mayRead(caller)) {
            throw ApiException.forbidden("role-not-permitted",
                    "Only a Child Protection Co-ordinator of an authority's own staff may read its audit.");
        }
        String recordId = ctx.request().getParam("recordId");
        if (recordId != null && !RECORD_ID.matcher(recordId).matches()) {
            throw ApiException.badRequest("invalid-parameter", "recordId is not a record id.", "recordId");
        }
        int limit = (int) number(ctx, "limit", DEFAULT_LIMIT, 1, AuditQuery.MAX_LIMIT,
                "limit must be 1 to " + AuditQuery.MAX_LIMIT + ".");
        long after = number(ctx, "after", 0, 0, Long.MAX_VALUE, "after must be an entry's seq (0 or more).");
        return new AuditQuery(caller.authority(), instant(ctx, "from"), instant(ctx, "to"), recordId, limit, after);
    }

    /** The whole-number parameter {@code name}, {@code absent} when not given; 400 saying {@code message} outside {@code [min, max]}. */
    private static long number(RoutingContext ctx, String name, long absent, long min, long max, String message) {
        String v = ctx.request().getParam(name);
        if (v == null) {
            return absent;
        }
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            n = min - 1;
        }
        if (n < min || n > max) {
            throw ApiException.badRequest("invalid-parameter", message, name);
        }
        return n;
    }

    private static Instant instant(RoutingContext ctx, String name) {
        String v = ctx.request().getParam(name);
        if (v == null) {
            return null;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("invalid-parameter", name + " must be a time like 2026-11-24T09:00:00Z.", name);
        }
    }

    private static void send(RoutingContext ctx, List<JsonObject> entries) {
        String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
        boolean lines = "jsonl".equals(ctx.request().getParam("format"))
                || (accept != null && accept.contains(JSON_LINES));
        Buffer body = Buffer.buffer();
        if (lines) {
            entries.forEach(e -> body.appendString(e.encode()).appendString("\n"));
        } else {
            body.appendBuffer(new JsonObject().put("count", entries.size()).put("entries", new JsonArray(entries))
                    .toBuffer());
        }
        ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, lines ? JSON_LINES : "application/json")
                .putHeader("Cache-Control", "no-store")
                .end(body);
    }
}
