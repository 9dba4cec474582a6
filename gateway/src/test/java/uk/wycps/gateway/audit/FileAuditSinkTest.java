package uk.wycps.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies the embedded audit log (H1, H2): entries appended concurrently are all durable and
 * chained, the chain resumes after a restart, and the verifier finds a changed, removed or
 * reordered entry.
 */
@ExtendWith(VertxExtension.class)
class FileAuditSinkTest {

    @TempDir
    Path dir;


    private Future<FileAuditSink> open(Vertx vertx) {
        try {
            return FileAuditSink.open(vertx, dir, AuditKeys.loadOrCreate(dir), 100, checkpoint -> { });
        } catch (java.io.IOException e) {
            return Future.failedFuture(e);
        }
    }

    private Future<Void> appendMany(FileAuditSink sink, int from, int count) {
        List<Future<Void>> all = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            all.add(sink.append(AuditEntries.answered(i)));
        }
        return Future.all(all).mapEmpty();
    }

    @Test
    void concurrentAppendsAreAllChainedAndTheChainResumesAfterRestart(Vertx vertx, VertxTestContext ctx) {
        open(vertx)
                .compose(sink -> appendMany(sink, 0, 500).compose(v -> sink.close()))
                .compose(v -> open(vertx))
                .compose(sink -> appendMany(sink, 500, 10).compose(v -> sink.close()))
                .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
                    AuditVerifier.Result result = AuditVerifier.verifyDirectory(dir);
                    assertTrue(result.intact(), result.toString());
                    assertEquals(510, result.entries());
                    assertEquals(6, result.checkpoints(), "every 100 entries and one at each close");
                    ctx.completeNow();
                })));
    }

    @Test
    void verifierFindsAChangedARemovedAndASwappedEntry(Vertx vertx, VertxTestContext ctx) {
        open(vertx)
                .compose(sink -> appendMany(sink, 0, 20).compose(v -> sink.close()))
                .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
                    Path file = dir.resolve(FileAuditSink.FILE_NAME);
                    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);

                    List<String> changed = new ArrayList<>(lines);
                    changed.set(7, changed.get(7).replace("LE-000007", "LE-000008"));
                    assertBrokenAt(file, changed, 8);

                    List<String> removed = new ArrayList<>(lines);
                    removed.remove(11);
                    assertBrokenAt(file, removed, 12);

                    List<String> inserted = new ArrayList<>(lines);
                    inserted.add(5, lines.get(5));
                    assertBrokenAt(file, inserted, 7);

                    List<String> swapped = new ArrayList<>(lines);
                    swapped.set(3, lines.get(4));
                    swapped.set(4, lines.get(3));
                    assertBrokenAt(file, swapped, 4);

                    Files.write(file, lines, StandardCharsets.UTF_8);
                    assertTrue(AuditVerifier.verifyDirectory(dir).intact());
                    ctx.completeNow();
                })));
    }

    private void assertBrokenAt(Path file, List<String> lines, long line) throws Exception {
        Files.write(file, lines, StandardCharsets.UTF_8);
        AuditVerifier.Result result = AuditVerifier.verifyDirectory(dir);
        assertFalse(result.intact());
        assertEquals(line, result.firstBadEntry(), result.toString());
    }
}
