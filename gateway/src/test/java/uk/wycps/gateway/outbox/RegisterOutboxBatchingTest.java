package uk.wycps.gateway.outbox;

import static uk.wycps.gateway.support.Answers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import uk.wycps.connector.AuditCheckpoint;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.HistoryDelivery;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.RegisterFailure;
import uk.wycps.connector.SearchRequest;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.EnquiryHistoryEntry;

/**
 * How the outbox groups what it sends (H2, H3): the enquiry-history entries at the head of a
 * register's queue go together, as many as the connector takes at once; a checkpoint goes alone
 * and keeps its place in the order.
 */
@ExtendWith(VertxExtension.class)
class RegisterOutboxBatchingTest {

    @TempDir
    Path dir;

    /** A register that refuses everything until it is up, and remembers each send once it is. */
    static class RecordingRegister implements RegisterConnector {
        final int batchSize;
        final List<String> sends = new ArrayList<>();
        volatile boolean up;
        /** When set, a history send is recorded at once but acknowledged only when this completes. */
        volatile Promise<Void> held;
        /** When set, every checkpoint is refused (recorded as refused): a register whose checkpoint store fails. */
        volatile boolean refusesCheckpoints;

        RecordingRegister(int batchSize) {
            this.batchSize = batchSize;
        }

        @Override
        public String authority() {
            return "bradford";
        }

        @Override
        public Future<List<ChildRecord>> search(SearchRequest request) {
            return Future.succeededFuture(List.of());
        }

        @Override
        public Future<Void> recordEnquiry(String recordId, EnquiryHistoryEntry entry, Deadline deadline) {
            return recordEnquiries(List.of(new HistoryDelivery(recordId, entry)), deadline);
        }

        @Override
        public Future<Void> recordEnquiries(List<HistoryDelivery> deliveries, Deadline deadline) {
            if (!up) {
                return Future.failedFuture(new RegisterFailure(RegisterFailure.Kind.UNAVAILABLE, "down"));
            }
            synchronized (sends) {
                sends.add("history " + deliveries.stream().map(d -> d.entry().entryId()).toList());
            }
            Promise<Void> hold = held;
            return hold == null ? Future.succeededFuture() : hold.future();
        }

        @Override
        public int historyBatchSize() {
            return batchSize;
        }

        @Override
        public boolean keepsCheckpoints() {
            return true;
        }

        @Override
        public Future<Void> publishCheckpoint(AuditCheckpoint checkpoint, Deadline deadline) {
            if (refusesCheckpoints) {
                synchronized (sends) {
                    sends.add("refused checkpoint " + checkpoint.index());
                }
                return Future.failedFuture(RegisterFailure.error("checkpoint store failing"));
            }
            if (!up) {
                return Future.failedFuture(new RegisterFailure(RegisterFailure.Kind.UNAVAILABLE, "down"));
            }
            synchronized (sends) {
                sends.add("checkpoint " + checkpoint.index());
            }
            return Future.succeededFuture();
        }

        @Override
        public Future<Void> close() {
            return Future.succeededFuture();
        }

        List<String> sends() {
            synchronized (sends) {
                return List.copyOf(sends);
            }
        }
    }

    private static OutboxMessage history(String id) {
        return OutboxMessage.history("bradford", "BD-000001", new EnquiryHistoryEntry(id, "enq-" + id,
                Instant.parse("2026-11-29T10:00:00Z"), "user-1", "child-worker", "social-services", "leeds",
                "register-check", "not-sought"));
    }

    private static OutboxMessage checkpoint(long index) {
        return OutboxMessage.checkpoint("bradford", new AuditCheckpoint(index, "head-" + index, "2026-11-29T10:00:00Z",
                "key-1", "sig"));
    }

    /** An outbox in this test's directory sending to {@code register}, retrying after 50 ms. */
    private RegisterOutbox open(Vertx vertx, RecordingRegister register, Duration linger) throws Exception {
        return await(RegisterOutbox.open(vertx, dir, Map.of("bradford", register), Duration.ofMillis(50), linger));
    }

    private List<String> deliverBacklog(Vertx vertx, RecordingRegister register, int expectedSends) throws Exception {
        RegisterOutbox outbox = open(vertx, register, RegisterOutbox.LINGER);
        try {
            // GIVEN the register is down while entries and a checkpoint queue up
            await(outbox.enqueue(List.of(history("h1"), history("h2"))));
            await(outbox.enqueue(List.of(checkpoint(1000))));
            await(outbox.enqueue(List.of(history("h3"), history("h4"), history("h5"))));
            // WHEN it comes back
            register.up = true;
            waitForSends(register, expectedSends);
            // (every message acknowledged: nothing more will be sent)
            awaitPending(outbox, Map.of("bradford", 0));
            return register.sends();
        } finally {
            await(outbox.close());
        }
    }

    @Test
    void historyEntriesGoTogetherAndACheckpointKeepsItsPlace(Vertx vertx) throws Exception {
        RecordingRegister register = new RecordingRegister(100);
        // THEN three sends, in order: the two entries before the checkpoint, the checkpoint, the three after
        assertEquals(List.of("history [h1, h2]", "checkpoint 1000", "history [h3, h4, h5]"),
                deliverBacklog(vertx, register, 3));
    }

