package uk.wycps.gateway.audit;

import uk.wycps.gateway.durable.PrivateFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.wycps.connector.AuditCheckpoint;
import uk.wycps.gateway.durable.GroupCommit;

/**
 * The embedded audit log: hash-chained lines ({@link HashChain}) in {@code audit.jsonl},
 * appended and fsync'd on one worker thread, never on an event loop. Entries that arrive while a
 * write is under way are written and fsync'd together (group commit), so throughput holds under
 * load while every entry is durable before its answer leaves (H1). Every
 * {@code checkpointEvery} entries, and on close, a checkpoint signed with the gateway's audit key
 * goes into the chain and to {@code onCheckpoint} (which publishes it to the registers).
 *
 * <p>The log is locked while open, so a purge cannot run under a live gateway.
 */
public final class FileAuditSink implements AuditSink {

    public static final String FILE_NAME = "audit.jsonl";
    public static final String LOCK_FILE = "audit.lock";
    public static final int DEFAULT_CHECKPOINT_EVERY = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(FileAuditSink.class);

    private final Vertx vertx;
    private final Path file;
    private final WorkerExecutor writer;
    private final AuditKeys.Signer signer;
    private final int checkpointEvery;
    private final Consumer<AuditCheckpoint> onCheckpoint;
    private final GroupCommit<String> commits;
    // Touched only by the single writer thread.
    private FileChannel channel;
    private FileChannel lockChannel;
    private FileLock lock;
    private long seq;
    private String prev;
    private long sinceCheckpoint;

    private FileAuditSink(Vertx vertx, Path directory, AuditKeys.Signer signer, int checkpointEvery,
            Consumer<AuditCheckpoint> onCheckpoint) {
        this.vertx = vertx;
        this.file = directory.resolve(FILE_NAME);
        this.signer = signer;
        this.checkpointEvery = checkpointEvery;
        this.onCheckpoint = onCheckpoint;
        this.writer = vertx.createSharedWorkerExecutor("audit-writer-" + file.toAbsolutePath(), 1);
        this.commits = new GroupCommit<>(vertx, writer, this::writeBatch, AuditUnavailableException::new);
    }

    /**
     * Opens (or creates) the log in {@code directory}, resuming its chain. Fails when the log is
     * already open elsewhere or cannot be read.
     */
    public static Future<FileAuditSink> open(Vertx vertx, Path directory, AuditKeys.Signer signer, int checkpointEvery,
            Consumer<AuditCheckpoint> onCheckpoint) {
        FileAuditSink sink = new FileAuditSink(vertx, directory, signer, checkpointEvery, onCheckpoint);
        return sink.writer.executeBlocking(() -> {
            PrivateFiles.createDirectories(directory);
            sink.lock(directory);
            sink.resume();
            return sink;
        }).recover(e -> sink.writer.close().transform(v -> Future.failedFuture(e)));
    }

