package uk.wycps.gateway.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The audit log's line format and chain (H2). One line per entry:
 *
 * <pre>{"seq":N,"prev":"&lt;hex&gt;","hash":"&lt;hex&gt;","digest":"&lt;hex&gt;","entry":&lt;entry JSON&gt;}</pre>
 *
 * where {@code digest = SHA-256(entry bytes as written)}, {@code hash = SHA-256(seq "\n" prev
 * "\n" digest)} and {@code prev} is the previous line's hash (64 zeros before the first). The
 * entry is stored exactly as it was hashed, so verification never depends on re-encoding JSON.
 * Chaining the entry's digest rather than the entry lets retention remove an entry's content
 * ({@code "purged":true} in place of {@code "entry"}) while the chain still verifies (H4).
 */
public final class HashChain {

    public static final String GENESIS = "0".repeat(64);
    private static final HexFormat HEX = HexFormat.of();

    private HashChain() {
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The digest of an entry's bytes. */
    public static String digest(byte[] entry) {
        return HEX.formatHex(sha256().digest(entry));
    }

    public static String digest(String entry) {
        return digest(entry.getBytes(StandardCharsets.UTF_8));
    }

    /** The chain hash of entry {@code seq}. */
    public static String hash(long seq, String prev, String digest) {
        MessageDigest sha = sha256();
        sha.update(Long.toString(seq).getBytes(StandardCharsets.US_ASCII));
        sha.update((byte) '\n');
        sha.update(prev.getBytes(StandardCharsets.US_ASCII));
        sha.update((byte) '\n');
        sha.update(digest.getBytes(StandardCharsets.US_ASCII));
        return HEX.formatHex(sha.digest());
    }

    /** The stored line of an entry. */
    public static String line(long seq, String prev, String hash, String digest, String entry) {
        return new StringBuilder(entry.length() + 260)
                .append("{\"seq\":").append(seq)
                .append(",\"prev\":\"").append(prev)
                .append("\",\"hash\":\"").append(hash)
                .append("\",\"digest\":\"").append(digest)
                .append("\",\"entry\":").append(entry)
                .append('}').toString();
    }

    /** The stored line of an entry whose content retention has removed. */
    public static String purgedLine(long seq, String prev, String hash, String digest) {
        return "{\"seq\":" + seq + ",\"prev\":\"" + prev + "\",\"hash\":\"" + hash + "\",\"digest\":\"" + digest
                + "\",\"purged\":true}";
    }

    /**
     * One parsed line, or null when the line is not in the format at all. The format is fixed
     * to the byte, so any change to a header is caught here or by the hash.
     */
    public static ParsedLine parse(String line) {
        final String seqPrefix = "{\"seq\":";
        if (!line.startsWith(seqPrefix) || !line.endsWith("}")) {
            return null;
        }
        int i = seqPrefix.length();
        int comma = line.indexOf(',', i);
        if (comma < 0 || comma - i > 19) {
            return null;
        }
        long seq;
        try {
            seq = Long.parseLong(line, i, comma, 10);
        } catch (NumberFormatException e) {
            return null;
        }
        i = comma;
        String prev = hexField(line, i, ",\"prev\":\"");
        i += 9 + 64;
        String hash = hexField(line, i, "\",\"hash\":\"");
        i += 10 + 64;
        String digest = hexField(line, i, "\",\"digest\":\"");
        i += 12 + 64;
        if (prev == null || hash == null || digest == null) {
            return null;
        }
        String rest = line.substring(i);
        if (rest.equals("\",\"purged\":true}")) {
            return new ParsedLine(seq, prev, hash, digest, null);
        }
        if (!rest.startsWith("\",\"entry\":")) {
            return null;
        }
        return new ParsedLine(seq, prev, hash, digest, rest.substring(10, rest.length() - 1));
    }

    private static String hexField(String line, int at, String prefix) {
        if (!line.startsWith(prefix, at) || line.length() < at + prefix.length() + 64) {
            return null;
        }
        String hex = line.substring(at + prefix.length(), at + prefix.length() + 64);
        for (int k = 0; k < hex.length(); k++) {
            char c = hex.charAt(k);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return null;
            }
        }
        return hex;
    }

    /** A line's parts; {@code entry} is null for a purged entry. */
    public record ParsedLine(long seq, String prev, String hash, String digest, String entry) {
    }
}
