package uk.wycps.gateway.fanout;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.RegisterFailure;
import uk.wycps.connector.SearchRequest;

/**
 * Sends one enquiry to several registers in parallel (F2) and collects one outcome per register.
 * The returned future never fails and always holds every register asked: a register that could
 * not be checked is an outcome with its status, never a missing entry and never "no record"
 * (F5). A guard timer bounds each register even if its connector misbehaves.
 */
public final class RegisterFanOut {

    /** How long past its deadline a connector may take before the guard gives up on it. */
    static final long GUARD_MARGIN_MS = 50;

    private final Vertx vertx;
    private final Map<String, RegisterConnector> connectors;

    public RegisterFanOut(Vertx vertx, Map<String, RegisterConnector> connectors) {
        this.vertx = vertx;
        this.connectors = Map.copyOf(connectors);
    }

    /** One search of one register. */
    public record Query(String authority, SearchRequest request) {
    }

    public Future<List<RegisterOutcome>> search(List<Query> queries) {
        List<Future<RegisterOutcome>> outcomes = new ArrayList<>(queries.size());
        for (Query q : queries) {
            outcomes.add(searchOne(q));
        }
        return Future.join(outcomes).map(all -> {
            List<RegisterOutcome> list = new ArrayList<>(outcomes.size());
            for (Future<RegisterOutcome> f : outcomes) {
                list.add(f.result());
            }
            return list;
        });
    }

    private Future<RegisterOutcome> searchOne(Query q) {
        RegisterConnector connector = connectors.get(q.authority());
        long started = System.nanoTime();
        if (connector == null) {
            return Future.succeededFuture(failed(q.authority(), RegisterStatus.ERROR, 0, "no connector configured"));
        }
        Promise<RegisterOutcome> promise = Promise.promise();
        long guard = vertx.setTimer(q.request().deadline().remainingMillis() + GUARD_MARGIN_MS,
                id -> promise.tryComplete(failed(q.authority(), RegisterStatus.TIMEOUT, elapsed(started),
                        "connector did not finish by its deadline")));
        Future<List<uk.wycps.record.ChildRecord>> search;
        try {
            search = connector.search(q.request());
        } catch (RuntimeException e) {
            search = Future.failedFuture(e);
        }
        search.onComplete(ar -> {
            vertx.cancelTimer(guard);
            long latency = elapsed(started);
            if (ar.succeeded()) {
                promise.tryComplete(new RegisterOutcome(q.authority(), RegisterStatus.OK, latency, ar.result(), null));
            } else if (ar.cause() instanceof RegisterFailure f) {
                promise.tryComplete(failed(q.authority(), status(f.kind()), latency, f.getMessage()));
            } else {
                promise.tryComplete(failed(q.authority(), RegisterStatus.ERROR, latency, "connector failed"));
            }
        });
        return promise.future();
    }

    private static RegisterOutcome failed(String authority, RegisterStatus status, long latency, String reason) {
        return new RegisterOutcome(authority, status, latency, List.of(), reason);
    }

    static RegisterStatus status(RegisterFailure.Kind kind) {
        return switch (kind) {
            case TIMEOUT -> RegisterStatus.TIMEOUT;
            case UNAVAILABLE -> RegisterStatus.UNAVAILABLE;
            case ERROR -> RegisterStatus.ERROR;
            case CIRCUIT_OPEN -> RegisterStatus.CIRCUIT_OPEN;
            case REJECTED -> RegisterStatus.REJECTED;
        };
    }

    private static long elapsed(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000L;
    }
}
