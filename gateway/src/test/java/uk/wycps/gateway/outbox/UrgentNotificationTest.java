package uk.wycps.gateway.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static uk.wycps.gateway.support.Answers.await;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import uk.wycps.gateway.outbox.RegisterOutboxBatchingTest.RecordingRegister;
import uk.wycps.record.EnquiryHistoryEntry;

/**
 * An access to a shielded record is told to its owner at once (A10): its entry goes in the
 * register's next exchange, ahead of any backlog, cuts a linger short, and stays urgent across
 * a restart.
 */
@ExtendWith(VertxExtension.class)
class UrgentNotificationTest {

    @TempDir
    Path dir;

    private static EnquiryHistoryEntry entry(String id) {
        return new EnquiryHistoryEntry(id, "enq-" + id, Instant.parse("2026-11-29T10:00:00Z"), "user-1",
                "child-worker", "social-services", "kirklees", "register-check", "not-sought");
    }

    private static OutboxMessage history(String id) {
        return OutboxMessage.history("bradford", "BD-000001", entry(id));
    }

    private static OutboxMessage urgent(String id) {
        return OutboxMessage.urgentHistory("bradford", "BD-000092", entry(id));
    }

    private RegisterOutbox open(Vertx vertx, RecordingRegister register, Duration linger) throws Exception {
        return await(RegisterOutbox.open(vertx, dir, Map.of("bradford", register), Duration.ofMillis(50), linger));
    }

    @Test
    void anUrgentEntryGoesAheadOfTheBacklogWhenTheRegisterComesBack(Vertx vertx) throws Exception {
        RecordingRegister register = new RecordingRegister(100);
        RegisterOutbox outbox = open(vertx, register, RegisterOutbox.LINGER);
        try {
            // GIVEN a backlog queued while the register is down, then an access to a shielded record
            await(outbox.enqueue(List.of(history("h1"), history("h2"), history("h3"))));
            await(outbox.enqueue(List.of(urgent("u1"))));
            // WHEN the register comes back
            register.up = true;
            waitForSends(register, 2);
            // THEN the urgent entry is the first exchange, alone; the backlog follows
            assertEquals(List.of("history [u1]", "history [h1, h2, h3]"), register.sends());
        } finally {
            await(outbox.close());
        }
    }

    @Test
    void anUrgentEntryDoesNotWaitForALinger(Vertx vertx) throws Exception {
        RecordingRegister register = new RecordingRegister(100);
        register.up = true;
        Promise<Void> first = Promise.promise();
        register.held = first;
        // a linger far longer than the test waits
        RegisterOutbox outbox = open(vertx, register, Duration.ofSeconds(60));
        try {
            // GIVEN h1 is being sent and h2 arrives, so the lane will linger after h1
            await(outbox.enqueue(List.of(history("h1"))));
            waitForSends(register, 1);
            await(outbox.enqueue(List.of(history("h2"))));
            register.held = null;
            vertx.runOnContext(v -> first.complete());
            awaitPending(outbox, Map.of("bradford", 1));
            // WHEN an access to a shielded record arrives during the linger
            await(outbox.enqueue(List.of(urgent("u1"))));
            // THEN it is sent without waiting for the linger to end
            waitForSends(register, 2);
            assertEquals(List.of("history [h1]", "history [u1]"), register.sends());
            // h2 still waits out the linger (u1 acknowledged, h2 alone left)
            awaitPending(outbox, Map.of("bradford", 1));
            assertEquals(List.of("history [h1]", "history [u1]"), register.sends());
        } finally {
            await(outbox.close());
        }
    }

    @Test
    void anUrgentEntryIsStillUrgentAfterARestart(Vertx vertx) throws Exception {
        RecordingRegister down = new RecordingRegister(100);
        RegisterOutbox outbox = open(vertx, down, RegisterOutbox.LINGER);
        await(outbox.enqueue(List.of(history("h1"), history("h2"))));
        await(outbox.enqueue(List.of(urgent("u1"))));
        await(outbox.close());
        // WHEN the gateway starts again with the register up
        RecordingRegister up = new RecordingRegister(100);
        up.up = true;
        RegisterOutbox reopened = open(vertx, up, RegisterOutbox.LINGER);
        try {
            waitForSends(up, 2);
            assertEquals(List.of("history [u1]", "history [h1, h2]"), up.sends());
        } finally {
            await(reopened.close());
        }
    }

    private static void waitForSends(RecordingRegister register, int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (register.sends().size() < count && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
    }

    /** Polls until the lanes hold {@code expected} (acknowledgements are journalled after the send), at most 10 s. */
    private static void awaitPending(RegisterOutbox outbox, Map<String, Integer> expected) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!await(outbox.pendingCounts()).equals(expected) && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(expected, await(outbox.pendingCounts()));
    }
}
