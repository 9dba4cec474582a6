package uk.wycps.gateway.audit;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks an audit log's hash chain (H2): any changed, removed, inserted or reordered entry
 * breaks it at the first place touched.
 */
public final class AuditVerifier {

    /** The verdict: intact with its entry count, or the first bad line (1-based) and why. */
    public record Result(boolean intact, long entries, long firstBadLine, String problem) {

        @Override
        public String toString() {
            return intact ? "intact: " + entries + " entries"
                    : "BROKEN at entry " + firstBadLine + ": " + problem;
        }
    }

    private AuditVerifier() {
    }

    public static Result verify(Path directory) throws IOException {
        Path file = directory.resolve(FileAuditSink.FILE_NAME);
        if (!Files.exists(file)) {
            return new Result(true, 0, 0, null);
        }
        long expected = 1;
        String prev = HashChain.GENESIS;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; expected++) {
                JsonObject json;
                try {
                    json = new JsonObject(line);
                } catch (DecodeException e) {
                    return new Result(false, expected - 1, expected, "not a valid line");
                }
                Object seq = json.getValue("seq");
                String entry = json.getValue("entry") instanceof String s ? s : null;
                String hash = json.getValue("hash") instanceof String s ? s : null;
                if (!(seq instanceof Number n) || n.longValue() != expected) {
                    return new Result(false, expected - 1, expected, "sequence number out of order");
                }
                if (!prev.equals(json.getValue("prev"))) {
                    return new Result(false, expected - 1, expected, "does not follow the previous entry");
                }
                if (entry == null || hash == null || !HashChain.hash(expected, prev, entry).equals(hash)) {
                    return new Result(false, expected - 1, expected, "content does not match its hash");
                }
                prev = hash;
            }
        }
        return new Result(true, expected - 1, 0, null);
    }
}
