package uk.wycps.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Verifies the harness itself: the arrival schedule, and latency measured from intended send times. */
class ArrivalScheduleTest {

    @Test
    void requestsAreDueAtTheFixedRateFromTheStart() {
        // GIVEN 1000/s starting at t = 1 s, 10 requests
        ArrivalSchedule s = new ArrivalSchedule(1_000_000_000L, 1000, 10);
        // THEN request i is due at start + i ms, and dueBy counts those whose time has come
        assertEquals(1_000_000_000L, s.intendedNanos(0));
        assertEquals(1_003_000_000L, s.intendedNanos(3));
        assertEquals(0, s.dueBy(999_999_999L));
        assertEquals(1, s.dueBy(1_000_000_000L));
        assertEquals(4, s.dueBy(1_003_500_000L));
        assertEquals(10, s.dueBy(2_000_000_000L), "never more than the total");
        assertEquals(1_009_000_000L, s.endNanos());
    }

    @Test
    void aRateOfZeroIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ArrivalSchedule(0, 0, 1));
    }

    @Test
    void aServerThatStallsIsChargedForTheWholeStallNotOneRequest() throws Exception {
        // GIVEN a server that answers after 300 ms, one request at a time (the load generator's pool has one connection)
        Vertx vertx = Vertx.vertx();
        try {
            AtomicInteger served = new AtomicInteger();
            AtomicInteger inFlight = new AtomicInteger();
            AtomicInteger mostAtOnce = new AtomicInteger();
            HttpServer server = vertx.createHttpServer()
                    .requestHandler(req -> {
                        served.incrementAndGet();
                        mostAtOnce.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                        vertx.setTimer(300, id -> {
                            inFlight.decrementAndGet();
                            req.response().end("ok");
                        });
                    })
                    .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            LoadGenerator gen = new LoadGenerator(vertx, "127.0.0.1", server.actualPort(), 1);
            // WHEN 10 requests are sent at 100/s (all due within 90 ms)
            LoadResult r = gen.run(100, 100, i -> new LoadGenerator.Request(HttpMethod.GET, "/", null, null), null, 10_000)
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            // THEN the server served them one after another
            assertEquals(10, r.ok());
            assertEquals(0, r.errors());
            assertEquals(10, served.get());
            assertEquals(1, mostAtOnce.get(), "one request at a time");
            // AND the last one is charged for the nine before it (at least 10 × 300 ms from its
            // intended time, less the 90 ms it was due after the first), not the 300 ms a
            // closed-loop client would report, and the median for about half of that
            long maxMs = r.histogram().getMaxValue() / 1000;
            assertTrue(maxMs >= 2_700, "max " + maxMs + " ms");
            assertTrue(r.ms(50) >= 1_200, "p50 " + r.ms(50) + " ms");
            // AND never for more than the run lasted (from the first intended send to the last
            // answer): each latency starts at its own request's intended time, not before it
            assertTrue(r.maxMs() <= r.seconds() * 1000, "max " + r.maxMs() + " ms in a run of " + r.seconds() + " s");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
