package uk.wycps.gateway.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.RegisterFailure;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.record.SearchCriteria;
import uk.wycps.connector.SearchRequest;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.EnquiryHistoryEntry;

/**
 * Verifies the guard of one register with scripted connectors (F2, F5): breaker, bulkhead,
 * retry and deadline, each driven without blocking.
 */
@ExtendWith(VertxExtension.class)
class RegisterGuardTest {

    /** A connector whose every search is answered by {@code answer}, counting the calls. */
    static final class ScriptedConnector implements RegisterConnector {
        final AtomicInteger calls = new AtomicInteger();
        final Supplier<Future<List<ChildRecord>>> answer;

        ScriptedConnector(Supplier<Future<List<ChildRecord>>> answer) {
            this.answer = answer;
        }

        @Override
        public String authority() {
            return "leeds";
        }

        @Override
        public Future<List<ChildRecord>> search(SearchRequest request) {
            calls.incrementAndGet();
            return answer.get();
        }

        @Override
        public Future<Void> recordEnquiry(String recordId, EnquiryHistoryEntry entry, Deadline deadline) {
            return Future.succeededFuture();
        }

        @Override
        public Future<Void> close() {
            return Future.succeededFuture();
        }
    }

    static GuardSettings settings(long deadlineMs, JsonObject resilience) {
        return GuardSettings.from(new RegisterSettings("leeds", "canonical-json", URI.create("http://127.0.0.1:1"),
                Duration.ofMillis(deadlineMs), 64, 256, 1024, new JsonObject().put("resilience", resilience)));
    }

    static SearchRequest request(long deadlineMs) {
        return new SearchRequest(new SearchCriteria("Aisha", "Khan", List.of(), List.of(), null, null, null),
                java.util.Set.of("recordId"), Deadline.afterMillis(deadlineMs), "enquiry-1");
    }

    @Test
    void breakerOpensAfterFailuresAndThenRefusesWithoutCallingTheRegister(Vertx vertx, VertxTestContext ctx) {
        // GIVEN a register that fails every search, with a breaker over 4 calls opening at 50%
        RegisterGuard guard = new RegisterGuard("leeds", settings(500, new JsonObject().put("slidingWindowSize", 4)
                .put("minimumCalls", 4).put("waitInOpenMs", 60_000)));
        ScriptedConnector failing = new ScriptedConnector(() -> Future.failedFuture(RegisterFailure.error("HTTP 500")));
        // WHEN it is searched four times, then once more
        vertx.runOnContext(v -> guard.search(vertx, failing, request(500))
                .compose(o -> guard.search(vertx, failing, request(500)))
                .compose(o -> guard.search(vertx, failing, request(500)))
                .compose(o -> guard.search(vertx, failing, request(500)))
                .compose(o -> guard.search(vertx, failing, request(500)))
                .onComplete(ctx.succeeding(o -> ctx.verify(() -> {
                    // THEN the fifth is CIRCUIT_OPEN and the register was not asked a fifth time
                    assertEquals(RegisterStatus.CIRCUIT_OPEN, o.status());
                    assertEquals(4, failing.calls.get());
                    assertEquals("OPEN", guard.circuitState());
                    assertEquals(1L, guard.transitions().get("CLOSED_TO_OPEN"));
                    ctx.completeNow();
                }))));
    }

    @Test
    void openBreakerProbesAfterItsWaitAndClosesOnSuccess(Vertx vertx, VertxTestContext ctx) {
        // GIVEN an open breaker with a 1 s wait and a register that has recovered (opened and first
        // asked in one task, so a slow machine's delay cannot outlast the wait between the two)
        RegisterGuard guard = new RegisterGuard("leeds", settings(500, new JsonObject().put("waitInOpenMs", 1000)
                .put("halfOpenCalls", 2)));
        ScriptedConnector healthy = new ScriptedConnector(() -> Future.succeededFuture(List.of()));
        vertx.runOnContext(v -> {
            guard.forceOpen();
            guard.search(vertx, healthy, request(500))
                    .onComplete(ctx.succeeding(first -> {
                        ctx.verify(() -> assertEquals(RegisterStatus.CIRCUIT_OPEN, first.status()));
                        // WHEN the wait has passed and two probes succeed
                        vertx.setTimer(1200, t -> guard.search(vertx, healthy, request(500))
                                .compose(o -> guard.search(vertx, healthy, request(500)))
                                .onComplete(ctx.succeeding(o -> ctx.verify(() -> {
                                    // THEN the breaker is closed again
                                    assertEquals(RegisterStatus.OK, o.status());
                                    assertEquals("CLOSED", guard.circuitState());
                                    assertEquals(1L, guard.transitions().get("OPEN_TO_HALF_OPEN"));
                                    assertEquals(1L, guard.transitions().get("HALF_OPEN_TO_CLOSED"));
                                    ctx.completeNow();
                                }))));
                    }));
        });
    }

