package uk.wycps.gateway.outbox;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * What the registers must be told, kept until each acknowledges it (H3): the file journal of a
 * single node ({@link RegisterOutbox}) or the table shared by every node ({@link PostgresOutbox}).
 */
public interface Outbox {

    /** Makes {@code messages} durable and starts sending them; fails when they cannot be kept. */
    Future<Void> enqueue(List<OutboxMessage> messages);

    /** Messages not yet acknowledged, per register. */
    Future<Map<String, Integer>> pendingCounts();

    /**
     * Messages not yet acknowledged for {@code authority}, a live count for gauges, readable from
     * any thread; null where only a query can tell ({@link #pendingCounts}): no gauge then.
     */
    default java.util.concurrent.atomic.AtomicInteger depth(String authority) {
        return null;
    }

    /** Stops sending; what is pending stays for the next start (or another node). */
    Future<Void> close();
}
