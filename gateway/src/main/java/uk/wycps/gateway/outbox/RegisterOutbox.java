package uk.wycps.gateway.outbox;

import uk.wycps.gateway.durable.PrivateFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.HistoryDelivery;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.gateway.durable.GroupCommit;
import uk.wycps.record.RecordJson;

/**
 * A durable outbox to the registers (H3, H2): a message is on disk (fsync'd) before
 * {@link #enqueue} completes, is sent to its register until the register acknowledges it, and
 * survives register outages and gateway restarts. The journal {@code outbox.jsonl} holds
 * {@code queued} and {@code acked} lines; on open it is replayed and compacted to what is still
 * pending.
 *
 * <p>Each register is served in order, one send at a time (a checkpoint, or up to
 * {@link #MAX_BATCH} enquiry-history entries in one exchange), with exponential back-off and
 * jitter after a failure, so a register that comes back is not flooded. After a send, a lane
 * that already has more waiting lingers {@link #LINGER} so that the next send carries more.
 * Registers de-duplicate on the message id, so a message resent after a crash between the
 * register's answer and the journal's {@code acked} line is still recorded once.
 *
 * <p>An urgent message (an access to a shielded record, A10) has a lane of its own within its
 * register's: it goes in the register's next exchange, ahead of any backlog, and cuts a linger
 * short. It still waits out a back-off (the register is failing) and a send already in flight.
 *
 * <p>Runs on the context that opened it; journal writes run on its own worker thread.
 */
public final class RegisterOutbox implements Outbox {

    public static final String FILE_NAME = "outbox.jsonl";
    public static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    public static final Duration SEND_DEADLINE = Duration.ofSeconds(5);
    /**
     * How long a busy lane waits after a send before the next one, so that entries arriving
     * meanwhile go together. Under load each exchange and its {@code acked} fsync then carry
     * many entries instead of one or two (most of the outbox's cost was per exchange); an entry
     * arriving at an idle lane still goes at once.
     */
    static final Duration LINGER = Duration.ofMillis(20);
    private static final Logger LOG = LoggerFactory.getLogger(RegisterOutbox.class);

    private final Vertx vertx;
    private final Context context;
    private final Path file;
    private final WorkerExecutor journal;
    private final GroupCommit<String> commits;
    private final Map<String, RegisterConnector> connectors;
    private final Map<String, Lane> lanes = new HashMap<>();
    /** Each lane's length, readable from any thread (the metrics' gauges); written on the outbox's context. */
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> depths =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final Duration firstBackoff;
    private final long lingerMs;
    private FileChannel channel;
    private boolean closed;

    private RegisterOutbox(Vertx vertx, Context context, Path directory, Map<String, RegisterConnector> connectors,
            Duration firstBackoff, Duration linger) {
        this.vertx = vertx;
        this.lingerMs = linger.toMillis();
        this.context = context;
        this.file = directory.resolve(FILE_NAME);
        this.connectors = Map.copyOf(connectors);
        this.firstBackoff = firstBackoff;
        this.journal = vertx.createSharedWorkerExecutor("outbox-journal-" + file.toAbsolutePath(), 1);
        this.commits = new GroupCommit<>(vertx, journal, this::writeBatch,
                () -> new IllegalStateException("the outbox journal could not be written"));
    }

    /** Opens the outbox in {@code directory}, replays what was pending and starts delivering it. */
    public static Future<RegisterOutbox> open(Vertx vertx, Path directory, Map<String, RegisterConnector> connectors) {
        return open(vertx, directory, connectors, FIRST_BACKOFF, LINGER);
    }

    static Future<RegisterOutbox> open(Vertx vertx, Path directory, Map<String, RegisterConnector> connectors,
            Duration firstBackoff, Duration linger) {
        RegisterOutbox outbox = new RegisterOutbox(vertx, vertx.getOrCreateContext(), directory, connectors,
                firstBackoff, linger);
        return outbox.journal.executeBlocking(() -> {
            PrivateFiles.createDirectories(directory);
            return outbox.replay();
        }).map(pending -> {
            pending.forEach(outbox::addPending);
            outbox.lanes.keySet().forEach(outbox::pump);
            LOG.info("outbox open: {} messages pending", pending.size());
            return outbox;
        });
    }

