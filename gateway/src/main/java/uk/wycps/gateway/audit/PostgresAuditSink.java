package uk.wycps.gateway.audit;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.wycps.connector.AuditCheckpoint;
import uk.wycps.gateway.outbox.Outbox;
import uk.wycps.gateway.outbox.OutboxMessage;
import uk.wycps.gateway.outbox.PostgresOutbox;

/**
 * The audit log of several gateway nodes in one PostgreSQL database ({@code audit.postgres}).
 *
 * <p>One hash chain for every node ({@link HashChain}, the same lines as the file log): a batch
 * of entries is appended in one transaction that first locks the chain's head row
 * ({@code audit_head}, {@code SELECT ... FOR UPDATE}), so the nodes take turns, each entry gets
 * the next {@code seq} exactly once, and the chain read back in {@code seq} order is the chain
 * {@link AuditVerifier} checks. The head is read inside the transaction, never cached: a node
 * that restarts, or whose last commit was lost, carries on from the true head.
 *
 * <p>An enquiry's entry and its register notifications go in the same transaction
 * ({@link #append(AuditEntry, List, Outbox)}), and so does a signed checkpoint with its
 * messages to every register; the answer leaves only after the commit (H1, H3). Entries that
 * arrive while a transaction is under way go together in the next one (group commit), so the
 * nodes' turns at the lock carry many entries each. An append that has not committed within
 * {@link #COMMIT_DEADLINE_MS} fails (503) rather than hold the caller while the database hangs;
 * it may still commit after (the audit then over-records, never under-records).
 */
public final class PostgresAuditSink implements AuditSink {

    static final long COMMIT_DEADLINE_MS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(PostgresAuditSink.class);

    static final String LOCK_HEAD = "SELECT seq, hash, since_checkpoint FROM audit_head WHERE id = 1 FOR UPDATE";
    static final String INSERT_ENTRY = "INSERT INTO audit_entry (seq, prev, hash, digest, kind, entry, enquiry_id,"
            + " result, at, authorities, record_refs, node) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
    static final String UPDATE_HEAD = "UPDATE audit_head SET seq = $1, hash = $2, since_checkpoint = $3 WHERE id = 1";

    private final Vertx vertx;
    private final Context context;
    private final Pool pool;
    private final AuditKeys.Signer signer;
    private final int checkpointEvery;
    private final List<String> registers;
    private final String node;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile boolean closed;

