package uk.wycps.gateway.audit;

import uk.wycps.gateway.durable.PrivateFiles;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Retention (H4): empties the entries each authority's retention period has passed and records
 * that it did, with a purge marker signed by the gateway's audit key, so the chain still
 * verifies and an emptied entry without a marker is caught. An entry is kept until the longest
 * retention of the authorities it concerns (the caller's and those whose records it released)
 * has passed. Runs only while no gateway holds the log.
 */
public final class AuditPurge {

    private final Map<String, Integer> retentionDays;
    private final int defaultDays;

    public AuditPurge(Map<String, Integer> retentionDays, int defaultDays) {
        this.retentionDays = Map.copyOf(retentionDays);
        this.defaultDays = defaultDays;
    }

    /** Purges {@code directory}'s log as of {@code now}; returns how many entries were emptied. */
    public long purge(Path directory, AuditKeys.Signer signer, Instant now) throws IOException {
        Path file = directory.resolve(FileAuditSink.FILE_NAME);
        if (!Files.exists(file)) {
            return 0;
        }
        try (FileChannel lockChannel = PrivateFiles.open(directory.resolve(FileAuditSink.LOCK_FILE),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = lockChannel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new IOException("the audit log is in use by a running gateway; stop it before purging");
            }
            try {
                return purgeLocked(file, signer, now);
            } finally {
                lock.release();
            }
        }
    }

    private long purgeLocked(Path file, AuditKeys.Signer signer, Instant now) throws IOException {
        Path rewritten = file.resolveSibling(FileAuditSink.FILE_NAME + ".purge");
        List<Long> purged = new ArrayList<>();
        long seq = 0;
        String prev = HashChain.GENESIS;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                Writer out = new java.io.BufferedWriter(PrivateFiles.newWriter(rewritten))) {
            for (String line; (line = in.readLine()) != null;) {
                HashChain.ParsedLine p = HashChain.parse(line);
                if (p == null) {
                    throw new IOException("the audit log has an unreadable line after entry " + seq
                            + "; run verify-audit before purging");
                }
                if (p.entry() != null && p.entry().startsWith("{\"type\":\"enquiry\"") && expired(p.entry(), now)) {
                    out.write(HashChain.purgedLine(p.seq(), p.prev(), p.hash(), p.digest()));
                    purged.add(p.seq());
                } else {
                    out.write(line);
                }
                out.write('\n');
                seq = p.seq();
                prev = p.hash();
            }
            if (!purged.isEmpty()) {
                String marker = Checkpoints.purgeEntry(signer, AuditVerifier.formatRanges(purged), now, purged.size());
                String digest = HashChain.digest(marker);
                long next = seq + 1;
                out.write(HashChain.line(next, prev, HashChain.hash(next, prev, digest), digest, marker));
                out.write('\n');
            }
        }
        if (purged.isEmpty()) {
            Files.delete(rewritten);
            return 0;
        }
        try (FileChannel c = FileChannel.open(rewritten, StandardOpenOption.WRITE)) {
            c.force(true);
        }
        Files.move(rewritten, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return purged.size();
    }

    boolean expired(String entry, Instant now) {
        JsonObject json = new JsonObject(entry);
        Instant at = Instant.parse(json.getString("at"));
        // Kept for the longest retention of every authority it concerns (H4), the registers it
        // notified included: the same set that puts it in their audit views.
        String[] concerned = AuditEntry.authoritiesConcerned(json);
        int days = concerned.length == 0 ? defaultDays : 0;
        for (String authority : concerned) {
            days = Math.max(days, retentionDays.getOrDefault(authority, defaultDays));
        }
        return at.plus(Duration.ofDays(days)).isBefore(now);
    }
}
