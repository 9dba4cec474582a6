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
            }
            entries.addLast(entry);
        }
        return Future.succeededFuture();
    }

    @Override
    public Future<List<io.vertx.core.json.JsonObject>> query(AuditQuery query) {
        return Future.succeededFuture(entries().stream().map(AuditEntry::toJson).filter(query::matches)
                .limit(query.limit()).toList());
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
