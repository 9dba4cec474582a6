package uk.wycps.gateway.outbox;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.HistoryDelivery;
import uk.wycps.connector.RegisterConnector;

/**
 * The outbox of several gateway nodes in one PostgreSQL table (H3). Rows are written in the same
 * transaction as the audit entry that causes them ({@link #insert}); any node delivers any row.
 *
 * <p>A node claims a register's due rows with {@code FOR UPDATE SKIP LOCKED} and stamps them
 * with a lease ({@code leased_until}), sends them outside any transaction, then deletes them
 * once the register acknowledges, or releases them with a back-off ({@code not_before}, shared
 * by every node) when it does not. A node killed mid-delivery leaves rows whose lease runs out;
 * another node (or itself, restarted) then claims them again. Delivery is therefore at least
 * once; registers keep an entry once by its id, so it is applied once.
 *
 * <p>Nodes are woken by {@code NOTIFY wycps_outbox} in the writing transaction (delivered at
 * commit), and look anyway every {@link #POLL} for rows whose lease has run out (another node's)
 * and for anything a lost notification left behind. After a failed send a node retries its
 * register when the rows' back-off ends, the same delay it wrote to {@code not_before}, without
 * waiting for the poll. Runs on the context that started it.
 */
public final class PostgresOutbox implements Outbox {

    public static final String CHANNEL = "wycps_outbox";
    static final Duration POLL = Duration.ofSeconds(1);
    static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(PostgresOutbox.class);

    static final String INSERT = "INSERT INTO outbox (id, authority, kind, message) VALUES ($1, $2, $3, $4)"
            + " ON CONFLICT (id) DO NOTHING";
    static final String CLAIM = "UPDATE outbox o SET leased_until = now() + make_interval(secs => $3),"
            + " leased_by = $4, attempts = o.attempts + 1"
            + " WHERE o.id IN (SELECT id FROM outbox WHERE authority = $1 AND not_before <= now()"
            + " AND (leased_until IS NULL OR leased_until < now()) ORDER BY created_seq LIMIT $2"
            + " FOR UPDATE SKIP LOCKED)"
            + " RETURNING o.id, o.message, o.attempts, o.created_seq";
    static final String ACK = "DELETE FROM outbox WHERE id = ANY ($1)";
    static final String RELEASE = "UPDATE outbox SET leased_until = NULL, leased_by = NULL,"
            + " not_before = now() + make_interval(secs => $2) WHERE id = ANY ($1)";

    private final Vertx vertx;
    private final Context context;
    private final Pool pool;
    private final PgSubscriber subscriber;
    private final Map<String, RegisterConnector> connectors;
    private final Map<String, Lane> lanes = new HashMap<>();
    private final String node;
    private final Duration lease;
    private final Duration sendDeadline;
    private final Duration firstBackoff;
    private final Duration poll;
    private long pollTimer = -1;
    private boolean closed;