    @Test
    void fullBulkheadRejectsAtOnceAndGivesBackTheBreakerPermission(Vertx vertx, VertxTestContext ctx) {
        // GIVEN a bulkhead of 2 and a register whose searches do not finish yet
        RegisterGuard guard = new RegisterGuard("leeds", settings(500, new JsonObject().put("maxConcurrent", 2)));
        List<Promise<List<ChildRecord>>> pending = new ArrayList<>();
        ScriptedConnector slow = new ScriptedConnector(() -> {
            Promise<List<ChildRecord>> p = Promise.promise();
            pending.add(p);
            return p.future();
        });
        vertx.runOnContext(v -> {
            Future<RegisterOutcome> a = guard.search(vertx, slow, request(500));
            Future<RegisterOutcome> b = guard.search(vertx, slow, request(500));
            // WHEN a third search comes while two are running
            Future<RegisterOutcome> third = guard.search(vertx, slow, request(500));
            // THEN it is already answered when the call returns (no timer, no wait)
            ctx.verify(() -> assertTrue(third.isComplete(), "rejected before the call returned"));
            third.onComplete(ctx.succeeding(c -> ctx.verify(() -> {
                // AND it is REJECTED without calling the register
                assertEquals(RegisterStatus.REJECTED, c.status());
                assertEquals(2, slow.calls.get());
                pending.forEach(p -> p.complete(List.of()));
            })));
            Future.all(a, b).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
                // AND the breaker counted two successes and no leaked permission
                assertEquals(2, guard.health().bufferedCalls());
                assertEquals(2, guard.health().bulkheadAvailable());
                ctx.completeNow();
            })));
        });
    }

    @Test
    void connectionFailureIsRetriedOnceWhenTheDeadlineAllows(Vertx vertx, VertxTestContext ctx) {
        // GIVEN a register that refuses connections
        RegisterGuard guard = new RegisterGuard("leeds", settings(1000, new JsonObject()));
        ScriptedConnector refusing = new ScriptedConnector(
                () -> Future.failedFuture(RegisterFailure.connection("connection refused")));
        vertx.runOnContext(v -> guard.search(vertx, refusing, request(1000))
                .onComplete(ctx.succeeding(o -> ctx.verify(() -> {
                    // THEN it was tried twice, no more, and is UNAVAILABLE
                    assertEquals(RegisterStatus.UNAVAILABLE, o.status());
                    assertEquals(2, refusing.calls.get());
                    ctx.completeNow();
                }))));
    }

    @Test
    void connectionFailureIsNotRetriedWhenTooLittleDeadlineIsLeft(Vertx vertx, VertxTestContext ctx) {
        // GIVEN a register that takes 300 ms to refuse, under a 400 ms deadline with a 250 ms retry minimum
        RegisterGuard guard = new RegisterGuard("leeds", settings(2000, new JsonObject()));
        ScriptedConnector refusing = new ScriptedConnector(() -> {
            Promise<List<ChildRecord>> p = Promise.promise();
            vertx.setTimer(300, t -> p.fail(RegisterFailure.connection("connect timed out")));
            return p.future();
        });
        vertx.runOnContext(v -> guard.search(vertx, refusing, request(400))
                .onComplete(ctx.succeeding(o -> ctx.verify(() -> {
                    // THEN it was tried once only
                    assertEquals(RegisterStatus.UNAVAILABLE, o.status());
                    assertEquals(1, refusing.calls.get());
                    ctx.completeNow();
                }))));
    }

    @Test
    void connectorThatNeverFinishesIsTimedOutByTheGuard(Vertx vertx, VertxTestContext ctx) {
        // GIVEN a connector whose future never completes
        RegisterGuard guard = new RegisterGuard("leeds", settings(200, new JsonObject()));
        ScriptedConnector stuck = new ScriptedConnector(() -> Promise.<List<ChildRecord>>promise().future());
        long started = System.nanoTime();
        vertx.runOnContext(v -> guard.search(vertx, stuck, request(200))
                .onComplete(ctx.succeeding(o -> ctx.verify(() -> {
                    long took = (System.nanoTime() - started) / 1_000_000L;
                    // THEN TIMEOUT (only the guard's own timer can end a search that never finishes),
                    // not before the deadline, and the bulkhead is free again
                    assertEquals(RegisterStatus.TIMEOUT, o.status());
                    assertTrue(took >= 200, "took " + took);
                    assertEquals(guard.settings().maxConcurrent(), guard.health().bulkheadAvailable());
                    ctx.completeNow();
                }))));
    }

    @Test
    void timeoutUnderACallersShorterDeadlineDoesNotCountAgainstTheRegister(Vertx vertx, VertxTestContext ctx) {
        // GIVEN a register configured with 2000 ms and a caller asking for 50 ms
        RegisterGuard guard = new RegisterGuard("leeds", settings(2000, new JsonObject().put("minimumCalls", 1)
                .put("slidingWindowSize", 1)));
        ScriptedConnector slow = new ScriptedConnector(() -> Promise.<List<ChildRecord>>promise().future());
        vertx.runOnContext(v -> guard.search(vertx, slow, request(50))
                .onComplete(ctx.succeeding(o -> ctx.verify(() -> {
                    // THEN TIMEOUT for the caller, but the breaker recorded nothing and stays closed
                    assertEquals(RegisterStatus.TIMEOUT, o.status());
                    assertEquals(0, guard.health().bufferedCalls());
                    assertEquals("CLOSED", guard.circuitState());
                    ctx.completeNow();
                }))));
    }

    /**
     * Verifies that a failure that comes as a caller's shortened deadline runs out (a wait for a
     * pooled connection ends with the same budget, reported UNAVAILABLE) does not count against
     * the register either: one caller's short deadlines could otherwise open the circuit for all.
     */
    @Test
    void aConnectionWaitEndingWithACallersShorterDeadlineDoesNotCountAgainstTheRegister(Vertx vertx,
            VertxTestContext ctx) {
        RegisterGuard guard = new RegisterGuard("leeds", settings(2000, new JsonObject().put("minimumCalls", 1)
                .put("slidingWindowSize", 1)));
        ScriptedConnector waiting = new ScriptedConnector(() -> Future.future(p -> vertx.setTimer(45,
                t -> p.fail(RegisterFailure.connection("could not connect: connect timed out")))));
        vertx.runOnContext(v -> guard.search(vertx, waiting, request(50))
                .onComplete(ctx.succeeding(o -> ctx.verify(() -> {
                    assertEquals("CLOSED", guard.circuitState(), o.toString());
                    assertEquals(0, guard.health().bufferedCalls());
                    ctx.completeNow();
                }))));
    }

    @Test
    void timeoutUnderTheRegistersOwnDeadlineCountsAgainstIt(Vertx vertx, VertxTestContext ctx) {
        // GIVEN a register configured with 200 ms, searched with its full deadline, that never answers
        RegisterGuard guard = new RegisterGuard("leeds", settings(200, new JsonObject().put("minimumCalls", 1)
                .put("slidingWindowSize", 1)));
        ScriptedConnector slow = new ScriptedConnector(() -> Promise.<List<ChildRecord>>promise().future());
        vertx.runOnContext(v -> guard.search(vertx, slow, request(200))
                .onComplete(ctx.succeeding(o -> ctx.verify(() -> {
                    // THEN the timeout is the register's failure: the breaker (window of 1) opens
                    assertEquals(RegisterStatus.TIMEOUT, o.status());
                    assertEquals("OPEN", guard.circuitState());
                    ctx.completeNow();
                }))));
    }

    @Test
    void unknownOrInvalidResilienceSettingsAreRefused() {
        // An unknown key or an impossible value stops start-up with the register named
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> settings(500, new JsonObject().put("maxWait", 10)));
        assertTrue(unknown.getMessage().contains("leeds") && unknown.getMessage().contains("maxWait"));
        assertThrows(IllegalArgumentException.class, () -> settings(500, new JsonObject().put("failureRatePercent", 0)));
        assertThrows(IllegalArgumentException.class, () -> settings(500, new JsonObject().put("maxConcurrent", 0)));
        assertThrows(IllegalArgumentException.class, () -> settings(500, new JsonObject().put("waitInOpenMs", "soon")));
    }

    @Test
    void defaultsFollowTheRegisterSettings() {
        GuardSettings s = GuardSettings.from(RegisterSettings.of("leeds", "canonical-json", URI.create("http://x:1")));
        assertEquals(2000, s.deadlineMs());
        assertEquals(1000, s.slowCallMs());
        assertEquals(RegisterSettings.DEFAULT_MAX_CONNECTIONS + RegisterSettings.DEFAULT_MAX_WAIT_QUEUE, s.maxConcurrent());
        assertEquals(250, s.retryMinRemainingMs());
    }
}
