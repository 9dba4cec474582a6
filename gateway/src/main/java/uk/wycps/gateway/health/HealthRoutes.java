package uk.wycps.gateway.health;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** {@code GET /health/live} and {@code GET /health/ready} with the registers configured (O3). */
public final class HealthRoutes {

    private final List<String> registers;

    public HealthRoutes(List<String> registers) {
        this.registers = List.copyOf(registers);
    }

    public void live(RoutingContext ctx) {
        send(ctx, 200, new JsonObject().put("status", "UP"));
    }

    public void ready(RoutingContext ctx) {
        JsonArray regs = new JsonArray();
        registers.forEach(r -> regs.add(new JsonObject().put("authority", r)));
        send(ctx, 200, new JsonObject().put("status", "UP").put("registers", regs));
    }

    private static void send(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.toBuffer());
    }
}
