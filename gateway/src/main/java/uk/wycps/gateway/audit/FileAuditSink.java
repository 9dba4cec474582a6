package uk.wycps.gateway.audit;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded audit log: hash-chained JSON lines ({@link HashChain}) in {@code audit.jsonl},
 * appended and fsync'd on one worker thread, never on an event loop. Entries that arrive while
 * a write is under way are written and fsync'd together (group commit), so throughput holds
 * under load while every entry is durable before its answer leaves.
 */
public final class FileAuditSink implements AuditSink {

    public static final String FILE_NAME = "audit.jsonl";
    private static final Logger LOG = LoggerFactory.getLogger(FileAuditSink.class);

    private final Vertx vertx;
    private final Path file;
    private final WorkerExecutor writer;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    // Touched only by the single writer thread.
    private FileChannel channel;
    private long seq;
    private String prev;

    private FileAuditSink(Vertx vertx, Path file) {
        this.vertx = vertx;
        this.file = file;
        this.writer = vertx.createSharedWorkerExecutor("audit-writer-" + file.toAbsolutePath(), 1);
    }

    /** Opens (or creates) the log in {@code directory}, resuming its chain. */
    public static Future<FileAuditSink> open(Vertx vertx, Path directory) {
        FileAuditSink sink = new FileAuditSink(vertx, directory.resolve(FILE_NAME));
        return sink.writer.executeBlocking(() -> {
            Files.createDirectories(directory);
            sink.resume();
            return sink;
        });
    }

    private void resume() throws IOException {
        seq = 0;
        prev = HashChain.GENESIS;
        if (Files.exists(file)) {
            String last = null;
            try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
                for (var it = lines.iterator(); it.hasNext();) {
                    String l = it.next();
                    if (!l.isBlank()) {
                        last = l;
                    }
                }
            }
            if (last != null) {
                JsonObject line = new JsonObject(last);
                seq = line.getLong("seq");
                prev = line.getString("hash");
            }
        }
    }

    @Override
    public Future<Void> append(AuditEntry entry) {
        Context context = vertx.getOrCreateContext();
        Promise<Void> promise = Promise.promise();
        queue.add(new Pending(entry.toJson().encode(), promise, context));
        if (draining.compareAndSet(false, true)) {
            writer.executeBlocking(() -> {
                drain();
                return null;
            }, false);
        }
        return promise.future();
    }

    /** Runs on the writer thread: writes every queued entry, fsyncs once, then reports. */
    private void drain() {
        while (true) {
            List<Pending> batch = new ArrayList<>();
            for (Pending p; (p = queue.poll()) != null;) {
                batch.add(p);
            }
            if (batch.isEmpty()) {
                draining.set(false);
                if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            long seqBefore = seq;
            String prevBefore = prev;
            try {
                StringBuilder text = new StringBuilder(batch.size() * 512);
                for (Pending p : batch) {
                    seq++;
                    String hash = HashChain.hash(seq, prev, p.entry);
                    text.append(HashChain.line(seq, prev, hash, p.entry)).append('\n');
                    prev = hash;
                }
                write(text.toString());
                batch.forEach(p -> p.context.runOnContext(v -> p.promise.complete()));
            } catch (IOException | UncheckedIOException e) {
                // Fail closed (H1): the chain stays where it was, the channel is reopened next time.
                seq = seqBefore;
                prev = prevBefore;
                closeQuietly();
                LOG.error("audit write failed: {}", e.getClass().getSimpleName());
                batch.forEach(p -> p.context.runOnContext(v -> p.promise.fail(new AuditUnavailableException())));
            }
        }
    }

    private void write(String text) throws IOException {
        if (channel == null || !channel.isOpen()) {
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
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
                // The verifier will report the torn tail.
            }
            throw e;
        }
    }

    private void closeQuietly() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // nothing more to do
        }
        channel = null;
    }

    @Override
    public Future<Void> close() {
        return writer.executeBlocking(() -> {
            closeQuietly();
            return null;
        }).compose(v -> writer.close());
    }

    private record Pending(String entry, Promise<Void> promise, Context context) {
    }
}
