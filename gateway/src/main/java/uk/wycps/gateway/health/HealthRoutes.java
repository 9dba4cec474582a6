package uk.wycps.gateway.health;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import uk.wycps.gateway.fanout.RegisterGuard;
import uk.wycps.gateway.fanout.RegisterGuards;

/**
 * {@code GET /health/live} and {@code GET /health/ready} with per-register state (O3): circuit
 * state, last success and failure, recent latency (p50/p99 over the last calls) and bulkhead use.
 *
 * <p>Ready is 200 whenever the gateway can answer, which it can even with every register down:
 * it then answers honestly that nothing was checked. {@code status} is {@code DEGRADED} while a
 * register's circuit is not closed, so an operator sees it; it is not a reason to stop routing.
 */
public final class HealthRoutes {

    private final List<String> registers;
    private final RegisterGuards guards;

    public HealthRoutes(List<String> registers, RegisterGuards guards) {
        this.registers = List.copyOf(registers);
        this.guards = Objects.requireNonNull(guards, "guards");
    }

    public void live(RoutingContext ctx) {
        send(ctx, 200, new JsonObject().put("status", "UP"));
    }

    public void ready(RoutingContext ctx) {
        JsonArray regs = new JsonArray();
        boolean degraded = false;
        for (String authority : registers) {
            RegisterGuard guard = guards.get(authority);
            if (guard == null) {
                regs.add(new JsonObject().put("authority", authority).put("circuit", "NONE"));
                continue;
            }
            RegisterGuard.Health h = guard.health();
            degraded |= !"CLOSED".equals(h.circuit());
            JsonObject latency = new JsonObject().put("samples", h.latency().samples())
                    .put("p50Ms", h.latency().p50()).put("p99Ms", h.latency().p99());
            JsonObject transitions = new JsonObject();
            h.transitions().forEach(transitions::put);
            regs.add(new JsonObject()
                    .put("authority", authority)
                    .put("circuit", h.circuit())
                    .put("failureRatePercent", rate(h.failureRate()))
                    .put("slowCallRatePercent", rate(h.slowCallRate()))
                    .put("callsInWindow", h.bufferedCalls())
                    .put("inFlight", h.bulkheadMax() - h.bulkheadAvailable())
                    .put("maxConcurrent", h.bulkheadMax())
                    .put("deadlineMs", guard.settings().deadlineMs())
                    .put("lastSuccess", iso(h.lastSuccess()))
                    .put("lastFailure", iso(h.lastFailure()))
                    .put("lastFailureStatus", h.lastFailureStatus() == null ? null : h.lastFailureStatus().name())
                    .put("latency", latency)
                    .put("transitions", transitions));
        }
        send(ctx, 200, new JsonObject().put("status", degraded ? "DEGRADED" : "UP").put("registers", regs));
    }

    private static Float rate(float r) {
        return r < 0 ? null : r;
    }

    private static String iso(Instant t) {
        return t == null ? null : t.toString();
    }

    private static void send(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader("Cache-Control", "no-store").end(body.toBuffer());
    }
}