    private PostgresAuditSink(Vertx vertx, Pool pool, AuditKeys.Signer signer, int checkpointEvery,
            List<String> registers, String node) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.pool = pool;
        this.signer = signer;
        this.checkpointEvery = checkpointEvery;
        this.registers = List.copyOf(registers);
        this.node = node;
    }

    /**
     * The sink over {@code pool} (schema already migrated); checkpoints go to every register
     * in {@code registers}; {@code node} is written beside each entry this node appends.
     */
    public static Future<PostgresAuditSink> open(Vertx vertx, Pool pool, AuditKeys.Signer signer, int checkpointEvery,
            List<String> registers, String node) {
        PostgresAuditSink sink = new PostgresAuditSink(vertx, pool, signer, checkpointEvery, registers, node);
        // Reads the head once: the schema is there, and the first enquiry does not pay for the
        // pool's first connection.
        return pool.query("SELECT seq FROM audit_head WHERE id = 1").execute().map(rows -> {
            if (rows.size() != 1) {
                throw new IllegalStateException("the audit database has no chain head; run the migrations");
            }
            return sink;
        });
    }

    @Override
    public Future<Void> append(AuditEntry entry) {
        return submit(entry, List.of());
    }

    /** The entry and its notifications in one transaction; {@code outbox} is not needed. */
    @Override
    public Future<Void> append(AuditEntry entry, List<OutboxMessage> notifications, Outbox outbox) {
        return submit(entry, notifications);
    }

    @Override
    public Future<Void> appendAfterQueuing(AuditEntry entry, List<OutboxMessage> notifications, Outbox outbox) {
        return submit(entry, notifications);
    }

    private Future<Void> submit(AuditEntry entry, List<OutboxMessage> notifications) {
        if (closed) {
            return Future.failedFuture(new AuditUnavailableException());
        }
        Promise<Void> promise = Promise.promise();
        Context caller = vertx.getOrCreateContext();
        Pending pending = new Pending(entry, List.copyOf(notifications), promise, caller);
        // Each append has its own deadline, whether its batch has started or still waits behind
        // one the database is holding: the caller gets 503, never an answer held indefinitely.
        pending.timer = vertx.setTimer(COMMIT_DEADLINE_MS, t -> pending.fail());
        queue.add(pending);
        if (draining.compareAndSet(false, true)) {
            context.runOnContext(v -> drain());
        }
        return promise.future();
    }

    /** On the sink's context: writes what is queued as one transaction, then the next lot. */
    private void drain() {
        List<Pending> batch = new ArrayList<>();
        for (Pending p; (p = queue.poll()) != null;) {
            batch.add(p);
        }
        if (batch.isEmpty()) {
            draining.set(false);
            // Something queued after the poll but before the flag was cleared is drained here.
            if (!queue.isEmpty() && draining.compareAndSet(false, true)) {
                drain();
            }
            return;
        }
        SqlConnection[] held = new SqlConnection[1];
        long timer = vertx.setTimer(COMMIT_DEADLINE_MS, t -> {
            // A database that holds a transaction this long (a network partition, say) would hold
            // every later batch behind it: close the connection, which ends the transaction.
            LOG.warn("audit: a transaction of {} entries has not committed in {} ms; closing its connection",
                    batch.size(), COMMIT_DEADLINE_MS);
            batch.forEach(Pending::fail);
            if (held[0] != null) {
                held[0].close();
            }
        });
        pool.withTransaction(conn -> {
            held[0] = conn;
            return writeBatch(conn, batch);
        }).onComplete(ar -> {
            vertx.cancelTimer(timer);
            if (ar.succeeded()) {
                batch.forEach(Pending::succeed);
            } else {
                LOG.error("audit write failed: {}: {}", ar.cause().getClass().getSimpleName(), ar.cause().getMessage());
                batch.forEach(Pending::fail);
            }
            drain();
        });
    }

    /** The transaction: lock the head, chain the entries (and a checkpoint when due), write, move the head. */
    private Future<Void> writeBatch(SqlConnection conn, List<Pending> batch) {
        return conn.preparedQuery(LOCK_HEAD).execute().compose(rows -> {
            Row head = rows.iterator().next();
            Chain chain = new Chain(head.getLong("seq"), head.getString("hash"), head.getLong("since_checkpoint"));
            List<Tuple> entries = new ArrayList<>(batch.size() + 1);
            List<OutboxMessage> messages = new ArrayList<>();
            for (Pending p : batch) {
                entries.add(chain.append(p.entry));
                messages.addAll(p.notifications);
                if (chain.sinceCheckpoint >= checkpointEvery) {
                    AuditCheckpoint checkpoint = chain.checkpoint();
                    entries.add(chain.appendCheckpoint(checkpoint));
                    registers.forEach(r -> messages.add(OutboxMessage.checkpoint(r, checkpoint)));
                }
            }
            return writeChain(conn, chain, entries, messages);
        });
    }

    private Future<Void> writeChain(SqlConnection conn, Chain chain, List<Tuple> entries, List<OutboxMessage> messages) {
        Future<?> written = conn.preparedQuery(INSERT_ENTRY).executeBatch(entries);
        if (!messages.isEmpty()) {
            written = written.compose(v -> PostgresOutbox.insert(conn, messages));
        }
        return written
                .compose(v -> conn.preparedQuery(UPDATE_HEAD).execute(Tuple.of(chain.seq, chain.prev,
                        chain.sinceCheckpoint)))
                .mapEmpty();
    }

    /** The chain as this transaction moves it on. */
    private final class Chain {
        long seq;
        String prev;
        long sinceCheckpoint;

        Chain(long seq, String prev, long sinceCheckpoint) {
            this.seq = seq;
            this.prev = prev;
            this.sinceCheckpoint = sinceCheckpoint;
        }

        Tuple append(AuditEntry entry) {
            JsonObject json = entry.toJson();
            sinceCheckpoint++;
            return row("enquiry", json.encode(), entry.enquiryId(), entry.result(), entry.at(), AuditEntry.authoritiesConcerned(json),
                    recordRefs(json));
        }

        AuditCheckpoint checkpoint() {
            return Checkpoints.checkpoint(signer, seq, prev, Instant.now());
        }

        Tuple appendCheckpoint(AuditCheckpoint checkpoint) {
            sinceCheckpoint = 0;
            return row("checkpoint", Checkpoints.checkpointEntry(checkpoint), null, null, null, new String[0],
                    new String[0]);
        }

        private Tuple row(String kind, String text, String enquiryId, String result, Instant at,
                String[] authorities, String[] refs) {
            seq++;
            String digest = HashChain.digest(text);
            String hash = HashChain.hash(seq, prev, digest);
            Tuple t = Tuple.tuple().addLong(seq).addString(prev).addString(hash).addString(digest).addString(kind)
                    .addString(text).addString(enquiryId).addString(result)
                    .addOffsetDateTime(at == null ? null : OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
                    .addArrayOfString(authorities).addArrayOfString(refs).addString(node);
            prev = hash;
            return t;
        }
    }

    /** {@code authority:recordId} of every record an entry released or notified. */
    static String[] recordRefs(JsonObject entry) {
        Set<String> out = new LinkedHashSet<>();
        for (String list : new String[] {"released", "notified"}) {
            JsonArray refs = entry.getJsonArray(list, new JsonArray());
            for (int i = 0; i < refs.size(); i++) {
                JsonObject ref = refs.getJsonObject(i);
                out.add(ref.getString("authority") + ":" + ref.getString("recordId"));
            }
        }
        return out.toArray(String[]::new);
    }

    /**
     * A co-ordinator's view: the authority (and record) filters run in the database; the query's
     * own {@link AuditQuery#matches} is applied to what comes back as well.
     */
    @Override
    public Future<List<JsonObject>> query(AuditQuery query) {
        String sql = "SELECT seq, entry FROM audit_entry WHERE kind = 'enquiry' AND entry IS NOT NULL"
                + " AND $1 = ANY (authorities) AND ($2::text IS NULL OR $2 = ANY (record_refs))"
                + " AND ($3::timestamptz IS NULL OR at >= $3) AND ($4::timestamptz IS NULL OR at < $4)"
                + " AND seq > $6 ORDER BY seq LIMIT $5";
        Tuple args = Tuple.of(query.authority(),
                query.recordId() == null ? null : query.authority() + ":" + query.recordId(),
                query.from() == null ? null : OffsetDateTime.ofInstant(query.from(), ZoneOffset.UTC),
                query.to() == null ? null : OffsetDateTime.ofInstant(query.to(), ZoneOffset.UTC),
                query.limit(), query.afterSeq());
        return pool.preparedQuery(sql).execute(args).map(PostgresAuditSink::entries).map(list -> list.stream()
                .filter(query::matches).toList());
    }

    /**
     * Only answers that withheld a register (the entry's own text says so: {@code toJson} is
     * compact) and have no {@code withheld-searched} entry; read a page at a time in {@code seq}
     * order to the window's end, so that the oldest thousand never hide the one that matters.
     * A {@code withheld-searched:notification-failed} entry does not count as done: that
     * register was not told.
     */
    @Override
    public Future<List<AuditEntry>> withheldNotSearched(java.time.Instant from, java.time.Instant to) {
        return withheldNotSearched(OffsetDateTime.ofInstant(from, ZoneOffset.UTC), OffsetDateTime.ofInstant(to,
                ZoneOffset.UTC), 0, new AuditEntry.NotSearched(from, to));
    }

    private Future<List<AuditEntry>> withheldNotSearched(OffsetDateTime from, OffsetDateTime to, long afterSeq,
            AuditEntry.NotSearched found) {
        String sql = "SELECT seq, entry FROM audit_entry a WHERE a.kind = 'enquiry' AND a.result = 'answered'"
                + " AND a.entry IS NOT NULL AND a.entry LIKE '%\"status\":\"WITHHELD\"%' AND a.at >= $1 AND a.at < $2"
                + " AND a.seq > $3 AND NOT EXISTS (SELECT 1 FROM audit_entry b WHERE b.enquiry_id = a.enquiry_id"
                + " AND b.result = 'withheld-searched') ORDER BY a.seq LIMIT " + RESUME_PAGE;
        return pool.preparedQuery(sql).execute(Tuple.of(from, to, afterSeq)).compose(rows -> {
            long last = afterSeq;
            for (Row r : rows) {
                found.accept(new JsonObject(r.getString("entry")));
                last = r.getLong("seq");
            }
            return rows.size() < RESUME_PAGE ? Future.succeededFuture(found.entries())
                    : withheldNotSearched(from, to, last, found);
        });
    }

    private static final int RESUME_PAGE = 500;

    /**
     * One node's claim, taken only while the answer has no {@code withheld-searched} entry (a
     * pass that stalled must not run one another node finished: its entry would fail this node's
     * whole batch on the unique index), and taken again only when ten minutes old (its node lost
     * too): V3__withheld_resumed.
     */
    @Override
    public Future<Boolean> claimWithheldSearch(String enquiryId) {
        return pool.preparedQuery("INSERT INTO withheld_resumed (enquiry_id, node) SELECT $1, $2 WHERE NOT EXISTS"
                        + " (SELECT 1 FROM audit_entry WHERE enquiry_id = $1 AND result = 'withheld-searched')"
                        + " ON CONFLICT (enquiry_id) DO UPDATE SET node = EXCLUDED.node, claimed_at = now()"
                        + " WHERE withheld_resumed.claimed_at < now() - interval '10 minutes' RETURNING enquiry_id")
                .execute(Tuple.of(enquiryId, node)).map(rows -> rows.size() == 1);
    }

    @Override
    public boolean sharedByNodes() {
        return true;
    }

    private static List<JsonObject> entries(RowSet<Row> rows) {
        List<JsonObject> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            out.add(new JsonObject(r.getString("entry")).put("seq", r.getLong("seq")));
        }
        return out;
    }

    /**
     * Writes a final checkpoint when entries follow the last one (as the file log does on close),
     * then refuses further appends. The pool belongs to the caller.
     */
    @Override
    public Future<Void> close() {
        closed = true;
        return pool.withTransaction(conn -> conn.preparedQuery(LOCK_HEAD).execute().compose(rows -> {
            Row head = rows.iterator().next();
            Chain chain = new Chain(head.getLong("seq"), head.getString("hash"), head.getLong("since_checkpoint"));
            if (chain.sinceCheckpoint == 0 || chain.seq == 0) {
                return Future.<Void>succeededFuture();
            }
            AuditCheckpoint checkpoint = chain.checkpoint();
            Tuple row = chain.appendCheckpoint(checkpoint);
            List<OutboxMessage> messages = new ArrayList<>();
            registers.forEach(r -> messages.add(OutboxMessage.checkpoint(r, checkpoint)));
            return writeChain(conn, chain, List.of(row), messages);
        })).recover(e -> {
            LOG.warn("audit: no closing checkpoint ({})", e.getClass().getSimpleName());
            return Future.succeededFuture();
        });
    }

    private static final class Pending {
        final AuditEntry entry;
        final List<OutboxMessage> notifications;
        final Promise<Void> promise;
        final Context context;
        volatile long timer = -1;

        Pending(AuditEntry entry, List<OutboxMessage> notifications, Promise<Void> promise, Context context) {
            this.entry = entry;
            this.notifications = notifications;
            this.promise = promise;
            this.context = context;
        }

        void succeed() {
            context.runOnContext(v -> {
                context.owner().cancelTimer(timer);
                promise.tryComplete();
            });
        }

        void fail() {
            context.runOnContext(v -> {
                context.owner().cancelTimer(timer);
                promise.tryFail(new AuditUnavailableException());
            });
        }
    }
}