    private PostgresOutbox(Vertx vertx, Pool pool, PgConnectOptions listen, Map<String, RegisterConnector> connectors,
            String node, Duration lease, Duration poll, Duration firstBackoff) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.pool = pool;
        this.connectors = Map.copyOf(connectors);
        this.node = node;
        this.lease = lease;
        // A send must end well inside its lease, or another node would send the same rows meanwhile.
        this.sendDeadline = Duration.ofMillis(Math.min(RegisterOutbox.SEND_DEADLINE.toMillis(), lease.toMillis() / 2));
        this.firstBackoff = firstBackoff;
        this.poll = poll;
        connectors.keySet().forEach(a -> lanes.put(a, new Lane()));
        // The subscriber reconnects by itself after a database outage; meanwhile the poll carries on.
        this.subscriber = PgSubscriber.subscriber(vertx, listen).reconnectPolicy(retries -> 1_000L);
    }

    /**
     * Starts delivering from the table on the calling context; completes once this node listens
     * for {@link #CHANNEL}, so that a row written by any node from then on wakes it. Fails only
     * when the first LISTEN connection cannot be made.
     */
    public static Future<PostgresOutbox> start(Vertx vertx, Pool pool, PgConnectOptions listen,
            Map<String, RegisterConnector> connectors, String node, Duration lease) {
        return start(vertx, pool, listen, connectors, node, lease, POLL, RegisterOutbox.FIRST_BACKOFF);
    }

    /** As above, with the poll's period and the first back-off given (tests: a poll too slow to matter). */
    static Future<PostgresOutbox> start(Vertx vertx, Pool pool, PgConnectOptions listen,
            Map<String, RegisterConnector> connectors, String node, Duration lease, Duration poll,
            Duration firstBackoff) {
        PostgresOutbox outbox = new PostgresOutbox(vertx, pool, listen, connectors, node, lease, poll, firstBackoff);
        Promise<Void> listening = Promise.promise();
        outbox.subscriber.channel(CHANNEL)
                // Called on every (re)subscription: notifications sent while the LISTEN connection
                // was down are lost, so look at once rather than at the next poll.
                .subscribeHandler(v -> outbox.context.runOnContext(x -> {
                    listening.tryComplete();
                    outbox.pumpAll();
                }))
                .handler(payload -> outbox.context.runOnContext(v -> outbox.pumpAll()));
        // A LISTEN that fails after the connection was made calls no handler: fail the start rather than hang it.
        long listenTimer = vertx.setTimer(LISTEN_TIMEOUT.toMillis(), t -> listening.tryFail(
                "the outbox's LISTEN " + CHANNEL + " did not take effect within " + LISTEN_TIMEOUT.toSeconds() + " s"));
        listening.future().onComplete(ar -> vertx.cancelTimer(listenTimer));
        return outbox.subscriber.connect().compose(v -> listening.future()).map(v -> {
            outbox.pollTimer = vertx.setPeriodic(outbox.poll.toMillis(), t -> outbox.pumpAll());
            return outbox;
        });
    }

    /** Writes {@code messages} with {@code client} (the audit's transaction) and wakes every node at commit. */
    public static Future<Void> insert(SqlClient client, List<OutboxMessage> messages) {
        List<Tuple> rows = new ArrayList<>(messages.size());
        for (OutboxMessage m : messages) {
            rows.add(Tuple.of(m.id(), m.authority(), m.kind().name(), m.encode()));
        }
        return client.preparedQuery(INSERT).executeBatch(rows)
                .compose(v -> client.query("NOTIFY " + CHANNEL).execute())
                .mapEmpty();
    }

    /** Messages written outside an audit transaction, in one transaction of their own. */
    @Override
    public Future<Void> enqueue(List<OutboxMessage> messages) {
        List<OutboxMessage> kept = OutboxMessage.keptBy(messages, connectors);
        if (kept.isEmpty()) {
            return Future.succeededFuture();
        }
        return pool.withTransaction(conn -> insert(conn, kept));
    }

    /** Rows not yet acknowledged, per register, across every node. */
    @Override
    public Future<Map<String, Integer>> pendingCounts() {
        return pool.query("SELECT authority, count(*) AS n FROM outbox GROUP BY authority").execute().map(rows -> {
            Map<String, Integer> out = new LinkedHashMap<>();
            for (Row r : rows) {
                out.put(r.getString("authority"), r.getLong("n").intValue());
            }
            return out;
        });
    }

    private void pumpAll() {
        lanes.keySet().forEach(this::pump);
    }

    /** Claims and sends the head of a register's due rows unless a send is in flight or backing off. */
    private void pump(String authority) {
        Lane lane = lanes.get(authority);
        if (lane.busy) {
            // The claim in flight may have been planned before the row that woke us committed:
            // look again when it ends, or the row would wait for the poll.
            lane.lookAgain = true;
            return;
        }
        if (closed || lane.waiting) {
            return;
        }
        lane.lookAgain = false;
        RegisterConnector connector = connectors.get(authority);
        lane.busy = true;
        int batch = Math.max(1, Math.min(RegisterOutbox.MAX_BATCH, connector.historyBatchSize()));
        pool.preparedQuery(CLAIM).execute(Tuple.of(authority, batch, (double) lease.toSeconds(), node))
                .compose(rows -> {
                    List<Claimed> claimed = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        claimed.add(new Claimed(OutboxMessage.decode(r.getString("message")), r.getInteger("attempts"),
                                r.getLong("created_seq")));
                    }
                    claimed.sort((a, b) -> Long.compare(a.order, b.order));
                    return deliver(connector, claimed).map(claimed.size());
                })
                .onComplete(ar -> context.runOnContext(v -> {
                    lane.busy = false;
                    if (ar.succeeded() && (ar.result() > 0 || lane.lookAgain)) {
                        lane.failures = 0;
                        pump(authority);
                    } else if (ar.failed()) {
                        lane.failures++;
                        // Retry when the released rows fall due (not_before), not at a delay of our own:
                        // earlier would find nothing due and leave them to the poll.
                        long backoff = ar.cause() instanceof Released r ? r.delayMs + RETRY_MARGIN_MS
                                : backoff(lane.failures);
                        LOG.info("outbox: delivery to register {} failed ({}); retry in {} ms", authority,
                                ar.cause().getMessage(), backoff);
                        lane.waiting = true;
                        vertx.setTimer(backoff, t -> {
                            lane.waiting = false;
                            pump(authority);
                        });
                    }
                }));
    }

    /**
     * Sends what was claimed: the enquiry-history entries in one exchange, each checkpoint alone;
     * deletes what the register took, releases the rest with a back-off. Fails when any part failed.
     */
    private Future<Void> deliver(RegisterConnector connector, List<Claimed> claimed) {
        if (claimed.isEmpty()) {
            return Future.succeededFuture();
        }
        Deadline deadline = Deadline.after(sendDeadline);
        List<Claimed> histories = claimed.stream()
                .filter(c -> c.message.kind() == OutboxMessage.Kind.ENQUIRY_HISTORY).toList();
        List<Future<Void>> parts = new ArrayList<>();
        if (!histories.isEmpty()) {
            parts.add(settle(histories, connector.recordEnquiries(histories.stream()
                    .map(c -> new HistoryDelivery(c.message.recordId(), c.message.entry())).toList(), deadline)));
        }
        Future<Void> checkpoints = Future.succeededFuture();
        for (Claimed c : claimed) {
            if (c.message.kind() == OutboxMessage.Kind.CHECKPOINT) {
                checkpoints = checkpoints.compose(v -> settle(List.of(c),
                        connector.publishCheckpoint(c.message.checkpoint(), deadline)));
            }
        }
        // A checkpoint the register does not take is released with its own back-off and is no
        // failure of the lane: enquiry history written meanwhile goes at once, not after that
        // checkpoint's wait (H3). A row that could not even be released still fails the lane.
        parts.add(checkpoints.recover(e -> e instanceof Released ? Future.succeededFuture() : Future.failedFuture(e)));
        return Future.all(parts).mapEmpty();
    }

    /** After a send: delete the rows when it succeeded, release them with a back-off when not. */
    private Future<Void> settle(List<Claimed> rows, Future<Void> sent) {
        String[] ids = rows.stream().map(c -> c.message.id()).toArray(String[]::new);
        return sent.transform(ar -> {
            if (ar.succeeded()) {
                return pool.preparedQuery(ACK).execute(Tuple.of(ids)).mapEmpty();
            }
            int attempts = rows.stream().mapToInt(c -> c.attempts).max().orElse(1);
            long delay = backoff(attempts);
            return pool.preparedQuery(RELEASE).execute(Tuple.of(ids, delay / 1000.0))
                    .transform(v -> Future.<Void>failedFuture(v.succeeded() ? new Released(delay, ar.cause())
                            : ar.cause()));
        });
    }

    private long backoff(int failures) {
        return RegisterOutbox.backoff(firstBackoff, failures);
    }

    /** Stops claiming; rows in flight keep their lease and are retried by whichever node comes next. */
    @Override
    public Future<Void> close() {
        Promise<Void> stopped = Promise.promise();
        context.runOnContext(v -> {
            closed = true;
            if (pollTimer >= 0) {
                vertx.cancelTimer(pollTimer);
            }
            stopped.complete();
        });
        return stopped.future().compose(v -> subscriber.close());
    }

    /** Past {@code not_before}: the database's clock and the timer's may differ by a little. */
    private static final long RETRY_MARGIN_MS = 20;

    /** A send failed and its rows were released until {@code delayMs} from now. */
    private static final class Released extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long delayMs;

        Released(long delayMs, Throwable cause) {
            super(cause.getMessage(), cause, false, false);
            this.delayMs = delayMs;
        }
    }

    private record Claimed(OutboxMessage message, int attempts, long order) {
    }

    /** One register's state on this node. Touched only on the outbox's context. */
    private static final class Lane {
        boolean busy;
        boolean waiting;
        /** Woken while a claim was in flight. */
        boolean lookAgain;
        int failures;
    }
}