    @Test
    void aConnectorTakingOneAtATimeIsSentOneAtATime(Vertx vertx) throws Exception {
        RecordingRegister register = new RecordingRegister(1);
        assertEquals(List.of("history [h1]", "history [h2]", "checkpoint 1000", "history [h3]", "history [h4]",
                "history [h5]"), deliverBacklog(vertx, register, 6));
    }

    @Test
    void aBatchIsNoLargerThanTheConnectorTakes(Vertx vertx) throws Exception {
        RecordingRegister register = new RecordingRegister(2);
        assertEquals(List.of("history [h1, h2]", "checkpoint 1000", "history [h3, h4]", "history [h5]"),
                deliverBacklog(vertx, register, 4));
    }

    @Test
    void anEntryReachingAnIdleLaneGoesAtOnce(Vertx vertx) throws Exception {
        RecordingRegister register = new RecordingRegister(100);
        register.up = true;
        // a linger far longer than the test waits: the first entry must not wait for it
        RegisterOutbox outbox = open(vertx, register, Duration.ofSeconds(60));
        try {
            await(outbox.enqueue(List.of(history("h1"))));
            waitForSends(register, 1);
            assertEquals(List.of("history [h1]"), register.sends());
        } finally {
            await(outbox.close());
        }
    }

    @Test
    void entriesArrivingDuringASendWaitTheLingerAndGoTogether(Vertx vertx) throws Exception {
        RecordingRegister register = new RecordingRegister(100);
        register.up = true;
        Promise<Void> first = Promise.promise();
        register.held = first;
        RegisterOutbox outbox = open(vertx, register, Duration.ofMillis(500));
        try {
            // GIVEN h1 is being sent and h2 arrives meanwhile
            await(outbox.enqueue(List.of(history("h1"))));
            waitForSends(register, 1);
            await(outbox.enqueue(List.of(history("h2"))));
            register.held = null;
            // WHEN h1 is acknowledged and h3 arrives within the linger
            vertx.runOnContext(v -> first.complete());
            await(outbox.enqueue(List.of(history("h3"))));
            // THEN h2 and h3 go in one exchange, not one each
            waitForSends(register, 2);
            awaitPending(outbox, Map.of("bradford", 0));
            assertEquals(List.of("history [h1]", "history [h2, h3]"), register.sends());
        } finally {
            await(outbox.close());
        }
    }

    /**
     * Verifies that a register refusing checkpoints (its store failing) still gets its enquiry
     * history (H3): the checkpoint goes to the back and waits its turn, and history written while
     * it backs off is not held behind it. Before, the lane sent the checkpoint alone, again and
     * again, and no history reached the register after the first checkpoint. The back-off here is
     * a minute: a send within seconds did not wait for it.
     */
    @Test
    void aCheckpointTheRegisterDoesNotTakeHoldsNoEnquiryHistoryBehindIt(Vertx vertx) throws Exception {
        RecordingRegister register = new RecordingRegister(100);
        register.refusesCheckpoints = true;
        register.up = true;
        RegisterOutbox outbox = await(RegisterOutbox.open(vertx, dir, Map.of("bradford", register),
                Duration.ofMinutes(1), Duration.ZERO));
        try {
            // GIVEN a checkpoint at the head of the lane, refused, then history behind it
            await(outbox.enqueue(List.of(checkpoint(1000))));
            waitForSends(register, 1);
            await(outbox.enqueue(List.of(history("h1"))));
            // THEN the history is delivered, and only the checkpoint is left
            waitForSends(register, 2);
            assertTrue(register.sends().contains("history [h1]"), register.sends().toString());
            // AND history written while the checkpoint backs off goes too
            await(outbox.enqueue(List.of(history("h2"))));
            long deadline = System.currentTimeMillis() + 10_000;
            while (!register.sends().contains("history [h2]") && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(register.sends().contains("history [h2]"), register.sends().toString());
            // AND once acknowledged, only the checkpoint is pending
            awaitPending(outbox, Map.of("bradford", 1));
        } finally {
            await(outbox.close());
        }
    }

    /**
     * Verifies that a register that keeps no checkpoints (configured without them) is queued none:
     * they could never be sent and would only pile up in its lane.
     */
    @Test
    void aRegisterThatKeepsNoCheckpointsIsQueuedNone(Vertx vertx) throws Exception {
        RecordingRegister register = new RecordingRegister(100) {
            @Override
            public boolean keepsCheckpoints() {
                return false;
            }
        };
        register.up = true;
        RegisterOutbox outbox = open(vertx, register, Duration.ZERO);
        try {
            await(outbox.enqueue(List.of(checkpoint(1000), history("h1"))));
            // THEN once the history is acknowledged nothing is left, and the checkpoint was never sent
            awaitPending(outbox, Map.of("bradford", 0));
            assertEquals(List.of("history [h1]"), register.sends());
        } finally {
            await(outbox.close());
        }
    }

    /** Waits (up to 10 s) until the outbox's pending counts are {@code expected}, then asserts them. */
    private static void awaitPending(RegisterOutbox outbox, Map<String, Integer> expected) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!await(outbox.pendingCounts()).equals(expected) && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(expected, await(outbox.pendingCounts()));
    }

    private static void waitForSends(RecordingRegister register, int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (register.sends().size() < count && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
    }

}
