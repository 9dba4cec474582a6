package uk.wycps.gateway.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.connector.SearchRequest;
import uk.wycps.gateway.tracing.Telemetry;
import uk.wycps.record.ChildRecord;

/**
 * The registers of one enquiry that share a deadline are timed by one timer, not one each
 * (issue 21: at 150 registers the per-search timers were about 5 % of the gateway's CPU), and
 * the deadline still holds for each of them (F5): a register whose connector never finishes is
 * settled TIMEOUT by its guard just after the shared deadline, while the others answer.
 */
@ExtendWith(VertxExtension.class)
class SharedDeadlineTimerTest {

    private static final int REGISTERS = 30;

    @Test
    void registersThatShareADeadlineAreTimedByOneTimerForTheWholeEnquiry(Vertx vertx, VertxTestContext ctx) {
        // GIVEN thirty registers that answer at once, all with the same deadline
        AtomicInteger timers = new AtomicInteger();
        RegisterFanOut fanOut = fanOut(countingTimers(vertx, timers), guards(500), 500,
                i -> () -> Future.succeededFuture(List.of()));
        // WHEN one enquiry is sent to them all
        vertx.runOnContext(v -> fanOut.search(queries(fanOut)).onComplete(ctx.succeeding(outcomes -> ctx.verify(() -> {
            // THEN every register was checked
            assertEquals(REGISTERS, outcomes.size());
            outcomes.forEach(o -> assertEquals(RegisterStatus.OK, o.status(), o.authority()));
            // AND two timers were armed in all: the registers' shared deadline and the enquiry's
            // outer bound (one a register, thirty-one, before)
            assertEquals(2, timers.get(), "timers armed for one enquiry to " + REGISTERS + " registers");
            ctx.completeNow();
        }))));
    }

    @Test
    void aRegisterThatNeverFinishesIsSettledTimeoutByItsGuardUnderTheSharedDeadline(Vertx vertx, VertxTestContext ctx) {
        // GIVEN thirty registers with a 300 ms deadline, the first of which never finishes (and
        // ignores the deadline's watch, as a stuck connector would)
        long deadlineMs = 300;
        RegisterGuards guards = guards(deadlineMs);
        RegisterFanOut fanOut = fanOut(vertx, guards, deadlineMs, i -> i == 0
                ? () -> Promise.<List<ChildRecord>>promise().future()
                : () -> Future.succeededFuture(List.of()));
        long started = System.nanoTime();
        // WHEN one enquiry is sent to them all
        vertx.runOnContext(v -> fanOut.search(queries(fanOut)).onComplete(ctx.succeeding(outcomes -> ctx.verify(() -> {
            long tookMs = (System.nanoTime() - started) / 1_000_000L;
            // THEN the stuck register is TIMEOUT after its deadline, never OK with nothing found
            assertEquals(RegisterStatus.TIMEOUT, outcomes.get(0).status());
            assertTrue(tookMs >= deadlineMs, "settled after " + tookMs + " ms, before its deadline");
            // AND every other register answered
            outcomes.subList(1, REGISTERS).forEach(o -> assertEquals(RegisterStatus.OK, o.status(), o.authority()));
            // AND the stuck register's own guard settled its search too (its margin after the shared
            // deadline), giving its bulkhead permit back: a guard that missed the shared deadline
            // would hold the permit for ever, since nothing else times a stuck connector out
            RegisterGuard stuck = guards.get("la-00");
            vertx.setPeriodic(10, t -> {
                RegisterGuard.Health h = stuck.health();
                if (h.lastFailureStatus() == RegisterStatus.TIMEOUT && h.bulkheadAvailable() == h.bulkheadMax()) {
                    vertx.cancelTimer(t);
                    ctx.completeNow();
                }
            });
        }))));
    }

    private static RegisterGuards guards(long deadlineMs) {
        List<RegisterSettings> settings = new ArrayList<>();
        for (int i = 0; i < REGISTERS; i++) {
            settings.add(new RegisterSettings(authority(i), "canonical-json", URI.create("http://127.0.0.1:1"),
                    Duration.ofMillis(deadlineMs), 64, 256, 1024, new JsonObject()));
        }
        return RegisterGuards.create(settings);
    }

    private static RegisterFanOut fanOut(Vertx vertx, RegisterGuards guards, long deadlineMs,
            IntFunction<Supplier<Future<List<ChildRecord>>>> answers) {
        Map<String, RegisterConnector> connectors = new LinkedHashMap<>();
        for (int i = 0; i < REGISTERS; i++) {
            connectors.put(authority(i), new RegisterGuardTest.ScriptedConnector(answers.apply(i)));
        }
        return new RegisterFanOut(vertx, Registers.of(connectors, deadlineMs), guards, Telemetry.off());
    }

    private static String authority(int i) {
        return String.format("la-%02d", i);
    }

    /** One search request for every register: one deadline, as an enquiry gives them. */
    private static List<RegisterFanOut.Query> queries(RegisterFanOut fanOut) {
        SearchRequest request = RegisterGuardTest.request(fanOut.registers().deadlineMs(authority(0), 0));
        return fanOut.registers().authorities().stream().map(a -> new RegisterFanOut.Query(a, request)).toList();
    }

    /** Vert.x as it is, counting the timers armed through it. */
    private static Vertx countingTimers(Vertx vertx, AtomicInteger timers) {
        return (Vertx) Proxy.newProxyInstance(Vertx.class.getClassLoader(), new Class<?>[] {Vertx.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("setTimer")) {
                        timers.incrementAndGet();
                    }
                    try {
                        return method.invoke(vertx, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
