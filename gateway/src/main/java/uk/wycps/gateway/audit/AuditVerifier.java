package uk.wycps.gateway.audit;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import uk.wycps.connector.AuditCheckpoint;

/**
 * Checks an audit log (H2, H4): the hash chain (any changed, removed, inserted or reordered
 * entry breaks it at the first place touched), every checkpoint's and purge marker's signature,
 * that every emptied entry is covered by a signed purge marker, and, given the checkpoints a
 * register kept (witnesses), that the log still holds them: a log cut short or rewritten after
 * a published checkpoint is caught.
 *
 * <p>It cannot catch an attacker who holds the signing key and every register's witnesses, nor
 * entries that were never written.
 */
public final class AuditVerifier {

    /** The verdict: intact with its counts, or the first bad entry (1-based) and why. */
    public record Result(boolean intact, long entries, long checkpoints, long purged, long firstBadEntry,
            String problem) {

        static Result broken(long at, String problem) {
            return new Result(false, 0, 0, 0, at, problem);
        }

        @Override
        public String toString() {
            return intact ? "intact: " + entries + " entries (" + checkpoints + " signed checkpoints, " + purged
                    + " purged by retention)"
                    : "BROKEN at entry " + firstBadEntry + ": " + problem;
        }
    }

    private final AuditKeys.Verifier keys;
    private final List<AuditCheckpoint> witnesses;

    /**
     * @param keys the gateway's audit public key
     * @param witnesses checkpoints a register kept (may be empty)
     */
    public AuditVerifier(AuditKeys.Verifier keys, List<AuditCheckpoint> witnesses) {
        this.keys = keys;
        this.witnesses = List.copyOf(witnesses);
    }

    /** Verifies {@code directory}'s log with the public key kept beside it. */
    public static Result verifyDirectory(Path directory) throws IOException {
        Path pub = directory.resolve(AuditKeys.PUBLIC_FILE);
        Path file = directory.resolve(FileAuditSink.FILE_NAME);
        if (!Files.exists(file)) {
            return new Result(true, 0, 0, 0, 0, null);
        }
        if (!Files.exists(pub)) {
            return Result.broken(0, "no public key " + pub + " to check signatures with");
        }
        return new AuditVerifier(AuditKeys.verifier(Files.readString(pub)), List.of()).verify(file);
    }

    public Result verify(Path file) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return verify(in);
        }
    }

    public Result verify(Reader reader) throws IOException {
        BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
        try {
            return verify(in.lines().iterator());
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Verifies the log's lines in order. */
    public Result verify(java.util.Iterator<String> lines) {
        LineChecker checker = new LineChecker();
        long expected = 1;
        long entries = 0;
        long checkpoints = 0;
        long purged = 0;
        TreeSet<Long> uncovered = new TreeSet<>();
        Map<Long, String> witnessed = new java.util.HashMap<>();
        for (AuditCheckpoint w : witnesses) {
            witnessed.put(w.index(), w.head());
        }
        for (; lines.hasNext(); expected++) {
            String problem = checker.check(lines.next(), expected);
            if (problem != null) {
                return Result.broken(expected, problem);
            }
            if (!witnessed.isEmpty()) {
                String witness = witnessed.get(expected);
                if (witness != null && !witness.equals(checker.head())) {
                    return Result.broken(expected, "differs from the checkpoint a register kept");
                }
            }
            switch (checker.kind) {
                case PURGED -> {
                    uncovered.add(expected);
                    purged++;
                }
                case CHECKPOINT -> {
                    problem = checkCheckpoint(checker.entry(), checker.prevOfLine(), expected);
                    if (problem != null) {
                        return Result.broken(expected, problem);
                    }
                    checkpoints++;
                }
                case PURGE -> {
                    problem = checkPurge(checker.entry(), uncovered);
                    if (problem != null) {
                        return Result.broken(expected, problem);
                    }
                }
                default -> entries++;
            }
        }
        if (!uncovered.isEmpty()) {
            return Result.broken(uncovered.first(), "content removed without a signed purge marker");
        }
        long last = expected - 1;
        for (AuditCheckpoint w : witnesses) {
            // The checkpoint itself follows the entry it names: the log must still hold it.
            if (w.index() + 1 > last) {
                return Result.broken(expected, "the log ends at entry " + last + ", before the checkpoint of entry "
                        + w.index() + " that a register keeps: it was cut short");
            }
        }
        return new Result(true, entries, checkpoints, purged, 0, null);
    }

    private String checkCheckpoint(String entry, String prevHead, long seq) {
        JsonObject c;
        try {
            c = new JsonObject(entry);
        } catch (DecodeException e) {
            return "checkpoint is not valid JSON";
        }
        Long index = c.getLong("index");
        String head = c.getString("head");
        String at = c.getString("at");
        String signature = c.getString("signature");
        if (index == null || head == null || at == null || signature == null) {
            return "checkpoint is incomplete";
        }
        if (index != seq - 1 || !head.equals(prevHead)) {
            return "checkpoint does not name the entry before it";
        }
        if (!keys.verify(Checkpoints.checkpointPayload(index, head, at), signature)) {
            return "checkpoint signature is not the gateway's";
        }
        return null;
    }

    private String checkPurge(String entry, TreeSet<Long> uncovered) {
        JsonObject m;
        try {
            m = new JsonObject(entry);
        } catch (DecodeException e) {
            return "purge marker is not valid JSON";
        }
        String ranges = m.getString("ranges");
        String at = m.getString("at");
        String signature = m.getString("signature");
        if (ranges == null || at == null || signature == null) {
            return "purge marker is incomplete";
        }
        if (!keys.verify(Checkpoints.purgePayload(ranges, at), signature)) {
            return "purge marker signature is not the gateway's";
        }
        try {
            for (long[] range : parseRanges(ranges)) {
                uncovered.subSet(range[0], true, range[1], true).clear();
            }
        } catch (RuntimeException e) {
            return "purge marker ranges are not readable";
        }
        return null;
    }

    /** {@code "3-7,12-12"} as ranges. */
    static List<long[]> parseRanges(String ranges) {
        List<long[]> out = new ArrayList<>();
        if (ranges.isEmpty()) {
            return out;
        }
        for (String r : ranges.split(",")) {
            int dash = r.indexOf('-');
            out.add(new long[] {Long.parseLong(r.substring(0, dash)), Long.parseLong(r.substring(dash + 1))});
        }
        return out;
    }

    /** Ranges of ascending numbers, e.g. {@code [3,4,5,9]} as {@code "3-5,9-9"}. */
    static String formatRanges(List<Long> seqs) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < seqs.size();) {
            int j = i;
            while (j + 1 < seqs.size() && seqs.get(j + 1) == seqs.get(j) + 1) {
                j++;
            }
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(seqs.get(i)).append('-').append(seqs.get(j));
            i = j + 1;
        }
        return b.toString();
    }
}
