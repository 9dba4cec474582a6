package uk.wycps.benchmarks.suite;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import uk.wycps.record.SearchCriteria;
import uk.wycps.gateway.audit.AuditEntry;
import uk.wycps.gateway.audit.AuditKeys;
import uk.wycps.gateway.audit.AuditVerifier;
import uk.wycps.gateway.audit.FileAuditSink;
import uk.wycps.policy.Agency;
import uk.wycps.policy.Caller;
import uk.wycps.policy.Role;

/**
 * The audit log's verification speed: {@code n} realistic entries written by the real
 * {@link FileAuditSink} (checkpoint every 1000), then {@link AuditVerifier#verifyDirectory} timed
 * (best of three, with the first as warm-up).
 */
final class AuditBench {

    record Result(int entries, double writeSeconds, long bytes, List<Double> verifySeconds, String verdict) {
        double bestVerifySeconds() {
            return verifySeconds.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        }
    }

    private AuditBench() {
    }

    static AuditEntry entry(int i) {
        Caller caller = new Caller("worker-" + (i % 50), Role.CHILD_WORKER, Agency.SOCIAL_SERVICES, "leeds",
                Set.of("cross-authority:*"));
        return new AuditEntry("enquiry-" + i, Instant.parse("2026-11-01T10:00:00Z").plusSeconds(i), "corr-" + i, caller,
                AuditEntry.ANSWERED, "register-check", "Referral from school nurse",
                "not-sought:authorised-register-check",
                new SearchCriteria("Aisha", "Khan", null, null, java.time.LocalDate.of(2016, 3, 9), null, null),
                List.of(new AuditEntry.RegisterAnswer("bradford", "OK"), new AuditEntry.RegisterAnswer("calderdale", "OK"),
                        new AuditEntry.RegisterAnswer("kirklees", "OK"), new AuditEntry.RegisterAnswer("leeds", "OK"),
                        new AuditEntry.RegisterAnswer("wakefield", "OK")),
                List.of(new AuditEntry.Released("leeds", String.format("LE-%06d", i % 500), "SENSITIVE")), List.of(),
                "wycps-default@1.0.0");
    }

    /** Appends entries {@code from} to {@code n} in batches of 1000, one batch per event-loop turn. */
    private static Future<Void> appendFrom(Vertx vertx, FileAuditSink sink, int from, int n) {
        if (from >= n) {
            return Future.succeededFuture();
        }
        int to = Math.min(n, from + 1000);
        List<Future<Void>> batch = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            batch.add(sink.append(entry(i)));
        }
        // the next batch is queued while this one is written: the writer's group commit stays busy
        io.vertx.core.Promise<Void> next = io.vertx.core.Promise.promise();
        vertx.runOnContext(x -> appendFrom(vertx, sink, to, n).onComplete(next));
        return Future.all(batch).compose(v -> next.future());
    }

    static Result run(Vertx vertx, Path dir, int n) throws Exception {
        Files.createDirectories(dir);
        AuditKeys.Signer signer = AuditKeys.loadOrCreate(dir);
        long t0 = System.nanoTime();
        FileAuditSink.open(vertx, dir, signer, FileAuditSink.DEFAULT_CHECKPOINT_EVERY, cp -> { })
                .compose(sink -> appendFrom(vertx, sink, 0, n).compose(v -> sink.close()))
                .toCompletionStage().toCompletableFuture().get(300, TimeUnit.SECONDS);
        double write = (System.nanoTime() - t0) / 1e9;
        List<Double> times = new ArrayList<>();
        String verdict = null;
        for (int i = 0; i < 3; i++) {
            long v0 = System.nanoTime();
            AuditVerifier.Result r = AuditVerifier.verifyDirectory(dir);
            times.add((System.nanoTime() - v0) / 1e9);
            verdict = r.toString();
        }
        long bytes = Files.size(dir.resolve(FileAuditSink.FILE_NAME));
        System.out.printf("audit: %d entries written in %.1f s, verified in %s s: %s%n", n, write, times, verdict);
        return new Result(n, write, bytes, times, verdict);
    }
}
