package uk.wycps.gateway.audit;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The audit log's line format and chain (H2). A line is
 * {@code {"seq":n,"prev":"<hex>","hash":"<hex>","entry":"<entry JSON as a string>"}} where
 * {@code hash = SHA-256(seq + "\n" + prev + "\n" + entry)} and {@code prev} is the previous
 * line's hash (64 zeros for the first). Keeping the entry as the exact string that was hashed
 * means verification never depends on re-encoding JSON the same way.
 */
public final class HashChain {

    public static final String GENESIS = "0".repeat(64);

    private HashChain() {
    }

    public static String hash(long seq, String prev, String entry) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        sha.update(Long.toString(seq).getBytes(StandardCharsets.US_ASCII));
        sha.update((byte) '\n');
        sha.update(prev.getBytes(StandardCharsets.US_ASCII));
        sha.update((byte) '\n');
        sha.update(entry.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The stored line for an entry whose chain hash is {@code hash}. */
    public static String line(long seq, String prev, String hash, String entry) {
        return new JsonObject().put("seq", seq).put("prev", prev).put("hash", hash).put("entry", entry).encode();
    }
}
