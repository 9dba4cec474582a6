package uk.wycps.benchmarks.audit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import uk.wycps.gateway.audit.AuditEntry;
import uk.wycps.gateway.audit.AuditKeys;
import uk.wycps.gateway.audit.AuditSink;
import uk.wycps.gateway.audit.FileAuditSink;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.audit.PostgresAuditSink;
import uk.wycps.gateway.durable.Postgres;
import uk.wycps.gateway.outbox.OutboxMessage;
import uk.wycps.policy.Agency;
import uk.wycps.policy.Caller;
import uk.wycps.record.EnquiryHistoryEntry;
import uk.wycps.record.SearchCriteria;

/**
 * The audit's throughput, in the same run: the in-memory sink, the file log (fsync, group
 * commit), and PostgreSQL with one node and with two nodes appending to the one chain. Each
 * "node" is a sink with its own pool of connections and its own event loop, kept busy by
 * {@code CONCURRENCY} appends in flight at any time (a closed loop, like enquiries waiting for
 * their entries); each entry carries two register notifications, written in the same
 * transaction as it would be for an enquiry that released two records (PostgreSQL), or left out
 * (the file and memory sinks, whose outbox is a separate journal). Entries per second, over
 * {@code seconds} after two seconds of warm-up (and, for PostgreSQL, one unreported run first).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar uk.wycps.benchmarks.audit.AuditThroughputProbe \
 *     SECONDS postgresql://HOST:PORT/DB USER PASSWORD_FILE
 * </pre>
 */
public final class AuditThroughputProbe {

    static final int CONCURRENCY = 64;

    private AuditThroughputProbe() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(args[0]);
        Postgres database = Postgres.of(args[1], args[2], Path.of(args[3]));
        database.migrate();
        Path dir = Files.createTempDirectory("wycps-audit-probe");
        AuditKeys.Signer signer = AuditKeys.loadOrCreate(dir);
        List<String> registers = List.of("bradford", "calderdale", "kirklees", "leeds", "wakefield");
        System.out.printf("audit throughput, %d appends in flight per node, %d s per run, %d cores%n", CONCURRENCY,
                seconds, Runtime.getRuntime().availableProcessors());

        Vertx vertx = Vertx.vertx();
        try {
            report("in-memory, 1 node", run(vertx, List.of(InMemoryAuditSink.keepingLast(1000)), seconds, false));
            FileAuditSink file = await(FileAuditSink.open(vertx, dir.resolve("file"), signer, 1000, c -> { }));
            report("file (fsync), 1 node", run(vertx, List.of(file), seconds, false));
            await(file.close());
            // PostgreSQL's first run warms up the JIT of the client and the server's caches; not reported.
            for (int nodes : new int[] {0, 1, 2}) {
                empty(database);
                List<Pool> pools = new ArrayList<>();
                List<AuditSink> sinks = new ArrayList<>();
                for (int n = 0; n < Math.max(1, nodes); n++) {
                    Pool pool = database.pool(vertx);
                    pools.add(pool);
                    sinks.add(await(PostgresAuditSink.open(vertx, pool, signer, 1000, registers, "probe-" + n)));
                }
                double rate = run(vertx, sinks, nodes == 0 ? Math.min(seconds, 5) : seconds, true);
                if (nodes > 0) {
                    report("PostgreSQL, " + nodes + " node" + (nodes > 1 ? "s" : "") + ", 2 notifications each", rate);
                }
                for (Pool p : pools) {
                    await(p.close());
                }
            }
            empty(database);
        } finally {
            vertx.close();
        }
    }

    private static void empty(Postgres database) throws Exception {
        try (Connection c = database.jdbc(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE audit_entry, outbox");
            s.execute("UPDATE audit_head SET seq = 0, hash = repeat('0', 64), since_checkpoint = 0");
        }
    }

    private static void report(String what, double perSecond) {
        System.out.printf("  %-48s %,10.0f entries/s%n", what, perSecond);
    }

    /** Entries per second over {@code seconds}, after two seconds of warm-up. */
    private static double run(Vertx vertx, List<AuditSink> sinks, int seconds, boolean notifications)
            throws Exception {
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong ids = new AtomicLong();
        long[] window = new long[2];
        boolean[] running = {true};
        for (AuditSink sink : sinks) {
            vertx.runOnContext(v -> {
                for (int i = 0; i < CONCURRENCY; i++) {
                    loop(vertx, sink, ids, done, failed, running, notifications);
                }
            });
        }
        Thread.sleep(2000);
        window[0] = done.get();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        window[1] = done.get();
        double elapsed = (System.nanoTime() - t0) / 1e9;
        running[0] = false;
        Thread.sleep(500);
        if (failed.get() > 0) {
            System.out.printf("  (%d appends failed)%n", failed.get());
        }
        return (window[1] - window[0]) / elapsed;
    }

    private static void loop(Vertx vertx, AuditSink sink, AtomicLong ids, AtomicLong done, AtomicLong failed,
            boolean[] running, boolean notifications) {
        if (!running[0]) {
            return;
        }
        long id = ids.incrementAndGet();
        AuditEntry entry = entry(id);
        Future<Void> appended = notifications
                ? sink.append(entry, List.of(note(entry, "leeds", 1), note(entry, "bradford", 2)), null)
                : sink.append(entry);
        appended.onComplete(ar -> {
            if (ar.succeeded()) {
                done.incrementAndGet();
            } else {
                failed.incrementAndGet();
            }
            // On the next turn: a sink that completes at once (memory) would otherwise recurse.
            vertx.runOnContext(v -> loop(vertx, sink, ids, done, failed, running, notifications));
        });
    }

    private static OutboxMessage note(AuditEntry entry, String authority, int n) {
        return OutboxMessage.history(authority, "R-" + n, new EnquiryHistoryEntry(entry.enquiryId() + "-" + n,
                entry.enquiryId(), entry.at(), "worker", "child-worker", "social-services", "leeds", "register-check",
                "not-sought"));
    }

    static AuditEntry entry(long i) {
        Caller caller = new Caller("worker-" + (i % 50), uk.wycps.policy.Role.CHILD_WORKER, Agency.SOCIAL_SERVICES,
                "leeds", Set.of("cross-authority:*"));
        return new AuditEntry("probe-" + i + "-" + System.nanoTime(), Instant.now(), "corr-" + i, caller,
                AuditEntry.ANSWERED, "register-check", "Referral from school nurse",
                "not-sought:authorised-register-check",
                new SearchCriteria("Aisha", "Khan", null, null, java.time.LocalDate.of(2016, 3, 9), null, null),
                List.of(new AuditEntry.RegisterAnswer("bradford", "OK"), new AuditEntry.RegisterAnswer("leeds", "OK")),
                List.of(new AuditEntry.Released("leeds", "LE-000001", "SENSITIVE"),
                        new AuditEntry.Released("bradford", "BD-000002", "SENSITIVE")),
                List.of(), "wycps-default@1.0.0");
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }
}
