package uk.wycps.gateway.fanout;

import uk.wycps.gateway.tracing.Telemetry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.RegisterFailure;
import uk.wycps.connector.SearchRequest;

/**
 * Sends one enquiry to several registers in parallel (F2) and collects one outcome per register.
 * The returned future never fails and always holds every register asked: a register that could
 * not be checked is an outcome with its status, never a missing entry and never "no record"
 * (F5). Each register is searched through its {@link RegisterGuard} (deadline, circuit breaker,
 * bulkhead, one retry); the whole fan-out is bounded by the largest deadline asked plus
 * {@link #ENQUIRY_MARGIN_MS}, whatever any connector or guard does.
 */
public final class RegisterFanOut {

    /** How far past the largest register deadline the fan-out as a whole may run. */
    static final long ENQUIRY_MARGIN_MS = 50;

    private final Vertx vertx;
    private final Registers registers;
    private final RegisterGuards guards;
    private final Telemetry telemetry;

    /**
     * A fan-out to {@code registers} whose guards are {@code guards} (shared by the gateway's event
     * loops); each exchange is a span of {@code telemetry}, named with the register's dialect.
     */
    public RegisterFanOut(Vertx vertx, Registers registers, RegisterGuards guards, Telemetry telemetry) {
        this.vertx = vertx;
        this.registers = registers;
        this.telemetry = telemetry;
        this.guards = guards;
    }

    /** The registers searched, with their deadlines. */
    public Registers registers() {
        return registers;
    }

    /**
     * One search of one register; {@code published} false keeps its latency out of the figures
     * the gateway publishes (a register withheld from the caller, A9).
     */
    public record Query(String authority, SearchRequest request, boolean published) {

        public Query(String authority, SearchRequest request) {
            this(authority, request, true);
        }
    }

    public Future<List<RegisterOutcome>> search(List<Query> queries) {
        List<Promise<RegisterOutcome>> outcomes = new ArrayList<>(queries.size());
        SharedDeadlines deadlines = new SharedDeadlines();
        long longest = 0;
        for (Query q : queries) {
            Promise<RegisterOutcome> p = Promise.promise();
            searchOne(q, deadlines.watch(q.request().deadline())).onComplete(ar -> p.tryComplete(ar.succeeded() ? ar.result()
                    : failed(q.authority(), RegisterStatus.ERROR, 0, "guard failed")));
            outcomes.add(p);
            longest = Math.max(longest, q.request().deadline().remainingMillis());
        }
        long started = System.nanoTime();
        long bound = vertx.setTimer(longest + ENQUIRY_MARGIN_MS, id -> {
            long elapsed = (System.nanoTime() - started) / 1_000_000L;
            for (int i = 0; i < outcomes.size(); i++) {
                outcomes.get(i).tryComplete(failed(queries.get(i).authority(), RegisterStatus.TIMEOUT, elapsed,
                        "enquiry deadline passed"));
            }
        });
        List<Future<RegisterOutcome>> futures = outcomes.stream().map(Promise::future).toList();
        return Future.join(futures).map(all -> {
            vertx.cancelTimer(bound);
            deadlines.cancel();
            List<RegisterOutcome> list = new ArrayList<>(futures.size());
            for (Future<RegisterOutcome> f : futures) {
                list.add(f.result());
            }
            return list;
        });
    }

    /**
     * One timer for every register of an enquiry whose deadline is the same moment (all of them,
     * but for a register configured with a deadline of its own): at 150 registers, one timer an
     * enquiry rather than 150 armed and cancelled in the event loop's timer queue (issue 21).
     */
    private final class SharedDeadlines {
        private record Timer(long expiresAtNanos, Deadline.Watch watch, long id) {
        }

        /** Usually one: an enquiry's registers mostly share their deadline. */
        private final List<Timer> timers = new ArrayList<>(2);

        Deadline.Watch watch(Deadline deadline) {
            for (Timer t : timers) {
                if (t.expiresAtNanos() == deadline.expiresAtNanos()) {
                    return t.watch();
                }
            }
            Deadline.Watch watch = new Deadline.Watch();
            timers.add(new Timer(deadline.expiresAtNanos(), watch,
                    vertx.setTimer(Math.max(1, deadline.remainingMillis()), id -> watch.expire())));
            return watch;
        }

        /** Every search has settled: nothing is left for the timers to end. */
        void cancel() {
            timers.forEach(t -> vertx.cancelTimer(t.id()));
        }
    }

    private Future<RegisterOutcome> searchOne(Query q, Deadline.Watch deadline) {
        RegisterConnector connector = registers.connector(q.authority());
        RegisterGuard guard = guards.get(q.authority());
        if (connector == null || guard == null) {
            return Future.succeededFuture(failed(q.authority(), RegisterStatus.ERROR, 0, "no connector configured"));
        }
        try {
            return telemetry.registerExchange(vertx, q.authority(), registers.dialect(q.authority()),
                    q.request().enquiryId(), () -> guard.search(vertx, connector, q.request(), q.published(), deadline),
                    o -> o.status().name());
        } catch (RuntimeException e) {
            return Future.succeededFuture(failed(q.authority(), RegisterStatus.ERROR, 0, "guard failed"));
        }
    }

    private static RegisterOutcome failed(String authority, RegisterStatus status, long latency, String reason) {
        return new RegisterOutcome(authority, status, latency, List.of(), reason);
    }

    public static RegisterStatus status(RegisterFailure.Kind kind) {
        return switch (kind) {
            case TIMEOUT -> RegisterStatus.TIMEOUT;
            case UNAVAILABLE -> RegisterStatus.UNAVAILABLE;
            case ERROR -> RegisterStatus.ERROR;
            case CIRCUIT_OPEN -> RegisterStatus.CIRCUIT_OPEN;
            case REJECTED -> RegisterStatus.REJECTED;
        };
    }
}
