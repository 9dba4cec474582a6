package uk.wycps.gateway.audit;

import io.vertx.core.Future;
import java.util.ArrayDeque;
import java.util.List;

/**
 * An audit sink in memory, for tests and benchmarks; {@link #failing} makes it refuse. It keeps
 * every entry unless made with {@link #keepingLast}, which a long benchmark needs: otherwise the
 * heap would fill with entries no one reads.
 */
public final class InMemoryAuditSink implements AuditSink {

    /** Guarded by itself: appends come from every event loop, in O(1). */
    private final ArrayDeque<AuditEntry> entries = new ArrayDeque<>();
    /** Each kept entry's place in the log, as a file or database log numbers it (guarded by {@code entries}). */
    private final ArrayDeque<Long> seqs = new ArrayDeque<>();
    private long appended;
    private final int capacity;
    private volatile boolean failing;

    public InMemoryAuditSink() {
        this(Integer.MAX_VALUE);
    }

    private InMemoryAuditSink(int capacity) {
        this.capacity = capacity;
    }

    /** A sink that keeps only the {@code n} most recent entries. */
    public static InMemoryAuditSink keepingLast(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("keep at least one entry");
        }
        return new InMemoryAuditSink(n);
    }

    @Override
    public Future<Void> append(AuditEntry entry) {
        if (failing) {
            return Future.failedFuture(new AuditUnavailableException());
        }
        synchronized (entries) {
            if (entries.size() == capacity) {
                entries.removeFirst();
                seqs.removeFirst();
            }
            entries.addLast(entry);
            seqs.addLast(++appended);
        }
        return Future.succeededFuture();
    }

    @Override
    public Future<List<io.vertx.core.json.JsonObject>> query(AuditQuery query) {
        List<io.vertx.core.json.JsonObject> found = new java.util.ArrayList<>();
        synchronized (entries) {
            java.util.Iterator<Long> seq = seqs.iterator();
            for (AuditEntry e : entries) {
                long s = seq.next();
                io.vertx.core.json.JsonObject json = e.toJson();
                if (found.size() < query.limit() && s > query.afterSeq() && query.matches(json)) {
                    found.add(json.put("seq", s));
                }
            }
        }
        return Future.succeededFuture(found);
    }

    @Override
    public Future<List<AuditEntry>> withheldNotSearched(java.time.Instant from, java.time.Instant to) {
        return Future.succeededFuture(AuditEntry.withheldNotSearched(
                entries().stream().map(AuditEntry::toJson).toList(), from, to));
    }

    /** The entries kept, oldest first. */
    public List<AuditEntry> entries() {
        synchronized (entries) {
            return List.copyOf(entries);
        }
    }

    public void failing(boolean failing) {
        this.failing = failing;
    }

    @Override
    public Future<Void> close() {
        return Future.succeededFuture();
    }
}
