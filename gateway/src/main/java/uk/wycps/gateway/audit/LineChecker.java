package uk.wycps.gateway.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The per-line work of verification, on the line's bytes with reused digests: no per-line
 * string slicing, no digest look-ups. Verifying a large log is dominated by two SHA-256 runs a
 * line, as it should be. One instance per thread.
 */
final class LineChecker {

    private static final byte[] SEQ = "{\"seq\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PREV = ",\"prev\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HASH = "\",\"hash\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DIGEST = "\",\"digest\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ENTRY = "\",\"entry\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PURGED = "\",\"purged\":true}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHECKPOINT = Checkpoints.CHECKPOINT_PREFIX.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PURGE = Checkpoints.PURGE_PREFIX.getBytes(StandardCharsets.US_ASCII);

    enum Kind { ENQUIRY, CHECKPOINT, PURGE, PURGED }

    private final MessageDigest entryDigest = HashChain.sha256();
    private final MessageDigest chainDigest = HashChain.sha256();
    private final byte[] prev = new byte[64];

    // The last line checked.
    byte[] line;
    int prevAt;
    int entryStart;
    int entryEnd;
    Kind kind;

    LineChecker() {
        for (int i = 0; i < 64; i++) {
            prev[i] = '0';
        }
    }

    /** Checks one line as entry {@code seq}; null when it holds, else the problem. */
    String check(String text, long seq) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        line = b;
        if (!at(b, 0, SEQ)) {
            return "not a valid line";
        }
        int i = SEQ.length;
        long n = 0;
        int digits = 0;
        while (i < b.length && b[i] >= '0' && b[i] <= '9' && digits < 19) {
            n = n * 10 + (b[i++] - '0');
            digits++;
        }
        if (digits == 0 || !at(b, i, PREV)) {
            return "not a valid line";
        }
        int seqEnd = i;
        prevAt = i + PREV.length;
        int hashAt = prevAt + 64 + HASH.length;
        int digestAt = hashAt + 64 + DIGEST.length;
        int rest = digestAt + 64;
        if (b.length < rest + PURGED.length || !at(b, prevAt + 64, HASH) || !at(b, hashAt + 64, DIGEST)
                || !hex(b, prevAt) || !hex(b, hashAt) || !hex(b, digestAt) || b[b.length - 1] != '}') {
            return "not a valid line";
        }
        if (n != seq) {
            return "sequence number " + n + " where " + seq + " was due";
        }
        if (!equal(b, prevAt, prev)) {
            return "does not follow the previous entry";
        }
        chainDigest.update(b, SEQ.length, seqEnd - SEQ.length);
        chainDigest.update((byte) '\n');
        chainDigest.update(b, prevAt, 64);
        chainDigest.update((byte) '\n');
        chainDigest.update(b, digestAt, 64);
        if (!matchesHex(chainDigest.digest(), b, hashAt)) {
            return "chain hash does not match";
        }
        if (b.length == rest + PURGED.length && at(b, rest, PURGED)) {
            kind = Kind.PURGED;
        } else if (at(b, rest, ENTRY)) {
            entryStart = rest + ENTRY.length;
            entryEnd = b.length - 1;
            entryDigest.update(b, entryStart, entryEnd - entryStart);
            if (!matchesHex(entryDigest.digest(), b, digestAt)) {
                return "content does not match its digest";
            }
            kind = at(b, entryStart, CHECKPOINT) ? Kind.CHECKPOINT : at(b, entryStart, PURGE) ? Kind.PURGE : Kind.ENQUIRY;
        } else {
            return "not a valid line";
        }
        System.arraycopy(b, hashAt, prev, 0, 64);
        return null;
    }

    /** The hash of the last line that held, as hex. */
    String head() {
        return new String(prev, StandardCharsets.US_ASCII);
    }

    /** The previous entry's hash as the last line names it. */
    String prevOfLine() {
        return new String(line, prevAt, 64, StandardCharsets.US_ASCII);
    }

    String entry() {
        return new String(line, entryStart, entryEnd - entryStart, StandardCharsets.UTF_8);
    }

    private static boolean at(byte[] b, int offset, byte[] literal) {
        if (offset < 0 || offset + literal.length > b.length) {
            return false;
        }
        for (int k = 0; k < literal.length; k++) {
            if (b[offset + k] != literal[k]) {
                return false;
            }
        }
        return true;
    }

    private static boolean hex(byte[] b, int offset) {
        for (int k = offset; k < offset + 64; k++) {
            byte c = b[k];
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean equal(byte[] b, int offset, byte[] other) {
        for (int k = 0; k < 64; k++) {
            if (b[offset + k] != other[k]) {
                return false;
            }
        }
        return true;
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private static boolean matchesHex(byte[] digest, byte[] b, int offset) {
        for (int k = 0; k < 32; k++) {
            int v = digest[k] & 0xff;
            if (b[offset + 2 * k] != HEX[v >>> 4] || b[offset + 2 * k + 1] != HEX[v & 0xf]) {
                return false;
            }
        }
        return true;
    }
}
