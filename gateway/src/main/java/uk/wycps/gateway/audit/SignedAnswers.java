package uk.wycps.gateway.audit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Map;
import java.util.TreeMap;
import uk.wycps.connector.proof.AnswerSignature;

/**
 * Checks, after the fact, what each register said (issue 17, H2): every signed answer recorded
 * in the audit log is verified with that register's public key, and its signed digests must be
 * the ones the gateway recorded. A register cannot later deny an answer it signed; the gateway
 * cannot later claim an answer a register did not sign.
 */
public final class SignedAnswers {

    private SignedAnswers() {
    }

    /** Per register: answers whose signature verified, and answers whose did not. */
    public record Tally(long verified, long failed, long unchecked) {

        Tally plus(long v, long f, long u) {
            return new Tally(verified + v, failed + f, unchecked + u);
        }
    }

    /**
     * Reads the log {@code file} (entries as written, purged ones skipped) and tallies each
     * register's signed answers; registers without a key in {@code keys} are counted unchecked.
     */
    public static Map<String, Tally> verify(Path file, Map<String, PublicKey> keys) throws IOException {
        Map<String, Tally> tallies = new TreeMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                HashChain.ParsedLine parsed;
                try {
                    parsed = HashChain.parse(line);
                } catch (RuntimeException e) {
                    continue; // the chain check reports a bad line; here only answers are counted
                }
                if (parsed != null) {
                    tally(parsed.entry(), keys, tallies);
                }
            }
        }
        return tallies;
    }

    /**
     * Adds one entry's signed answers (its text as written; null or empty for a purged entry) to
     * {@code tallies}: the file log's lines and the PostgreSQL log's rows alike.
     */
    public static void tally(String entry, Map<String, PublicKey> keys, Map<String, Tally> tallies) {
        if (entry == null || entry.isEmpty()) {
            return;
        }
        JsonArray registers;
        try {
            registers = new JsonObject(entry).getJsonArray("registers");
        } catch (RuntimeException e) {
            return;
        }
        if (registers == null) {
            return;
        }
        for (int i = 0; i < registers.size(); i++) {
            JsonObject r = registers.getJsonObject(i);
            JsonObject proof = r.getJsonObject("proof");
            if (proof == null) {
                continue;
            }
            String authority = r.getString("authority");
            PublicKey key = keys.get(authority);
            Tally now = tallies.getOrDefault(authority, new Tally(0, 0, 0));
            if (key == null) {
                tallies.put(authority, now.plus(0, 0, 1));
                continue;
            }
            boolean ok;
            try {
                AnswerSignature.Claims claims = AnswerSignature.verify(key, proof.getString("signature"));
                ok = authority.equals(claims.authority())
                        && claims.requestSha256().equals(proof.getString("requestSha256"))
                        && claims.bodySha256().equals(proof.getString("bodySha256"));
            } catch (AnswerSignature.InvalidSignature e) {
                ok = false;
            }
            tallies.put(authority, ok ? now.plus(1, 0, 0) : now.plus(0, 1, 0));
        }
    }
}
