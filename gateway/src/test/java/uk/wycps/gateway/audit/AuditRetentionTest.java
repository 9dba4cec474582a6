package uk.wycps.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies retention (H4): entries past their authority's retention are emptied, a signed purge
 * marker records it, and the chain still verifies; emptying an entry without a marker, or with a
 * forged one, is caught; a purge never runs under a live gateway.
 */
@ExtendWith(VertxExtension.class)
class AuditRetentionTest {

    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    @TempDir
    Path dir;

    /** Ten entries ten years old, then ten from last week. */
    private FileAuditSink write(Vertx vertx) throws Exception {
        FileAuditSink sink = FileAuditSink.open(vertx, dir, AuditKeys.loadOrCreate(dir), 1000, c -> { })
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        List<Future<Void>> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Instant at = i < 10 ? NOW.minus(3650, ChronoUnit.DAYS) : NOW.minus(7, ChronoUnit.DAYS);
            all.add(sink.append(AuditEntries.answered(i, at)));
        }
        Future.all(all).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return sink;
    }

    @Test
    void entriesPastRetentionAreEmptiedUnderASignedMarkerAndTheChainStillVerifies(Vertx vertx) throws Exception {
        FileAuditSink sink = write(vertx);
        // GIVEN a running gateway holds the log THEN no purge can run
        AuditPurge purge = new AuditPurge(Map.of("leeds", 6 * 365), 7 * 365);
        assertThrows(IOException.class, () -> purge.purge(dir, AuditKeys.loadOrCreate(dir), NOW));
        sink.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        // WHEN it is stopped and the purge runs
        long purged = purge.purge(dir, AuditKeys.loadOrCreate(dir), NOW);
        // THEN the ten old entries are emptied and the log verifies
        assertEquals(10, purged);
        AuditVerifier.Result result = AuditVerifier.verifyDirectory(dir);
        assertTrue(result.intact(), result.toString());
        assertEquals(10, result.purged());
        assertEquals(10, result.entries());
        assertFalse(Files.readString(dir.resolve(FileAuditSink.FILE_NAME)).contains("enquiry-3\""));
    }

    /**
     * Verifies that an entry is kept for the longest retention of every authority it concerns,
     * the registers it notified included (a withheld match's register reads it in its audit view):
     * a Leeds enquiry that notified Bradford is not purged at Leeds's 30 days when Bradford keeps
     * ten years. Before, only the caller's and the released records' authorities counted.
     */
    @Test
    void anEntryIsKeptForTheRetentionOfTheRegistersItNotified() {
        AuditEntry base = AuditEntries.answered(1, NOW.minus(40, ChronoUnit.DAYS));
        AuditEntry notifiedBradford = new AuditEntry(base.enquiryId(), base.at(), base.correlationId(), base.caller(),
                AuditEntry.WITHHELD_SEARCHED, base.purpose(), base.justification(), base.consent(), base.criteria(),
                List.of(new AuditEntry.RegisterAnswer("bradford", "WITHHELD(OK)")), List.of(),
                List.of(new AuditEntry.Released("bradford", "BD-000001", "NOTIFIED")), base.policy());
        AuditPurge purge = new AuditPurge(Map.of("leeds", 30, "bradford", 3650), 30);
        assertFalse(purge.expired(notifiedBradford.toJson().encode(), NOW), "Bradford keeps it ten years");
        assertTrue(purge.expired(AuditEntries.answered(1, NOW.minus(40, ChronoUnit.DAYS)).toJson().encode(), NOW),
                "an entry concerning Leeds alone goes at 30 days");
    }

    @Test
    void anEntryEmptiedWithoutASignedMarkerIsCaught(Vertx vertx) throws Exception {
        write(vertx).close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        Path file = dir.resolve(FileAuditSink.FILE_NAME);
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        HashChain.ParsedLine p = HashChain.parse(lines.get(4));
        lines.set(4, HashChain.purgedLine(p.seq(), p.prev(), p.hash(), p.digest()));
        Files.write(file, lines, StandardCharsets.UTF_8);
        AuditVerifier.Result result = AuditVerifier.verifyDirectory(dir);
        assertFalse(result.intact());
        assertEquals(5, result.firstBadEntry(), result.toString());
    }

    @Test
    void aPurgeMarkerSignedWithAnotherKeyIsCaught(Vertx vertx) throws Exception {
        write(vertx).close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        Path other = Files.createTempDirectory(dir, "attacker");
        new AuditPurge(Map.of(), 365).purge(dir, AuditKeys.loadOrCreate(other), NOW);
        AuditVerifier.Result result = AuditVerifier.verifyDirectory(dir);
        assertFalse(result.intact());
        assertTrue(result.problem().contains("purge marker signature"), result.toString());
    }
}