    /** Reads the journal, keeps what is not acknowledged, and rewrites it as just that. */
    private List<OutboxMessage> replay() throws IOException {
        Map<String, OutboxMessage> pending = new LinkedHashMap<>();
        if (Files.exists(file)) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String line; (line = in.readLine()) != null;) {
                    JsonObject json;
                    try {
                        json = new JsonObject(line);
                    } catch (DecodeException e) {
                        // A torn last line from a crash mid-write: it was never acknowledged to anyone.
                        LOG.warn("outbox journal: unreadable line skipped");
                        continue;
                    }
                    if ("queued".equals(json.getString("op"))) {
                        OutboxMessage m = OutboxMessage.fromJson(json.getJsonObject("msg"));
                        pending.put(m.id(), m);
                    } else if ("acked".equals(json.getString("op"))) {
                        // one id a line before batched delivery; a list of ids since
                        JsonArray ids = json.getJsonArray("ids");
                        if (ids == null) {
                            pending.remove(json.getString("id"));
                        } else {
                            ids.forEach(pending::remove);
                        }
                    }
                }
            }
        }
        Path compacted = file.resolveSibling(FILE_NAME + ".tmp");
        StringBuilder text = new StringBuilder();
        pending.values().forEach(m -> text.append(queuedLine(m)).append('\n'));
        PrivateFiles.writeString(compacted, text);
        try (FileChannel c = FileChannel.open(compacted, StandardOpenOption.WRITE)) {
            c.force(true);
        }
        Files.move(compacted, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        return new ArrayList<>(pending.values());
    }

    /** A journal line; written by Jackson in one pass (the message's own fields, nulls left out). */
    private record QueuedLine(String op, OutboxMessage msg) {
    }

    private static final ObjectWriter QUEUED_LINE = RecordJson.mapper().writerFor(QueuedLine.class);

    private static String queuedLine(OutboxMessage m) {
        try {
            return QUEUED_LINE.writeValueAsString(new QueuedLine("queued", m));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an outbox message could not be encoded", e);
        }
    }

    /**
     * Makes {@code messages} durable, then starts sending them. Fails when they cannot be
     * written; then nothing of them is pending.
     */
    @Override
    public Future<Void> enqueue(List<OutboxMessage> messages) {
        List<OutboxMessage> queued = OutboxMessage.keptBy(messages, connectors);
        if (queued.isEmpty()) {
            return Future.succeededFuture();
        }
        StringBuilder text = new StringBuilder(queued.size() * 400);
        queued.forEach(m -> text.append(queuedLine(m)).append('\n'));
        return append(text.toString()).compose(v -> {
            Promise<Void> started = Promise.promise();
            context.runOnContext(x -> {
                queued.forEach(this::addPending);
                queued.stream().map(OutboxMessage::authority).distinct().forEach(this::pump);
                started.complete();
            });
            return started.future();
        });
    }

    /** Messages not yet acknowledged for {@code authority}, readable from any thread (for gauges). */
    @Override
    public java.util.concurrent.atomic.AtomicInteger depth(String authority) {
        return depths.computeIfAbsent(authority, a -> new java.util.concurrent.atomic.AtomicInteger());
    }

    /** Messages not yet acknowledged, per register. */
    @Override
    public Future<Map<String, Integer>> pendingCounts() {
        Promise<Map<String, Integer>> counts = Promise.promise();
        context.runOnContext(v -> {
            Map<String, Integer> out = new LinkedHashMap<>();
            lanes.forEach((authority, lane) -> out.put(authority, lane.queue.size() + lane.urgent.size()));
            counts.complete(out);
        });
        return counts.future();
    }

    /** Appends journal lines; lines from many enquiries share one fsync (group commit). */
    private Future<Void> append(String text) {
        return commits.submit(text);
    }

    private void writeBatch(List<String> texts) throws IOException {
        StringBuilder all = new StringBuilder();
        texts.forEach(all::append);
        ByteBuffer bytes = ByteBuffer.wrap(all.toString().getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        channel.force(false);
    }

    private void addPending(OutboxMessage m) {
        Lane lane = lanes.computeIfAbsent(m.authority(), a -> new Lane());
        (m.urgent() ? lane.urgent : lane.queue).add(m);
        depth(m.authority()).incrementAndGet();
    }

    /**
     * Sends the head of a register's lane unless a send is in flight or it is backing off: a
     * checkpoint alone, or the enquiry-history entries at the head together (at most
     * {@link #MAX_BATCH}, and no more than the connector takes in one exchange), so that a lane
     * with a backlog catches up in a few exchanges rather than one exchange per entry.
     */
    private void pump(String authority) {
        Lane lane = lanes.get(authority);
        if (closed || lane == null || lane.busy || lane.isEmpty()) {
            return;
        }
        if (lane.waiting) {
            boolean urgentAfterLinger = lane.lingering && !lane.urgent.isEmpty();
            // Enquiry history does not wait out the back-off of a checkpoint the register did not take (H3).
            boolean historyBehindCheckpoint = !lane.lingering && lane.skipCheckpoint();
            if (!urgentAfterLinger && !historyBehindCheckpoint) {
                return;
            }
            // An urgent message does not wait for a linger to end (A10).
            vertx.cancelTimer(lane.timer);
            lane.waiting = false;
            lane.lingering = false;
        }
        RegisterConnector connector = connectors.get(authority);
        if (connector == null) {
            LOG.warn("outbox: no connector for register {}; {} messages kept", authority, lane.queue.size());
            return;
        }
        lane.busy = true;
        int batch = Math.max(1, Math.min(MAX_BATCH, connector.historyBatchSize()));
        boolean urgent = !lane.urgent.isEmpty();
        List<OutboxMessage> sending = lane.head(batch);
        Deadline deadline = Deadline.after(SEND_DEADLINE);
        OutboxMessage first = sending.get(0);
        Future<Void> sent = switch (first.kind()) {
            case ENQUIRY_HISTORY -> connector.recordEnquiries(
                    sending.stream().map(m -> new HistoryDelivery(m.recordId(), m.entry())).toList(), deadline);
            case CHECKPOINT -> connector.publishCheckpoint(first.checkpoint(), deadline);
        };
        sent.compose(v -> append(ackedLine(sending)))
                .onComplete(ar -> context.runOnContext(x -> {
                    lane.busy = false;
                    if (ar.succeeded()) {
                        for (int i = 0; i < sending.size(); i++) {
                            if ((urgent ? lane.urgent : lane.queue).poll() != null) {
                                depth(authority).decrementAndGet();
                            }
                        }
                        lane.failures = 0;
                        if (lane.isEmpty() || !lane.urgent.isEmpty() || lane.queue.size() >= batch || lingerMs <= 0) {
                            pump(authority);
                        } else {
                            pumpLater(authority, lane, lingerMs, true);
                        }
                    } else if (first.kind() == OutboxMessage.Kind.CHECKPOINT && lane.skipCheckpoint()) {
                        // A checkpoint the register does not take (one that keeps none, or a fault)
                        // goes to the back and waits its turn again: the enquiry history behind
                        // it goes now, never held behind it (H3).
                        LOG.info("outbox: register {} did not take checkpoint {} ({}); enquiry history first",
                                authority, first.id(), ar.cause().getMessage());
                        pump(authority);
                    } else {
                        lane.failures++;
                        long backoff = backoff(lane.failures);
                        LOG.info("outbox: register {} did not take {} message(s) from {} ({}); retry in {} ms", authority,
                                sending.size(), first.id(), ar.cause().getMessage(), backoff);
                        pumpLater(authority, lane, backoff, false);
                    }
                }));
    }

    private void pumpLater(String authority, Lane lane, long delayMs, boolean linger) {
        lane.waiting = true;
        lane.lingering = linger;
        lane.timer = vertx.setTimer(delayMs, t -> {
            lane.waiting = false;
            lane.lingering = false;
            pump(authority);
        });
    }

    /** The most enquiry-history entries sent to a register in one go. */
    static final int MAX_BATCH = 100;

    private static String ackedLine(List<OutboxMessage> acked) {
        JsonArray ids = new JsonArray(new ArrayList<>(acked.size()));
        acked.forEach(m -> ids.add(m.id()));
        return new JsonObject().put("op", "acked").put("ids", ids).encode() + "\n";
    }

    private long backoff(int failures) {
        return backoff(firstBackoff, failures);
    }

    /**
     * The wait after {@code failures} failed sends in a row: {@code first} doubled each time up
     * to {@link #MAX_BACKOFF}, then a random half of it taken off, so that the nodes and lanes
     * that failed together do not all come back together. Shared by the file and the
     * PostgreSQL outbox.
     */
    static long backoff(Duration first, int failures) {
        long base = first.toMillis() << Math.min(Math.max(failures, 1) - 1, 16);
        long capped = Math.min(base, MAX_BACKOFF.toMillis());
        return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
    }

    /** Stops sending; what is pending stays in the journal for the next start. */
    @Override
    public Future<Void> close() {
        Promise<Void> stopped = Promise.promise();
        context.runOnContext(v -> {
            closed = true;
            stopped.complete();
        });
        return stopped.future()
                .compose(v -> journal.executeBlocking(() -> {
                    channel.close();
                    return null;
                }))
                .compose(v -> journal.close());
    }

    /** One register's queues: urgent messages first, then the rest in order. Touched only on the outbox's context. */
    private static final class Lane {
        final ArrayDeque<OutboxMessage> urgent = new ArrayDeque<>();
        final ArrayDeque<OutboxMessage> queue = new ArrayDeque<>();
        boolean busy;
        boolean waiting;
        /** The wait is a linger (cut short by an urgent message), not a back-off. */
        boolean lingering;
        long timer;
        int failures;

        boolean isEmpty() {
            return urgent.isEmpty() && queue.isEmpty();
        }

        /**
         * Moves the checkpoint at the head of the queue to its back when enquiry history waits
         * behind it; true when it did (the history is then at the head). A lane of checkpoints
         * only is left as it is, to back off.
         */
        boolean skipCheckpoint() {
            OutboxMessage head = queue.peek();
            if (head == null || head.kind() != OutboxMessage.Kind.CHECKPOINT
                    || queue.stream().noneMatch(m -> m.kind() == OutboxMessage.Kind.ENQUIRY_HISTORY)) {
                return false;
            }
            queue.add(queue.poll());
            while (queue.peek().kind() != OutboxMessage.Kind.ENQUIRY_HISTORY) {
                queue.add(queue.poll());
            }
            return true;
        }

        /** What to send next: the urgent entries; else a checkpoint alone, or the run of history entries at the head. */
        List<OutboxMessage> head(int most) {
            ArrayDeque<OutboxMessage> queue = urgent.isEmpty() ? this.queue : urgent;
            OutboxMessage first = queue.peek();
            if (first.kind() != OutboxMessage.Kind.ENQUIRY_HISTORY) {
                return List.of(first);
            }
            List<OutboxMessage> run = new ArrayList<>(Math.min(queue.size(), most));
            for (OutboxMessage m : queue) {
                if (m.kind() != OutboxMessage.Kind.ENQUIRY_HISTORY || run.size() >= most) {
                    break;
                }
                run.add(m);
            }
            return run;
        }
    }
}
