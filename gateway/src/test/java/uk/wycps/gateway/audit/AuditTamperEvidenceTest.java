package uk.wycps.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import uk.wycps.connector.AuditCheckpoint;

/**
 * Verifies that the audit log is tamper-evident (H2). A log of 100,000 entries written by the
 * real sink verifies whole, once; and each of 1,000 random single changes (a byte altered, an
 * entry removed, inserted or forged, two entries swapped, the tail cut) to a log of 3,000
 * entries written the same way is reported, checked against the checkpoints the registers
 * were sent. The changes need not be made to the long log: what catches a change is the chain
 * around it and the nearest checkpoints, the same at entry 2,000 as at entry 90,000. The seed is
 * fixed so that a failure can be replayed, printed, and can be set with {@code -Daudit.seed}.
 */
@ExtendWith(VertxExtension.class)
class AuditTamperEvidenceTest {

    private static final long DEFAULT_SEED = 20_261_201L;
    private static final int CHANGES = 1_000;

    @TempDir
    Path dir;

    @Test
    void aLogOf100000EntriesWrittenByTheSinkVerifiesWhole(Vertx vertx) throws Exception {
        // GIVEN a log of 100,000 entries written by the real sink, a checkpoint every 1,000
        List<AuditCheckpoint> published = write(vertx, 100_000, 1_000);
        // WHEN it is verified against the checkpoints the registers were sent
        AuditVerifier.Result result = verifier(published).verify(log().iterator());
        // THEN every entry and checkpoint checks
        assertTrue(result.intact(), result.toString());
        assertEquals(100_000, result.entries());
        assertEquals(100, result.checkpoints());
    }

    @Test
    void everySingleChangeOfAThousandToAWrittenLogIsReportedWhereItWasMade(Vertx vertx) throws Exception {
        // GIVEN a log of 3,000 entries written by the real sink, a checkpoint every 100
        List<AuditCheckpoint> published = write(vertx, 3_000, 100);
        List<String> log = log();
        AuditVerifier verifier = verifier(published);
        AuditVerifier.Result untouched = verifier.verify(log.iterator());
        assertTrue(untouched.intact(), untouched.toString());
        assertEquals(3_000, untouched.entries());
        assertEquals(30, untouched.checkpoints());

        long seed = Long.getLong("audit.seed", DEFAULT_SEED);
        System.out.println("AuditTamperEvidenceTest seed: " + seed + " (rerun with -Daudit.seed=" + seed + ")");
        // WHEN it is changed in each of 1,000 ways THEN each change is reported at the entry changed
        List<String> missed = IntStream.range(0, CHANGES).parallel().mapToObj(i -> {
            Random random = new Random(seed + i);
            Change change = change(i % 6, log, random);
            AuditVerifier.Result result = verifier.verify(change.lines.iterator());
            boolean caught = !result.intact()
                    && result.firstBadEntry() >= change.firstTouched && result.firstBadEntry() <= change.firstTouched + 1;
            return caught ? null : change.description + " -> " + result;
        }).filter(m -> m != null).toList();
        assertTrue(missed.isEmpty(), missed.size() + " changes not reported (seed " + seed + "), e.g. "
                + missed.stream().limit(3).toList());
        assertTrue(verifier.verify(log.iterator()).intact(), "the original still verifies");
    }

    private List<AuditCheckpoint> write(Vertx vertx, int entries, int checkpointEvery) throws Exception {
        List<AuditCheckpoint> published = new CopyOnWriteArrayList<>();
        AuditKeys.Signer signer = AuditKeys.loadOrCreate(dir);
        FileAuditSink.open(vertx, dir, signer, checkpointEvery, published::add)
                .compose(sink -> {
                    List<Future<Void>> all = new ArrayList<>(entries);
                    for (int i = 0; i < entries; i++) {
                        all.add(sink.append(AuditEntries.answered(i)));
                    }
                    return Future.all(all).compose(v -> sink.close());
                })
                .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        return published;
    }

    private List<String> log() throws Exception {
        return Files.readAllLines(dir.resolve(FileAuditSink.FILE_NAME), StandardCharsets.UTF_8);
    }

    private AuditVerifier verifier(List<AuditCheckpoint> witnesses) throws Exception {
        return new AuditVerifier(AuditKeys.verifier(Files.readString(dir.resolve(AuditKeys.PUBLIC_FILE))), witnesses);
    }

    /** A changed copy of the log, and the 1-based entry where the change starts. */
    private record Change(List<String> lines, long firstTouched, String description) {
    }

    private static Change change(int kind, List<String> log, Random random) {
        List<String> lines = new ArrayList<>(log);
        int at = random.nextInt(lines.size());
        switch (kind) {
            case 0 -> {
                String line = lines.get(at);
                int pos = random.nextInt(line.length());
                char replacement;
                do {
                    replacement = (char) (32 + random.nextInt(95));
                } while (replacement == line.charAt(pos));
                lines.set(at, line.substring(0, pos) + replacement + line.substring(pos + 1));
                return new Change(lines, at + 1, "byte " + pos + " of entry " + (at + 1));
            }
            case 1 -> {
                lines.remove(at);
                return new Change(lines, Math.min(at + 1, lines.size() + 1), "entry " + (at + 1) + " removed");
            }
            case 2 -> {
                lines.add(at, log.get(random.nextInt(log.size())));
                return new Change(lines, at + 1, "a copy inserted before entry " + (at + 1));
            }
            case 3 -> {
                // A forger without the key writes a well-formed, correctly chained entry.
                String prev = at == 0 ? HashChain.GENESIS : HashChain.parse(log.get(at - 1)).hash();
                String forged = AuditEntries.answered(999_999).toJson().encode();
                String digest = HashChain.digest(forged);
                lines.add(at, HashChain.line(at + 1, prev, HashChain.hash(at + 1, prev, digest), digest, forged));
                return new Change(lines, at + 1, "a forged entry inserted at " + (at + 1));
            }
            case 4 -> {
                int other;
                do {
                    other = random.nextInt(lines.size());
                } while (other == at);
                String a = lines.get(at);
                lines.set(at, lines.get(other));
                lines.set(other, a);
                return new Change(lines, Math.min(at, other) + 1, "entries " + (at + 1) + " and " + (other + 1)
                        + " swapped");
            }
            default -> {
                int cut = 1 + random.nextInt(Math.min(1000, lines.size() / 2));
                lines.subList(lines.size() - cut, lines.size()).clear();
                return new Change(lines, lines.size() + 1, "last " + cut + " entries cut");
            }
        }
    }

}
