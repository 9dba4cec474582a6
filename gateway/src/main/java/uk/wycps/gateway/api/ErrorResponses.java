package uk.wycps.gateway.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes the error body of API.md for every refusal and every failure; never a stack trace. */
public final class ErrorResponses {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    private ErrorResponses() {
    }

    public static void send(RoutingContext ctx, ApiException e) {
        if (e instanceof RateLimitedException limited && !ctx.response().ended()) {
            ctx.response().putHeader("Retry-After", Long.toString(limited.retryAfterSeconds()));
        }
        send(ctx, e.status(), e.code(), e.getMessage(), e.field());
    }

    public static void send(RoutingContext ctx, int status, String code, String message, String field) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        JsonObject body = new JsonObject().put("error", code).put("message", message);
        if (field != null) {
            body.put("field", field);
        }
        if (status == 401) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"wycps-gateway\"");
        }
        ctx.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader("Cache-Control", "no-store")
                .end(body.toBuffer());
    }

    /** The router's failure handler: maps what Vert.x raises to the contract's codes. */
    public static void handleFailure(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure instanceof ApiException api) {
            send(ctx, api);
            return;
        }
        int status = ctx.statusCode();
        switch (status) {
            case 413 -> send(ctx, 413, "body-too-large", "The request body is larger than the gateway accepts.", null);
            case 415 -> send(ctx, 415, "unsupported-media-type", "Send the enquiry as application/json.", null);
            case 404 -> send(ctx, 404, "not-found", "No such endpoint.", null);
            case 405 -> send(ctx, 405, "method-not-allowed", "That method is not allowed here.", null);
            case 400 -> send(ctx, 400, "bad-request", "The request could not be read.", null);
            default -> {
                if (failure instanceof IllegalArgumentException) {
                    // Vert.x raises this for headers with CR/LF and similar malformed input.
                    send(ctx, 400, "bad-request", "The request could not be read.", null);
                    return;
                }
                String correlationId = ctx.get(CorrelationId.KEY);
                LOG.error("unexpected failure, correlationId={}, type={}", correlationId,
                        failure == null ? "status " + status : failure.getClass().getName());
                send(ctx, 500, "internal-error", "The gateway failed to handle the request. Quote correlation id "
                        + correlationId + ".", null);
            }
        }
    }
}
