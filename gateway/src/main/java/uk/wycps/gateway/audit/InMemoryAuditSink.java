package uk.wycps.gateway.audit;

import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An audit sink in memory, for tests and benchmarks; {@link #failing} makes it refuse. */
public final class InMemoryAuditSink implements AuditSink {

    private final List<AuditEntry> entries = new CopyOnWriteArrayList<>();
    private volatile boolean failing;

    @Override
    public Future<Void> append(AuditEntry entry) {
        if (failing) {
            return Future.failedFuture(new AuditUnavailableException());
        }
        entries.add(entry);
        return Future.succeededFuture();
    }

    @Override
    public Future<List<io.vertx.core.json.JsonObject>> query(AuditQuery query) {
        return Future.succeededFuture(entries.stream().map(AuditEntry::toJson).filter(query::matches)
                .limit(query.limit()).toList());
    }

    public List<AuditEntry> entries() {
        return List.copyOf(entries);
    }

    public void failing(boolean failing) {
        this.failing = failing;
    }

    @Override
    public Future<Void> close() {
        return Future.succeededFuture();
    }
}