    private void lock(Path directory) throws IOException {
        lockChannel = PrivateFiles.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            lock = lockChannel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IOException("audit log " + file + " is in use by another process");
        }
    }

    private void resume() throws IOException {
        seq = 0;
        prev = HashChain.GENESIS;
        sinceCheckpoint = 0;
        if (!Files.exists(file)) {
            return;
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null;) {
                HashChain.ParsedLine p = HashChain.parse(line);
                if (p == null) {
                    throw new IOException("audit log " + file + " has an unreadable line after entry " + seq
                            + "; run verify-audit");
                }
                seq = p.seq();
                prev = p.hash();
                boolean checkpoint = p.entry() != null && p.entry().startsWith(Checkpoints.CHECKPOINT_PREFIX);
                sinceCheckpoint = checkpoint ? 0 : sinceCheckpoint + 1;
            }
        }
    }

    @Override
    public Future<Void> append(AuditEntry entry) {
        return commits.submit(entry.toJson().encode());
    }

    /**
     * Runs on the writer thread: chains and writes a batch with one fsync, adding a signed
     * checkpoint where one falls due. On failure the chain stays where it was (H1: the callers
     * get 503) and the channel is reopened next time.
     */
    private void writeBatch(List<String> entries) throws IOException {
        long seqBefore = seq;
        String prevBefore = prev;
        long sinceBefore = sinceCheckpoint;
        try {
            StringBuilder text = new StringBuilder(entries.size() * 600);
            AuditCheckpoint checkpoint = null;
            for (String entry : entries) {
                appendLine(text, entry);
                if (++sinceCheckpoint >= checkpointEvery) {
                    checkpoint = appendCheckpoint(text);
                }
            }
            write(text.toString());
            if (checkpoint != null) {
                onCheckpoint.accept(checkpoint);
            }
        } catch (IOException | RuntimeException e) {
            seq = seqBefore;
            prev = prevBefore;
            sinceCheckpoint = sinceBefore;
            closeChannel();
            LOG.error("audit write failed: {}", e.getClass().getSimpleName());
            throw e;
        }
    }

    private void appendLine(StringBuilder text, String entry) {
        seq++;
        String digest = HashChain.digest(entry);
        String hash = HashChain.hash(seq, prev, digest);
        text.append(HashChain.line(seq, prev, hash, digest, entry)).append('\n');
        prev = hash;
    }

    private AuditCheckpoint appendCheckpoint(StringBuilder text) {
        AuditCheckpoint checkpoint = Checkpoints.checkpoint(signer, seq, prev, Instant.now());
        appendLine(text, Checkpoints.checkpointEntry(checkpoint));
        sinceCheckpoint = 0;
        return checkpoint;
    }

    private void write(String text) throws IOException {
        if (channel == null || !channel.isOpen()) {
            PrivateFiles.createDirectories(file.getParent());
            channel = PrivateFiles.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        }
        long sizeBefore = channel.size();
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
        } catch (IOException e) {
            try {
                channel.truncate(sizeBefore);
            } catch (IOException ignored) {
                // verify-audit will report the torn tail
            }
            throw e;
        }
    }

    private void closeChannel() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // nothing more to do
        }
        channel = null;
    }

    /**
     * Reads the log for {@code query} on a worker thread of its own, never the writer's, so
     * appends go on meanwhile. Emptied (purged) entries are not returned.
     */
    @Override
    public Future<List<JsonObject>> query(AuditQuery query) {
        return vertx.executeBlocking(() -> {
            List<JsonObject> found = new ArrayList<>();
            readEnquiries(p -> {
                if (p.seq() > query.afterSeq()) {
                    JsonObject entry = new JsonObject(p.entry());
                    if (query.matches(entry)) {
                        found.add(entry.put("seq", p.seq()));
                    }
                }
                return found.size() < query.limit();
            });
            return found;
        }, false);
    }

    /** Read from the log on a worker: every line, since an answer and its follow-up may be far apart. */
    @Override
    public Future<List<AuditEntry>> withheldNotSearched(java.time.Instant from, java.time.Instant to) {
        return vertx.executeBlocking(() -> {
            AuditEntry.NotSearched found = new AuditEntry.NotSearched(from, to);
            readEnquiries(p -> {
                if (!before(p.entry(), from)) {
                    found.accept(new JsonObject(p.entry()));
                }
                return true;
            });
            return found.entries();
        }, false);
    }

    /** Each enquiry entry of the log, in order, to {@code each} until it answers false. Blocking. */
    private void readEnquiries(java.util.function.Predicate<HashChain.ParsedLine> each) throws java.io.IOException {
        if (!Files.exists(file)) {
            return;
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null;) {
                HashChain.ParsedLine p = HashChain.parse(line);
                if (p != null && p.entry() != null && p.entry().startsWith("{\"type\":\"enquiry\"") && !each.test(p)) {
                    return;
                }
            }
        }
    }

    /**
     * Whether an enquiry entry (as written: its {@code at} early in it) was made before
     * {@code from}, read without parsing the whole entry: a log of years is read at every start.
     * An entry whose time cannot be found so is parsed as usual.
     */
    private static boolean before(String entry, java.time.Instant from) {
        int at = entry.indexOf("\"at\":\"");
        int end = at < 0 ? -1 : entry.indexOf('"', at + 6);
        if (end < 0) {
            return false;
        }
        try {
            return java.time.Instant.parse(entry.substring(at + 6, end)).isBefore(from);
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }

    /** Writes a final checkpoint when entries follow the last one, then releases the log. */
    @Override
    public Future<Void> close() {
        return writer.executeBlocking(() -> {
            AuditCheckpoint checkpoint = null;
            if (sinceCheckpoint > 0) {
                StringBuilder text = new StringBuilder();
                long seqBefore = seq;
                String prevBefore = prev;
                checkpoint = appendCheckpoint(text);
                try {
                    write(text.toString());
                } catch (IOException e) {
                    seq = seqBefore;
                    prev = prevBefore;
                    checkpoint = null;
                }
            }
            closeChannel();
            if (lock != null) {
                lock.release();
                lockChannel.close();
            }
            return checkpoint;
        }).compose(checkpoint -> {
            if (checkpoint != null) {
                onCheckpoint.accept(checkpoint);
            }
            return writer.close();
        });
    }

}
